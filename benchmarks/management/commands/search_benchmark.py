"""Time search and the concordance on a large generated collection.

``manage.py search_benchmark`` builds an edition of 1,000 documents, each with a French
original, an English translation and a revision of it, 50 paragraphs apiece, aligned paragraph
by paragraph: real text, cut from the shared gold texts (TransRead: seven French novels and
their English translations, sentence-aligned by hand), grouped into paragraphs along the gold
sentence alignment so that each paragraph pair is a true translation. It then runs a fixed
list of queries several times as a reader of that edition, prints the median and the 95th
percentile, and deletes what it made (``--keep`` keeps it, and a later run reuses it).

Run it on a database of its own (``DATABASE_URL``): it writes some 150,000 segments.
"""

import math
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from editions import concordance, counterparts, search
from editions.models import (
    Alignment,
    AlignmentRow,
    Document,
    Edition,
    Membership,
    Role,
    RowStatus,
    Segment,
    Witness,
    WitnessRole,
)

SLUG = "search-benchmark"
USER = "search-benchmark-reader"
GOLD = "gold/transread-fr-en"
SEARCH_QUERIES = [
    "château",
    "chateau",
    "professeur Lidenbrock",
    '"le professeur"',
    "mer -capitaine",
    "négociations",
    "Cunégonde",
    "castle",
    "captain",
    "sea OR ocean",
    "volcano",
    "Voltaire",
    "BENCH-00421",
    "philosophy",
    "Gilliatt",
]
CONCORDANCE_QUERIES = [
    concordance.Query("château", "fr"),
    concordance.Query("capitaine", "fr"),
    concordance.Query("mer", "fr"),
    concordance.Query("professeur", "fr", sort="right"),
    concordance.Query("vaisseau", "fr", "exact"),
    concordance.Query(r"lieues?", "fr", "regex"),
    concordance.Query("Pangloss", "fr", sort="left"),
    concordance.Query("volcan", "fr"),
    concordance.Query("captain", "en", sort="translator"),
]
# A reviser's choices, so that the revision differs from the translation it revises.
REVISIONS = {
    "said": "declared",
    "sea": "ocean",
    "ship": "vessel",
    "castle": "château",
    "great": "large",
    "little": "small",
    "began": "started",
    "answered": "replied",
    "looked": "gazed",
    "house": "dwelling",
}
_REVISION = re.compile(r"\b(" + "|".join(REVISIONS) + r")\b")


@dataclass(frozen=True)
class Text:
    """One gold text as paragraph pairs following the gold beads: (French, English)
    sentences."""

    title: str
    author: str
    pairs: list[tuple[list[str], list[str]]]


# Zero-width characters: no word, no sentence boundary, no search term, nothing on screen.
_INVISIBLE = "\u200b\u200c\u200d\u2060"


def marked(sentences: list[str], k: int) -> str:
    """The sentences as one paragraph, each made unique to document ``k`` by an invisible
    mark after its first word. The collection repeats its texts some forty times; a real one
    does not, and the concordance's text caches must not profit from the repetition."""
    mark = "".join(_INVISIBLE[(k >> (2 * d)) & 3] for d in range(7))
    return " ".join(s.replace(" ", mark + " ", 1) for s in sentences)


def _beads(path: Path) -> Iterator[tuple[list[int], list[int]]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        src, tgt = line.split(":")
        yield (
            [int(i) for i in re.findall(r"\d+", src)],
            [int(j) for j in re.findall(r"\d+", tgt)],
        )


def load_texts(shared: Path, per_paragraph: int = 3) -> list[Text]:
    """Each gold text, its sentence beads grouped ``per_paragraph`` at a time."""
    texts = []
    for folder in sorted(p for p in (shared / GOLD).iterdir() if (p / "gold.idx").is_file()):
        src = (folder / "src.txt").read_text(encoding="utf-8").splitlines()
        tgt = (folder / "tgt.txt").read_text(encoding="utf-8").splitlines()
        beads = list(_beads(folder / "gold.idx"))
        pairs = []
        for start in range(0, len(beads), per_paragraph):
            group = beads[start : start + per_paragraph]
            french = [src[i] for s, _t in group for i in s if src[i].strip()]
            english = [tgt[j] for _s, t in group for j in t if tgt[j].strip()]
            if french and english:
                pairs.append((french, english))
        texts.append(Text(src[0].strip(), src[1].strip() if len(src) > 1 else "", pairs))
    return texts


def revised(text: str) -> str:
    return _REVISION.sub(lambda m: REVISIONS[m.group(1)], text)


class Generator:
    """Bulk-creates the collection: a few thousand INSERT statements for 150,000 rows."""

    def __init__(self, edition: Edition, texts: list[Text], paragraphs: int):
        self.edition, self.texts, self.paragraphs = edition, texts, paragraphs

    def excerpt(self, k: int) -> tuple[Text, list[tuple[list[str], list[str]]]]:
        text = self.texts[k % len(self.texts)]
        start = (k // len(self.texts) * 7) % max(1, len(text.pairs) - self.paragraphs)
        pairs = [text.pairs[(start + n) % len(text.pairs)] for n in range(self.paragraphs)]
        return text, pairs

    def documents(self, count: int) -> list[Document]:
        documents = []
        for k in range(count):
            text, pairs = self.excerpt(k)
            documents.append(
                Document(
                    edition=self.edition,
                    slug=f"bench-{k:05d}",
                    title=f"{text.title}, extract {k + 1}",
                    author=text.author,
                    date=date(1900, 1, 1) + timedelta(days=(k * 37) % 36500),
                    reference_numbers=f"BENCH-{k:05d}",
                    summary=" ".join(pairs[0][1])[:300],
                )
            )
        return Document.objects.bulk_create(documents)

    def witnesses(self, documents: list[Document]) -> list[tuple[Witness, Witness, Witness]]:
        def make(document, slug, label, language, role, translator, revision_of=None):
            return Witness(
                document=document,
                slug=slug,
                label=label,
                language=language,
                role=role,
                translator=translator,
                revision_of=revision_of,
                next_serial=self.paragraphs + 1,
            )

        firsts = Witness.objects.bulk_create(
            [
                w
                for d in documents
                for w in (
                    make(d, "fr", "Original", "fr", WitnessRole.ORIGINAL, ""),
                    make(d, "en", "Translation", "en", WitnessRole.TRANSLATION, "Gutenberg"),
                )
            ]
        )
        pairs = list(zip(firsts[::2], firsts[1::2], strict=True))
        revisions = Witness.objects.bulk_create(
            [
                make(t.document, "en-rev", "Revision", "en", WitnessRole.REVISION, "Reviser", t)
                for _o, t in pairs
            ]
        )
        return [(o, t, r) for (o, t), r in zip(pairs, revisions, strict=True)]

    def segments(self, k: int, trio: tuple[Witness, Witness, Witness]) -> Iterator[Segment]:
        _text, pairs = self.excerpt(k)
        original, translation, revision = trio
        for n, (french_sentences, english_sentences) in enumerate(pairs):
            french, english = marked(french_sentences, k), marked(english_sentences, k)
            # The reviser revised every other paragraph.
            for witness, body in (
                (original, french),
                (translation, english),
                (revision, revised(english) if n % 2 else english),
            ):
                yield Segment(witness=witness, sid=f"p{n + 1}", position=n, text=body)

    def alignments(self, trios) -> None:
        made = Alignment.objects.bulk_create(
            [
                Alignment(document=o.document, source=o, target=other)
                for o, t, r in trios
                for other in (t, r)
            ]
        )
        rows = (
            AlignmentRow(
                alignment=alignment,
                position=n,
                source_sids=[f"p{n + 1}"],
                target_sids=[f"p{n + 1}"],
                confidence=1.0,
                status=RowStatus.CONFIRMED,
            )
            for alignment in made
            for n in range(self.paragraphs)
        )
        _bulk(AlignmentRow, rows)

    def run(self, count: int) -> None:
        documents = self.documents(count)
        trios = self.witnesses(documents)
        _bulk(Segment, (s for k, trio in enumerate(trios) for s in self.segments(k, trio)))
        self.alignments(trios)


def _bulk(model, objects, size: int = 5000) -> None:
    batch = []
    for item in objects:
        batch.append(item)
        if len(batch) == size:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Command(BaseCommand):
    help = (
        "Generate a collection of documents from the shared gold texts (three witnesses of "
        "N paragraphs each, aligned), then time search and concordance queries on it: "
        "median and 95th percentile, in milliseconds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, default=1000)
        parser.add_argument("--paragraphs", type=int, default=50)
        parser.add_argument("--runs", type=int, default=5, help="timed runs of each query")
        parser.add_argument("--keep", action="store_true", help="keep the collection")
        parser.add_argument(
            "--shared",
            type=Path,
            default=Path(settings.BASE_DIR).parent / "shared",
            help="the shared data folder (default: ../shared beside the repository)",
        )

    def handle(self, *args, **options) -> None:
        if not (options["shared"] / GOLD).is_dir():
            raise CommandError(f"No gold texts at {options['shared'] / GOLD}.")
        edition, reader = self._collection(options)
        try:
            self._measure(edition, reader, options["runs"])
        finally:
            if not options["keep"]:
                self._delete(edition)

    def _collection(self, options) -> tuple[Edition, object]:
        count, paragraphs = options["documents"], options["paragraphs"]
        reader, _created = get_user_model().objects.get_or_create(username=USER)
        edition = Edition.objects.filter(slug=SLUG).first()
        expected = count * 3 * paragraphs
        if edition and Segment.objects.filter(witness__document__edition=edition).count() == (
            expected
        ):
            self.stdout.write(f"Reusing the collection: {count} documents.")
            return edition, reader
        if edition:
            self._delete(edition)
        started = time.perf_counter()
        with transaction.atomic():
            edition = Edition.objects.create(title="Search benchmark", slug=SLUG)
            Membership.objects.create(edition=edition, user=reader, role=Role.READER)
            texts = load_texts(options["shared"])
            Generator(edition, texts, paragraphs).run(count)
        # Fresh statistics, as autovacuum (PostgreSQL) would gather them after such a load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Generated {count} documents, {expected} segments, {2 * count * paragraphs} "
            f"alignment rows in {time.perf_counter() - started:.1f} s."
        )
        return edition, reader

    def _time(self, runs: int, call: Callable[[], object]) -> list[tuple[float, float]]:
        """(wall, CPU) milliseconds of each run. CPU is this process's own: it stays
        meaningful when other work loads the machine (the database's share is not in it)."""
        call()  # warm the database's caches, as a second user would find them
        timings = []
        for _run in range(runs):
            # The collection repeats its texts: the aligned-text caches would flatter it.
            counterparts.clear_caches()
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            timings.append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
        return timings

    def _measure(self, edition: Edition, reader, runs: int) -> None:
        filters = search.Filters(edition_ids=[edition.pk])
        client = Client()
        client.force_login(reader)
        kinds = {
            "search (query)": [
                (q, lambda q=q: search.search(q, filters, limit=20)) for q in SEARCH_QUERIES
            ],
            "search (page)": [
                (q, lambda q=q: client.get("/search/", {"q": q})) for q in SEARCH_QUERIES
            ],
            "concordance (query)": [
                (f"{c.text} [{c.language}, {c.mode}]", lambda c=c: concordance.build(c, filters))
                for c in CONCORDANCE_QUERIES
            ],
            "concordance (page)": [
                (
                    f"{c.text} [{c.language}, {c.mode}]",
                    lambda c=c: client.get(
                        "/concordance/",
                        {"q": c.text, "language": c.language, "mode": c.mode, "sort": c.sort},
                    ),
                )
                for c in CONCORDANCE_QUERIES
            ],
        }
        self.stdout.write(
            f"Database: {connection.vendor}; {runs} timed runs per query; wall (CPU) in ms."
        )
        for kind, calls in kinds.items():
            timings = {name: self._time(runs, call) for name, call in calls}
            walls = [w for values in timings.values() for w, _c in values]
            cpus = [c for values in timings.values() for _w, c in values]
            self.stdout.write(
                f"{kind}: median {statistics.median(walls):.1f} ({statistics.median(cpus):.1f}), "
                f"p95 {percentile(walls, 0.95):.1f} ({percentile(cpus, 0.95):.1f}), "
                f"max {max(walls):.1f} ({len(calls)} queries x {runs} runs)"
            )
            for name, values in timings.items():
                wall = statistics.median(w for w, _c in values)
                cpu = statistics.median(c for _w, c in values)
                self.stdout.write(f"    {name}: median {wall:.1f} ({cpu:.1f})")
        self._report_counts(filters)

    def _report_counts(self, filters: search.Filters) -> None:
        for text in SEARCH_QUERIES[:3]:
            _matches, total = search.search(text, filters, limit=1)
            self.stdout.write(f"  {text!r}: {total} results")

    def _delete(self, edition: Edition) -> None:
        started = time.perf_counter()
        with transaction.atomic():
            documents = Document.objects.filter(edition=edition)
            AlignmentRow.objects.filter(alignment__document__in=documents).delete()
            Alignment.objects.filter(document__in=documents).delete()
            Segment.objects.filter(witness__document__in=documents).delete()
            Witness.objects.filter(document__in=documents, role=WitnessRole.REVISION).delete()
            Witness.objects.filter(document__in=documents).delete()
            edition.delete()
        self.stdout.write(f"Deleted the collection in {time.perf_counter() - started:.1f} s.")
