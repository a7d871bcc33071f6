"""Build the book-size benchmark document: Verne's novel in French and two English translations.

``manage.py load_book`` imports the three Verne texts of ``../shared/corpora/verne-voyage``
as one document (about 2,300 paragraphs each, read by blank lines, chapter titles
as headings), aligns the French with each translation, and adds annotations spread
over the three texts (1,000 by default) by a few annotators. The load and export benchmarks
(``benchmarks/``) run on it. The edition is rebuilt from scratch when it exists.
"""

import random
import re
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from editions.alignment_store import create_alignment
from editions.annotating import Span, create_annotation, ensure_categories
from editions.models import (
    SID_PREFIX,
    Document,
    Edition,
    Membership,
    Role,
    Segment,
    SegmentKind,
    Witness,
)

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpora" / "verne-voyage"
EDITION = "verne-book"
DOCUMENT = "voyage-au-centre-de-la-terre"
# (file, witness slug, label, language, role)
TEXTS = [
    ("fr-1864-hetzel.txt", "fr-1864", "Hetzel 1864 (French)", "fr", "original"),
    ("en-1871-griffith-farran.txt", "en-1871", "Griffith & Farran 1871", "en", "translation"),
    ("en-1877-malleson.txt", "en-1877", "Malleson 1877", "en", "translation"),
]
# The French chapters are numbered alone ("XII"), the translations' "CHAPTER 12" (1871),
# "CHAPTER XII." then its title (1877).
CHAPTER = re.compile(r"(CHAPTER ([IVXLC]+|[0-9]+)\b|[IVXLC]+\.?$)")
ANNOTATORS = ["book-editor", "book-annotator-1", "book-annotator-2"]
PASSWORD = "verne-book-benchmark"  # noqa: S105 - a throwaway benchmark database's users
SEED = 1864
NOTES = [
    "The 1871 translation renames the characters here.",
    "Compare the **French**: the sentence is cut in the translation.",
    "Malleson adds a note of his own.",
    "A free rendering: the figure of speech is lost.",
    "The number differs from the original.",
]


class Command(BaseCommand):
    help = "Build the Verne book (three texts, two alignments, annotations) for the benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--annotations", type=int, default=1000)
        parser.add_argument("--corpus", type=Path, default=CORPUS)

    def handle(self, *args, annotations: int, corpus: Path, **options) -> None:
        if not corpus.is_dir():
            raise CommandError(f"The Verne corpus is not at {corpus}.")
        started = time.perf_counter()
        Edition.objects.filter(slug=EDITION).delete()
        edition = Edition.objects.create(slug=EDITION, title="Voyage au centre de la Terre")
        users = [_member(edition, name) for name in ANNOTATORS]
        document = _import(edition, corpus)
        french, *translations = list(document.witnesses.order_by("pk"))
        for translation in translations:
            tick = time.perf_counter()
            alignment = create_alignment(document, french, translation, users[0])
            self.stdout.write(
                f"aligned {french.slug} with {translation.slug}: {alignment.rows.count()} rows "
                f"in {time.perf_counter() - tick:.1f} s"
            )
        _annotate(document, users, annotations)
        counts = ", ".join(
            f"{w.slug} {w.segments.count()} segments" for w in document.witnesses.order_by("pk")
        )
        self.stdout.write(
            f"Built {edition.slug}/{document.slug}: {counts}, {annotations} annotations "
            f"in {time.perf_counter() - started:.0f} s. Sign in as {ANNOTATORS[0]} / {PASSWORD}."
        )


def _member(edition: Edition, username: str):
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(PASSWORD)
    user.save()
    role = Role.OWNER if username == ANNOTATORS[0] else Role.ANNOTATOR
    Membership.objects.create(edition=edition, user=user, role=role)
    return user


@transaction.atomic
def _import(edition: Edition, corpus: Path) -> Document:
    """The three texts split on blank lines (the corpus's paragraphs), chapter titles as
    headings. (The plain-text importer reads Gutenberg's headings and notes its own way; the
    benchmark wants the corpus's stated paragraph counts, 2,326 / 2,517 / 2,266.)"""
    document = Document.objects.create(
        edition=edition, slug=DOCUMENT, title="Voyage au centre de la Terre", author="Jules Verne"
    )
    for filename, slug, label, language, role in TEXTS:
        blocks = paragraphs((corpus / filename).read_text(encoding="utf-8"))
        witness = Witness.objects.create(
            document=document,
            slug=slug,
            label=label,
            language=language,
            role=role,
            next_serial=len(blocks) + 1,
        )
        Segment.objects.bulk_create(
            Segment(
                witness=witness,
                sid=f"{SID_PREFIX[kind]}{n}",
                kind=kind,
                position=n,
                text=text,
            )
            for n, (kind, text) in enumerate(blocks, start=1)
        )
    return document


def paragraphs(text: str) -> list[tuple[SegmentKind, str]]:
    """(kind, text) of each block between blank lines, its line breaks made spaces."""
    blocks = [" ".join(block.split()) for block in text.split("\n\n")]
    return [(_kind(block), block) for block in blocks if block]


def _kind(block: str) -> SegmentKind:
    heading = CHAPTER.match(block) is not None and len(block) < 120
    return SegmentKind.HEADING if heading else SegmentKind.PARAGRAPH


def _annotate(document: Document, users: list, count: int) -> None:
    """Annotations on random words of random paragraphs, a few spanning two texts."""
    ensure_categories(document.edition)
    categories = list(document.edition.categories.all())
    segments = [
        s
        for w in document.witnesses.all()
        for s in w.segments.exclude(kind=SegmentKind.FOOTNOTE)
        if len(s.text) > 20
    ]
    rng = random.Random(SEED)  # noqa: S311 - reproducible notes, not a secret
    with transaction.atomic():
        for n in range(count):
            chosen = rng.sample(segments, 2 if n % 10 == 0 else 1)
            spans = []
            for segment in chosen:
                start = rng.randrange(0, len(segment.text) - 10)
                spans.append(Span(segment, start, start + rng.randrange(5, 10)))
            create_annotation(
                user=users[n % len(users)],
                document=document,
                spans=spans,
                body=NOTES[n % len(NOTES)],
                category=categories[n % len(categories)],
                tags=["benchmark"],
            )
