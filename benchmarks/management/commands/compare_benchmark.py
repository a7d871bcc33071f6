"""Time the comparison page on a 200-row document with two translations.

The document is built inside a transaction that is rolled back at the end, so the database is
left as it was. Texts come from the TransRead gold set in ``../shared`` when it is there (the
French sentences and their English translation, a few aligned sentences per row); the second
translation is the first one reworded by a seeded random process (words replaced, dropped,
added; punctuation and case changed), like a second translator who kept most of the first.
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from editions.models import (
    Alignment,
    AlignmentRow,
    Document,
    Edition,
    Membership,
    Role,
    Segment,
    Witness,
    WitnessRole,
)
from editions.revisions import save_text

GOLD = Path(settings.BASE_DIR).parent / "shared" / "gold" / "transread-fr-en"
SENTENCES_PER_ROW = 3
SEED = 1962


class Rollback(Exception):
    """Raised to roll the benchmark's document back."""


@dataclass(frozen=True)
class Timing:
    wall: float  # milliseconds from request to response: the server time
    cpu: float  # milliseconds of this process's CPU: the same, less what other processes took


class Command(BaseCommand):
    help = "Time the comparison page (cold and warm cache) on a 200-row, two-translation document."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=200)
        parser.add_argument("--runs", type=int, default=15, help="Runs per figure (median).")
        parser.add_argument("--cold-runs", type=int, default=5)

    def handle(self, *args, rows: int, runs: int, cold_runs: int, **options):
        french, english, source = _texts(rows)
        self.stdout.write(
            f"{rows} rows from {source}; {sum(map(len, english))} characters per translation"
        )
        try:
            with transaction.atomic():
                urls, user = _build(french, english)
                client = Client()
                client.force_login(user)
                for name, url in urls.items():
                    self._time(name, lambda url=url: _get(client, url), runs, cold_runs)
                side_by_side = next(iter(urls.values()))
                self._time_after_edits(lambda: _get(client, side_by_side), runs)
                raise Rollback
        except Rollback:
            pass

    def _time_after_edits(self, fetch: Callable[[], Timing], runs: int) -> None:
        timings = []
        for n in range(runs):
            _edit_one_paragraph(n)
            timings.append(fetch())
        self.stdout.write(
            "comparison page (side by side) right after a paragraph is edited:\n"
            f"  warm cache but that row: {_median(timings, 'wall'):.1f} ms,"
            f" CPU {_median(timings, 'cpu'):.1f} ms (median of {runs})"
        )

    def _time(self, name: str, fetch: Callable[[], Timing], runs: int, cold_runs: int) -> None:
        cold = []
        for _ in range(cold_runs):
            cache.clear()
            cold.append(fetch())
        fetch()  # warm the cache
        warm = [fetch() for _ in range(runs)]
        self.stdout.write(
            f"{name}:\n"
            f"  cold cache: {_median(cold, 'wall'):.0f} ms, CPU {_median(cold, 'cpu'):.0f} ms"
            f" (median of {cold_runs})\n"
            f"  warm cache: {_median(warm, 'wall'):.1f} ms, CPU {_median(warm, 'cpu'):.1f} ms"
            f" (median of {runs}; wall min {min(t.wall for t in warm):.1f})"
        )


def _edit_one_paragraph(n: int) -> None:
    """Save a new version of one paragraph of the second translation (its row goes cold)."""
    segments = Segment.objects.filter(witness__slug="second-en").order_by("position")
    segment = segments[(n * 37) % segments.count()]
    save_text(segment, segment.version, f"{segment.text} (edited {n})", None, "benchmark")


def _median(timings: list[Timing], field: str) -> float:
    return statistics.median(getattr(t, field) for t in timings)


def _get(client: Client, url: str) -> Timing:
    """Time one request, everything on the server side included."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    timing = Timing((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    return timing


def _texts(rows: int) -> tuple[list[str], list[str], str]:
    """French and English rows: from the gold set if present, else generated."""
    pairs = _gold_rows() if GOLD.is_dir() else []
    if len(pairs) >= rows:
        pairs = pairs[:rows]
        return [f for f, _e in pairs], [e for _f, e in pairs], str(GOLD)
    rng = random.Random(SEED)
    words = ["the", "of", "and", "a", "to", "in", "that", "was", "it", "with", "as", "for"]
    words += ["ambassador", "government", "soviet", "cuba", "missiles", "washington", "reply"]
    english = [
        " ".join(rng.choice(words) for _ in range(rng.randint(40, 110))).capitalize() + "."
        for _ in range(rows)
    ]
    return [f"Paragraphe {n + 1}." for n in range(rows)], english, "generated text"


def _gold_rows() -> list[tuple[str, str]]:
    rows = []
    for folder in sorted(p for p in GOLD.iterdir() if (p / "gold.idx").is_file()):
        src = (folder / "src.txt").read_text(encoding="utf-8").splitlines()
        tgt = (folder / "tgt.txt").read_text(encoding="utf-8").splitlines()
        beads = [_bead(line) for line in (folder / "gold.idx").read_text().splitlines()]
        beads = [(s, t) for s, t in beads if s and t]
        for n in range(0, len(beads) - SENTENCES_PER_ROW + 1, SENTENCES_PER_ROW):
            group = beads[n : n + SENTENCES_PER_ROW]
            rows.append(
                (
                    " ".join(src[i] for s, _t in group for i in s),
                    " ".join(tgt[j] for _s, t in group for j in t),
                )
            )
    return rows


def _bead(line: str) -> tuple[list[int], list[int]]:
    """'[0, 1]:[2]' -> ([0, 1], [2])."""
    source, target = line.split(":")
    numbers = lambda side: [int(n) for n in side.strip("[] ").split(",") if n.strip()]  # noqa: E731
    return numbers(source), numbers(target)


def _reworded(text: str, rng: random.Random, vocabulary: list[str]) -> str:
    out = []
    for word in text.split():
        roll = rng.random()
        if roll < 0.08:
            out.append(rng.choice(vocabulary))
        elif roll < 0.12:
            continue
        elif roll < 0.16:
            out.extend([word, rng.choice(vocabulary)])
        elif roll < 0.18:
            out.append(word.rstrip(",.;") + rng.choice([",", ";", ""]))
        elif roll < 0.20:
            out.append(word.swapcase())
        else:
            out.append(word)
    return " ".join(out)


def _build(french: list[str], english: list[str]) -> tuple[dict[str, str], object]:
    user = get_user_model().objects.create_user("compare-benchmark")
    edition = Edition.objects.create(title="Benchmark", slug="compare-benchmark")
    Membership.objects.create(edition=edition, user=user, role=Role.READER)
    document = Document.objects.create(edition=edition, slug="two-translations", title="Benchmark")
    rng = random.Random(SEED)
    vocabulary = " ".join(english).split()
    second = [_reworded(text, rng, vocabulary) for text in english]
    original = _witness(document, "fr", "fr", WitnessRole.ORIGINAL, french)
    for slug, texts in (("first-en", english), ("second-en", second)):
        translation = _witness(document, slug, "en", WitnessRole.TRANSLATION, texts)
        alignment = Alignment.objects.create(document=document, source=original, target=translation)
        AlignmentRow.objects.bulk_create(
            AlignmentRow(alignment=alignment, position=n, source_sids=[sid], target_sids=[sid])
            for n, sid in enumerate(f"p{n + 1}" for n in range(len(texts)))
        )
    compare = reverse("editions:compare", args=[edition.slug, document.slug])
    return {
        "comparison page (side by side)": f"{compare}?a=first-en&b=second-en",
        "comparison page (inline)": f"{compare}?a=first-en&b=second-en&mode=inline",
        "document page (synopsis, variation map)": document.get_absolute_url(),
    }, user


def _witness(document: Document, slug: str, language: str, role: str, texts: list[str]):
    witness = Witness.objects.create(
        document=document, slug=slug, label=slug, language=language, role=role
    )
    Segment.objects.bulk_create(
        Segment(witness=witness, sid=f"p{n + 1}", position=n, text=text)
        for n, text in enumerate(texts)
    )
    return witness
