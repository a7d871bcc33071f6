"""The annotated edition as one self-contained HTML file (and the source of the PDF).

The stylesheet is inside the file and nothing needs a script: the document's metadata, its
witnesses in facing columns by aligned row, footnotes, and the annotations as numbered
notes keyed by category (each marked span ends with its note's number, in the category's
colour). The print stylesheet lays it out on pages with running heads and page numbers,
which is what WeasyPrint renders for the PDF.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe

from ..models import AnnotationTarget, Segment, Witness
from ..w3c import absolute
from .data import DocumentExport, pieces, received_text

UNCATEGORISED_COLOR = "#7f8c8d"


def rgba(color: str, alpha: float) -> str:
    """ "#rrggbb" as rgba(), which WeasyPrint and every browser read."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def color_of(target: AnnotationTarget) -> str:
    category = target.annotation.category
    return category.color if category else UNCATEGORISED_COLOR


@dataclass
class _Markers:
    """Ids for the note numbers in the text: the first of each note is what its note links back
    to; later ones (an annotation over several spans) get ids of their own."""

    seen: dict[int, int] = field(default_factory=dict)

    def next_id(self, number: int) -> str:
        count = self.seen.get(number, 0)
        self.seen[number] = count + 1
        return f"ref-{number}" if count == 0 else f"ref-{number}-{count + 1}"


def fn_id(segment: Segment) -> str:
    return f"fn-{segment.anchor_id}"


# Between a note number and a footnote call that meet: "5982⁵ ¹", not "5982⁵¹".
MARKER_GAP = '<sup class="marker-gap">\u202f</sup>'


def segment_html(export: DocumentExport, segment: Segment, markers: _Markers) -> SafeString:
    out: list[str] = []
    last_marker = ""  # "ref" or "ends" when the last thing written was such a marker
    for piece in pieces(segment, export.targets_on(segment)):
        kind = "ref" if piece.ref is not None else "ends" if piece.ends else ""
        if kind and last_marker and kind != last_marker:
            out.append(MARKER_GAP)
        last_marker = kind
        if piece.ref is not None:
            out.append(
                format_html(
                    '<sup class="fn-ref"><a href="#{}">{}</a></sup>',
                    fn_id(piece.ref.note),
                    piece.ref.label,
                )
            )
        elif piece.ends:
            numbers = sorted({export.number[t.annotation_id] for t in piece.ends})
            colors = {export.number[t.annotation_id]: color_of(t) for t in piece.ends}
            # Several notes at one point read "2,3", each number in its category's colour.
            out.append(
                '<sup class="anno-sep">,</sup>'.join(
                    format_html(
                        '<sup class="anno-ref" id="{}" style="color: {}">'
                        '<a href="#note-{}">{}</a></sup>',
                        markers.next_id(n),
                        colors[n],
                        n,
                        n,
                    )
                    for n in numbers
                )
            )
        elif piece.covering:
            color = color_of(piece.covering[0])
            out.append(
                format_html(
                    '<mark class="anno{}" style="background: {}; border-bottom-color: {}">'
                    "{}</mark>",
                    " multi" if len(piece.covering) > 1 else "",
                    rgba(color, 0.35 if len(piece.covering) > 1 else 0.2),
                    color,
                    _text(piece.text),
                )
            )
        else:
            out.append(_text(piece.text))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped or format_html


def _text(text: str) -> SafeString:
    return mark_safe("<br>".join(escape(line) for line in text.split("\n")))  # noqa: S308 - each line escaped


def _cell(export: DocumentExport, segments: list[Segment], markers: _Markers) -> list[dict]:
    return [
        {"segment": s, "html": segment_html(export, s, markers), "id": s.anchor_id}
        for s in segments
    ]


def _notes(export: DocumentExport, witness: Witness, markers: _Markers) -> list[dict]:
    return [
        {"segment": s, "html": segment_html(export, s, markers), "id": fn_id(s)}
        for s in export.footnotes(witness)
    ]


def _annotation_notes(export: DocumentExport) -> list[dict]:
    notes = []
    for annotation in export.annotations:
        targets = list(annotation.targets.all())
        notes.append(
            {
                "number": export.number[annotation.pk],
                "annotation": annotation,
                "color": annotation.category.color if annotation.category else UNCATEGORISED_COLOR,
                "targets": targets,
                "anchored": any(t.start is not None for t in targets),
                "body": mark_safe(annotation.body_html),  # noqa: S308 - sanitised when saved
                "replies": [
                    (r, mark_safe(r.body_html))  # noqa: S308 - sanitised when saved
                    for r in annotation.replies.all()
                ],
            }
        )
    return notes


def _key(export: DocumentExport) -> list[dict]:
    """The categories with how many notes each has, then the uncategorised ones."""
    counts: dict[int | None, int] = {}
    for annotation in export.annotations:
        counts[annotation.category_id] = counts.get(annotation.category_id, 0) + 1
    key = [{"name": c.name, "color": c.color, "count": counts[c.pk]} for c in export.categories()]
    if None in counts:
        key.append({"name": None, "color": UNCATEGORISED_COLOR, "count": counts[None]})
    return key


def context(export: DocumentExport) -> dict:
    markers = _Markers()
    columns = export.columns()
    rows = [
        [
            {"language": columns[c].language, "items": _cell(export, cell, markers)}
            for c, cell in enumerate(cells)
        ]
        for cells in export.layout_rows()
    ]
    unaligned = export.synopsis.unaligned if export.synopsis else []
    return {
        "export": export,
        "document": export.document,
        "edition": export.edition,
        "columns": columns,
        "rows": rows,
        "first_row": 0,  # the rows' numbers start after this (a part of the PDF starts later)
        "aligned": export.synopsis is not None,
        "unaligned": [
            {"witness": w, "cells": _cell(export, export.body_segments(w), markers)}
            for w in unaligned
        ],
        "footnotes": [
            {"witness": w, "notes": notes}
            for w in export.witnesses
            if (notes := _notes(export, w, markers))
        ],
        "notes": _annotation_notes(export),
        "key": _key(export),
        "received": received_text(export.document),
        "summary": mark_safe(linebreaks(export.document.summary, autoescape=True)),  # noqa: S308 - autoescape=True
        "landscape": len(columns) > 2,
        "page_url": absolute(export.base_url, export.document.get_absolute_url()),
        "generated": timezone.localtime(),
    }


def render_html(export: DocumentExport) -> str:
    return render_to_string("editions/exports/edition.html", context(export))


def export_html(export: DocumentExport) -> bytes:
    return render_html(export).encode("utf-8")
