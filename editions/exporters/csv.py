"""A document's annotations as CSV, one row per annotation, for spreadsheets.

An annotation over several spans lists them one per line in its witness, segment and
quote cells. Cells that a spreadsheet would run as formulas are quoted away.
"""

import csv
import io

from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from ..concordance import csv_cell
from ..w3c import absolute
from .data import DocumentExport, person_name


def header() -> list[str]:
    return [
        _("number"),
        _("document"),
        _("witness"),
        _("segment id"),
        _("quote"),
        _("category"),
        _("note"),
        _("tags"),
        _("author"),
        _("status"),
        _("replies"),
        _("created"),
        _("modified"),
        _("link"),
    ]


def export_csv(export: DocumentExport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    for annotation in export.annotations:
        targets = list(annotation.targets.all())
        row = [
            export.number[annotation.pk],
            export.document.title,
            "\n".join(t.segment.witness.label for t in targets),
            "\n".join(t.segment.sid for t in targets),
            "\n".join(t.quote + ("" if t.start is not None else _(" (orphaned)")) for t in targets),
            annotation.category.name if annotation.category else "",
            annotation.body,
            ", ".join(annotation.tags),
            person_name(annotation.author),
            annotation.get_status_display(),
            len(annotation.replies.all()),
            localtime(annotation.created_at).isoformat(timespec="seconds"),
            localtime(annotation.updated_at).isoformat(timespec="seconds"),
            absolute(export.base_url, annotation.get_absolute_url()),
        ]
        writer.writerow([csv_cell(value) for value in row])
    # A byte-order mark: spreadsheets then read the file as UTF-8, accents intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")
