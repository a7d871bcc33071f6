"""Import timing and memory for whole books (docs/BENCHMARKS.md), on the configured database:

    DATABASE_URL=... .venv/bin/python -m benchmarks.imports FILE [FILE ...]

The files are imported, in order, into one document of a scratch edition (the first as the
French original), inside one transaction that is rolled back at the end: nothing is kept.
For each file: the time to parse (decode, detect, segment) and to save (document, witness,
segments, footnote links), then the peak of memory Python allocates for the same import
made again (tracemalloc, which would slow the timed run), beside the process's peak
resident size. Last, the browser's import preview of the first file, timed three times.

    .venv/bin/python -m benchmarks.imports --align SOURCE TARGET

aligns two books' paragraphs with and without their chapter headings as anchors.
"""

import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path


def main(paths: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from editions.importers import parse_record, save_record
    from editions.models import Edition

    print(f"database: {connection.vendor}")
    with transaction.atomic():
        edition = Edition.objects.create(slug="import-benchmark-scratch", title="Scratch")
        for n, name in enumerate(paths):
            data = Path(name).read_bytes()
            options = {"language": "fr", "role": "original"} if n == 0 else {}

            def run(slug: str, data=data, name=name, options=options):
                start = time.perf_counter()
                record = parse_record(data, name)
                parsed = time.perf_counter()
                witness = save_record(record, edition=edition, document_slug=slug, **options)
                return witness, parsed - start, time.perf_counter() - parsed

            witness, parse, save = run("book")  # timed without tracemalloc, which slows it
            tracemalloc.start()
            run("book-memory")  # the same import again, into another document, for memory
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"{Path(name).name}: {len(data) / 1024:.0f} KB, "
                f"{witness.segments.count()} segments; parse {parse:.2f} s, save {save:.2f} s, "
                f"total {parse + save:.2f} s; peak Python memory {peak / 2**20:.0f} MiB, "
                f"process peak RSS {rss / 1024:.0f} MiB"
            )
        _time_preview(edition, Path(paths[0]))
        transaction.set_rollback(True)


def _time_preview(edition, path: Path) -> None:
    """The browser's preview of the first file (upload, parse, render), three times."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from editions.models import Membership, Role

    user = get_user_model().objects.create_user("import-benchmark-scratch")
    Membership.objects.create(edition=edition, user=user, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    url = reverse("editions:import_record", args=[edition.slug])
    times, size = [], 0
    for _run in range(3):
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        start = time.perf_counter()
        response = client.post(url, {"file": upload, "preview": "1"})
        times.append(time.perf_counter() - start)
        size = len(response.content)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"preview of {path.name}: {runs} s ({size / 1024:.0f} KB page)")


def align_books(source: str, target: str) -> None:
    """The paragraph alignment of two books, with and without heading anchors: its time, and
    how many of the source's headings end up alone in a row with a heading."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()
    from editions.alignment import Bead, align
    from editions.alignment.headings import heading_pairs
    from editions.importers import parse_record

    src, tgt = (parse_record(Path(p).read_bytes(), p).body for p in (source, target))
    headings = [i for i, s in enumerate(src) if s.kind == "heading"]
    pairs = heading_pairs(
        [s.text for s in src],
        [t.text for t in tgt],
        headings,
        [j for j, t in enumerate(tgt) if t.kind == "heading"],
    )
    for name, constraints in (("with", [Bead((i,), (j,)) for i, j in pairs]), ("without", [])):
        start = time.perf_counter()
        beads = align([s.text for s in src], [t.text for t in tgt], constraints=constraints)
        took = time.perf_counter() - start
        paired = sum(
            len(b.src) == len(b.tgt) == 1 and src[b.src[0]].kind == tgt[b.tgt[0]].kind == "heading"
            for b in beads
        )
        print(
            f"{name} heading anchors ({len(pairs)}): {took:.1f} s, {len(beads)} rows, "
            f"{paired} of {len(headings)} headings in a row with a heading alone"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--align"]:
        align_books(*sys.argv[2:4])
    else:
        main(sys.argv[1:])
