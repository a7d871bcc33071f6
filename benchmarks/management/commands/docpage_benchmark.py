"""Measure the book-size pages: the document page's first screen, its pages of rows, the
annotation panel, find-in-document, the comparison and the alignment editor.

The book is Verne's *Voyage au centre de la Terre* in ../shared (the French original and two
English translations, 2,300 paragraphs each, aligned one paragraph to one), or generated text
without it, with ``--annotations`` annotations and a reply each. It is built inside a
transaction rolled back at the end: the database is left as it was. Each figure is a median
of server time through Django's test client (middleware, session, queries, rendering), with the
bytes and the queries of one request.
"""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from editions import docpage
from editions.booksize import bulk_annotations, bulk_replies, synthetic_book, verne_book
from editions.models import Edition, Membership, Role, Segment
from editions.revisions import save_text

SHARED = Path(settings.BASE_DIR).parent / "shared"


class Rollback(Exception):
    """Raised to roll the benchmark's book back."""


@dataclass(frozen=True)
class Measure:
    wall: float  # ms
    cpu: float  # ms of this process
    size: int  # bytes
    queries: int


class Command(BaseCommand):
    help = "Time the book-size document page, its rows, the annotation panel and the others."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=2300)
        parser.add_argument("--annotations", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=9, help="Runs per figure (median).")
        parser.add_argument("--cold-runs", type=int, default=3)
        parser.add_argument("--shared", type=Path, default=SHARED)

    def handle(self, *args, rows, annotations, runs, cold_runs, shared, **options):
        try:
            with transaction.atomic():
                client, urls, document = self._build(rows, annotations, shared)
                self.stdout.write("| page | cold cache | warm cache | bytes | queries |")
                self.stdout.write("| --- | --- | --- | --- | --- |")
                for name, url in urls.items():
                    self._row(name, client, url, runs, cold_runs)
                self._after_edit(client, urls["document page, first screen"], document, runs)
                raise Rollback
        except Rollback:
            pass

    def _build(self, rows: int, annotations: int, shared: Path):
        edition = Edition.objects.create(title="Benchmark book", slug="docpage-benchmark")
        user = get_user_model().objects.create_user("docpage-benchmark")
        Membership.objects.create(edition=edition, user=user, role=Role.OWNER)
        if (shared / "corpora" / "verne-voyage").is_dir():
            document = verne_book(edition, shared, limit=rows)
            source = "Verne (../shared/corpora/verne-voyage)"
        else:
            document = synthetic_book(edition, rows=rows)
            source = "generated text"
        _annotate(document, user, annotations)
        self.stdout.write(
            f"{source}: {Segment.objects.filter(witness__document=document).count()} segments"
            f" in {document.witnesses.count()} witnesses, {annotations} annotations\n"
        )
        client = Client()
        client.force_login(user)
        base = document.get_absolute_url()
        args = [edition.slug, document.slug]
        alignment = document.alignments.order_by("pk").first()
        urls = {
            "document page, first screen": base,
            "document page, a page of rows (start=1201)": (
                f"{reverse('editions:document_rows', args=args)}?start=1201"
            ),
            "annotation panel": reverse("editions:annotation_panel", args=args),
            "find in the document": f"{reverse('editions:document_find', args=args)}?q=the",
            "comparison, first screen": reverse("editions:compare", args=args),
            "alignment editor, first screen": alignment.get_absolute_url(),
        }
        return client, urls, document

    def _row(self, name: str, client: Client, url: str, runs: int, cold_runs: int) -> None:
        htmx = "rows" in url
        cold = []
        for _ in range(cold_runs):
            cache.clear()
            docpage._RECENT.clear()  # the process's own copy of the layout too
            cold.append(_get(client, url, htmx))
        warm = [_get(client, url, htmx) for _ in range(runs)]
        last = warm[-1]
        self.stdout.write(
            f"| {name} | {_median(cold, 'wall'):.0f} ms (CPU {_median(cold, 'cpu'):.0f})"
            f" | {_median(warm, 'wall'):.0f} ms (CPU {_median(warm, 'cpu'):.0f})"
            f" | {last.size / 1024:.0f} KiB | {last.queries} |"
        )

    def _after_edit(self, client: Client, url: str, document, runs: int) -> None:
        segments = list(
            Segment.objects.filter(witness__document=document, kind="paragraph").order_by("pk")
        )
        timings = []
        for n in range(runs):
            segment = segments[(n * 37) % 40]  # on the first screen
            segment.refresh_from_db()
            save_text(segment, segment.version, f"{segment.text} (edited {n})", None, "benchmark")
            timings.append(_get(client, url, False))
        self.stdout.write(
            f"| document page, first screen, right after a paragraph on it is edited | |"
            f" {_median(timings, 'wall'):.0f} ms (CPU {_median(timings, 'cpu'):.0f})"
            f" | {timings[-1].size / 1024:.0f} KiB | {timings[-1].queries} |"
        )


def _annotate(document, user, count: int) -> None:
    """``count`` edition-wide annotations spread over the book, each with a reply."""
    segments = list(Segment.objects.filter(witness__document=document).order_by("pk"))
    step = max(1, len(segments) // max(count, 1))
    bulk_replies(bulk_annotations(document, segments[::step], [user], count), user)


def _get(client: Client, url: str, htmx: bool) -> Measure:
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, **headers)
        elapsed = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    return Measure(*elapsed, len(response.content), len(queries))


def _median(measures: list[Measure], field: str) -> float:
    return statistics.median(getattr(m, field) for m in measures)
