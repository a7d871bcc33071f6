"""The concordance as CSV: one row per line and rendering, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from .building import Concordance
from .lines import Rendering

CSV_HEADER = [
    "document",
    "date",
    "witness",
    "language",
    "translator",
    "segment",
    "left",
    "keyword",
    "right",
    "rendering witness",
    "rendering translator",
    "rendering",
    "approximate",
    "aligned sentence",
    "link",
]


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run: formula-leading characters are quoted away."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def to_csv(concordance: Concordance, base_url: str = "") -> str:
    """One row per line and rendering (one row for a line with none)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for line in concordance.lines:
        head = [
            line.document.title,
            line.document.date.isoformat() if line.document.date else "",
            line.witness.label,
            line.witness.language,
            line.witness.translator,
            line.sid,
            line.left,
            line.keyword,
            line.right,
        ]
        renderings: list[Rendering | None] = [*line.renderings] or [None]
        for rendering in renderings:
            tail = ["", "", "", "", ""]
            if rendering is not None:
                approximate = rendering.located is not None and rendering.located.approximate
                tail = [
                    rendering.witness.label,
                    rendering.witness.translator,
                    rendering.words,
                    "yes" if approximate else "",
                    " ".join(rendering.sentence.split()),
                ]
            writer.writerow([csv_cell(v) for v in head + tail + [base_url + line.url]])
    return out.getvalue()
