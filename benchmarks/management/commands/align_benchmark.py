"""Score the aligner on gold sets.

manage.py align_benchmark --settings benchmarks.settings DIR [DIR ...]
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks.gold_sets import (
    Result,
    combined,
    load_documents,
    measure,
    set_languages,
    systems,
)

COLUMNS = (
    ("system", 13),
    ("set", 22),
    ("docs", 4),
    ("P strict", 8),
    ("R strict", 8),
    ("F1 strict", 9),
    ("P lax", 6),
    ("R lax", 6),
    ("F1 lax", 6),
    ("seconds", 8),
    ("CPU s", 8),
    ("peak MB", 8),
)


class Command(BaseCommand):
    help = (
        "Align every document of the gold sets (one folder per document with src.txt, tgt.txt "
        "and gold.idx, or their .par versions) and print strict and lax precision, recall and "
        "F1, seconds and peak memory; --peers adds Gale-Church and Vecalign with USE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directories", nargs="+", metavar="DIR", help="a gold set")
        parser.add_argument("--level", choices=["sentence", "paragraph"], default="sentence")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--peers",
            action="store_true",
            help="also run the peers installed from PyPI (pip install -e '.[bench]')",
        )

    def handle(self, *args, **options) -> None:
        level = options["level"]
        results: dict[str, list[Result]] = {}
        notes: list[str] = []
        for directory in map(Path, options["directories"]):
            if not directory.is_dir():
                raise CommandError(f"{directory} is not a directory")
            documents = load_documents(directory, level)
            if not documents:
                notes.append(f"{directory}: no document has {level}-level files; skipped")
                continue
            found, messages = systems(*set_languages(directory), options["peers"])
            notes.extend(message for message in messages if message not in notes)
            for system in found:
                result = measure(system, documents, directory.resolve().name, level)
                results.setdefault(system.name, []).append(result)
        if "ours" not in results:
            raise CommandError(f"no document with {level}-level files in the given directories")
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(results, notes)))
        else:
            self._table(results, notes)

    def _table(self, results: dict[str, list[Result]], notes: list[str]) -> None:
        self.stdout.write("  ".join(title.rjust(width) for title, width in COLUMNS))
        for per_set in results.values():
            rows = per_set + ([combined(per_set)] if len(per_set) > 1 else [])
            for result in rows:
                self.stdout.write(_row(result))
        for note in notes:
            self.stdout.write(note)


def _row(result: Result) -> str:
    s = result.scores
    values = (
        result.system,
        result.gold_set[:22],
        str(result.documents),
        *(f"{s[key]:.3f}" for key in ("precision_strict", "recall_strict", "f1_strict")),
        *(f"{s[key]:.3f}" for key in ("precision_lax", "recall_lax", "f1_lax")),
        f"{result.seconds:.2f}",
        f"{result.cpu_seconds:.2f}",
        f"{result.peak_mb:.1f}",
    )
    return "  ".join(value.rjust(width) for value, (_, width) in zip(values, COLUMNS, strict=True))


def _as_json(results: dict[str, list[Result]], notes: list[str]) -> dict[str, object]:
    """Our scores over all the sets at the top, then per set, then the peers'."""
    ours = combined(results["ours"]).as_dict()
    ours["sets"] = [result.as_dict() for result in results["ours"]]
    peers = {
        name: combined(per_set).as_dict() for name, per_set in results.items() if name != "ours"
    }
    if peers:
        ours["peers"] = peers
    if notes:
        ours["notes"] = notes
    return ours
