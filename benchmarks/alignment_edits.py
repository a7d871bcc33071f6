"""Editing the book's alignment: the cost of one row operation on a 2,266-row alignment.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench \
        .venv/bin/python benchmarks/alignment_edits.py [--runs 20]

On the Verne book that ``manage.py load_book`` builds (built here if absent), merges a row
with the next one and splits it again, ``--runs`` times each, as the editor's POSTs do
(``alignment_store.change``: version check, rows read, the edit, completeness check, rows written,
the change recorded with its snapshots), inside a transaction rolled back at the end. Prints
the median and the slowest time of one operation and its database queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from editions.alignment import rows as ops  # noqa: E402
from editions.alignment_store import change  # noqa: E402
from editions.management.commands.load_book import EDITION  # noqa: E402
from editions.models import Alignment  # noqa: E402

ROW = 1000  # a row in the middle of the book


class Rollback(Exception):
    pass


def _at_row(edit):
    return lambda rows: edit(rows, ROW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    if not Alignment.objects.filter(document__edition__slug=EDITION).exists():
        call_command("load_book")
    alignment = Alignment.objects.get(document__edition__slug=EDITION, target__slug="en-1877")
    times: list[float] = []
    queries: list[int] = []
    try:
        with transaction.atomic():
            for n in range(2 * options.runs):
                edit = ops.merge_with_next if n % 2 == 0 else ops.split
                alignment.refresh_from_db()
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    change(alignment, alignment.version, None, "op", ("op", {}), _at_row(edit))
                times.append(time.perf_counter() - started)
                queries.append(len(captured))
            raise Rollback
    except Rollback:
        pass
    rows = alignment.rows.count()
    print(
        f"{rows:,} rows: one operation {statistics.median(times) * 1000:.0f} ms median, "
        f"{max(times) * 1000:.0f} ms slowest, {max(queries)} queries "
        f"({len(times)} operations: merge then split, row {ROW + 1})"
    )


if __name__ == "__main__":
    main()
