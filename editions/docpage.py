"""The document page at book size: its rows laid out once, rendered once, served by windows.

A document's *layout* is every row of the page (the synopsis rows, the unaligned witnesses
beside them in their own order, then the footnotes), as segment pks per witness, with the
variation of each row, its headings and where every segment sits. It is computed once per
state of the document's texts and alignments and kept in Django's cache under a signature
read in two small queries (sums over the segments' versions, positions and kinds; the
alignments' versions), so it changes exactly when they do.

Each row's HTML is cached too, under a key made of everything it shows: its segments and
their versions, the annotation targets the reader may see on them (so private annotations
key themselves), the witnesses shown and in what order, the reader's abilities and language.
A read of a warm window of rows costs one cache lookup; editing one segment renders one row.
"""

import hashlib
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, Sum
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .annotating import visible_annotations
from .comparison import ROW_FIELDS, SEGMENT_FIELDS, variation_map
from .models import (
    Alignment,
    AlignmentRow,
    AnnotationTarget,
    Document,
    FootnoteRef,
    Segment,
    Witness,
    WitnessRole,
)
from .synopsis import Synopsis, SynopsisRow, build_synopsis

# Rows sent per window: the first screen, then each page brought in as the reader scrolls.
PAGE_ROWS = 30
# The whole-document variation navigator: this many bands, however long the document.
MAP_BANDS = 60
LAYOUT_TIMEOUT = 24 * 3600
ROW_TIMEOUT = 24 * 3600
# Building a book's layout costs 2 to 3 s of CPU. Under ASGI each request runs in its own
# thread, so after a restart every concurrent reader would build it at once (20 readers: 20
# builds on 2 cores). One builds, holding a lock in the cache (shared across processes with
# Redis); the others wait for its result this long at most, then build it themselves.
BUILD_LOCK_SECONDS = 60
BUILD_WAIT_SECONDS = 30
BUILD_POLL_SECONDS = 0.1


@dataclass
class LayoutRow:
    cells: dict[int, list[int]]  # witness pk -> segment pks (absent or empty: a gap)
    kind: str = "aligned"  # aligned | gap (a translation adds) | own (own order) | notes
    confirmed: bool = False
    low: bool = False
    variation: float | None = None
    distances: dict[int, float] = field(default_factory=dict)  # witness pk -> distance


@dataclass
class Layout:
    aligned: list[int]  # witness pks in the synopsis, pivot first
    unaligned: list[int]  # witnesses shown in their own order
    rows: list[LayoutRow]
    row_of: dict[int, int]  # segment pk -> row number (from 1)
    headings: list[tuple[int, str]]  # (row number, heading text) of the pivot's headings
    variation_language: str = ""
    most_divergent: list[tuple[int, float]] = field(default_factory=list)
    # Its cache key: changes with anything it is made of (the pages' cached parts key on it).
    key: str = ""

    @property
    def witnesses(self) -> list[int]:
        return [*self.aligned, *self.unaligned]


def ordered_witnesses(document: Document) -> list[Witness]:
    witnesses = document.witnesses.select_related("revision_of")
    return sorted(witnesses, key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))


# The layouts this process read last, by signature: unpickling a book's layout from the
# shared cache costs more than the rest of a warm request.
_RECENT: OrderedDict[str, "Layout"] = OrderedDict()
RECENT_LAYOUTS = 8


def document_layout(document: Document, witnesses: list[Witness]) -> Layout:
    """The layout, cached under a signature of everything it is made of (one small query).

    The signature sums, over the document's segments, their versions (every text edit
    bumps one), their ids weighted by position and by witness (a reordering, a move), and
    counts them and their headings; with the alignments' versions and the witnesses. A text
    edit changes the variation of a row, not the rows: those come back from the cache under
    a signature without the versions, and only the variation map is measured again.
    """
    wanted = [(w.pk, w.role, w.language) for w in witnesses]
    key = f"doclayout:{document.pk}:{text_signature(document, wanted)}"
    layout = _RECENT.get(key) or built_once(
        key, lambda: _with_variation(document, _rows_layout(document, wanted))
    )
    if layout.key != key:
        layout = replace(layout, key=key)
    _RECENT[key] = layout
    _RECENT.move_to_end(key)
    while len(_RECENT) > RECENT_LAYOUTS:
        _RECENT.popitem(last=False)
    return layout


def _rows_layout(document: Document, wanted: list) -> Layout:
    """The rows, without their variation (cached apart: text edits leave them as they are)."""
    key = f"docrows:{document.pk}:{text_signature(document, wanted, texts=False)}"
    return built_once(key, lambda: build_layout(document))


def built_once(key: str, build):
    """The cached value under ``key``, or ``build()``'s, built by one request at a time.

    The request that takes the lock (``cache.add`` succeeds for one caller only) builds and
    caches the value; the others poll the cache for it, and build it themselves if the
    builder has not delivered in BUILD_WAIT_SECONDS (it failed, or its process died).
    """
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:building"
    owner = cache.add(lock, 1, BUILD_LOCK_SECONDS)
    if not owner:
        deadline = time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(BUILD_POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value
    try:
        value = build()
        cache.set(key, value, LAYOUT_TIMEOUT)
    finally:
        if owner:
            cache.delete(lock)
    return value


def text_signature(document: Document, *extra, texts: bool = True) -> str:
    """A digest that changes whenever a text, a segment's place or an alignment does.

    ``texts=False``: whenever a segment's place, kind or a heading's text does (the rows).
    """
    changed = Sum("version") if texts else Sum("version", filter=Q(kind="heading"))
    segments = Segment.objects.filter(witness__document=document).aggregate(
        count=Count("id"),
        versions=changed,
        order=Sum(F("id") * (F("position") + 1)),
        places=Sum(F("id") * F("witness_id")),
        headings=Sum("id", filter=Q(kind="heading")),
        notes=Sum("id", filter=Q(kind="footnote")),
    )
    alignments = list(
        Alignment.objects.filter(document=document)
        .order_by("pk")
        .values_list("pk", "version", "source_id", "target_id")
    )
    return hashlib.sha1(
        repr((segments, alignments, extra, texts)).encode(), usedforsecurity=False
    ).hexdigest()


def _with_variation(document: Document, rows_layout: Layout) -> Layout:
    """The rows with the variation of their translations, measured on the current texts."""
    layout = replace(rows_layout, rows=[replace(row) for row in rows_layout.rows])
    if not layout.aligned:
        return layout
    columns = sorted(
        document.witnesses.filter(pk__in=layout.aligned), key=lambda w: layout.aligned.index(w.pk)
    )
    translations = [w.pk for w in columns if w.role == WitnessRole.TRANSLATION]
    texts = Segment.objects.filter(witness_id__in=translations).only(*SEGMENT_FIELDS).in_bulk()
    synopsis_rows = [
        SynopsisRow(
            cells=[[texts[pk] for pk in row.cells.get(w.pk, []) if pk in texts] for w in columns]
        )
        for row in layout.rows
        if row.kind in ("aligned", "gap")
    ]
    _add_variation(layout, Synopsis(columns=columns, rows=synopsis_rows))
    return layout


def _witnesses_with_text(document: Document) -> list[Witness]:
    # Only the fields the synopsis and the variation map read: a book is 7,000 segments.
    segments = Segment.objects.only(*SEGMENT_FIELDS).order_by("position")
    witnesses = document.witnesses.prefetch_related(Prefetch("segments", queryset=segments))
    return sorted(witnesses, key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))


def build_layout(document: Document) -> Layout:
    """Every row of the page, from the texts and alignments (the slow path, once per state).

    Without the variation map, which ``_with_variation`` measures on the current texts.
    """
    witnesses = _witnesses_with_text(document)
    stored_rows = AlignmentRow.objects.only(*ROW_FIELDS)
    alignments = list(document.alignments.prefetch_related(Prefetch("rows", queryset=stored_rows)))
    synopsis = build_synopsis(witnesses, alignments)
    body = {w.pk: [s for s in w.segments.all() if s.kind != "footnote"] for w in witnesses}
    notes = {w.pk: [s for s in w.segments.all() if s.kind == "footnote"] for w in witnesses}
    rows: list[LayoutRow]
    aligned: list[int]
    if synopsis is None:
        aligned, unaligned, rows = [], [w.pk for w in witnesses], []
    else:
        aligned = [w.pk for w in synopsis.columns]
        unaligned = [w.pk for w in witnesses if w.pk not in aligned]
        rows = _synopsis_rows(synopsis)
    _add_in_own_order(rows, unaligned, body, "own")
    notes_rows: list[LayoutRow] = []
    _add_in_own_order(notes_rows, [w.pk for w in witnesses], notes, "notes")
    rows.extend(notes_rows)
    layout = Layout(aligned=aligned, unaligned=unaligned, rows=rows, row_of={}, headings=[])
    pivot = aligned[0] if aligned else unaligned[0] if unaligned else None
    by_pk = {s.pk: s for w in witnesses for s in w.segments.all()}
    for number, row in enumerate(rows, start=1):
        for pks in row.cells.values():
            for pk in pks:
                layout.row_of[pk] = number
        for pk in row.cells.get(pivot, []) if pivot is not None else []:
            if by_pk[pk].kind == "heading":
                layout.headings.append((number, by_pk[pk].text[:80]))
    return layout


def _synopsis_rows(synopsis) -> list[LayoutRow]:
    rows = []
    for row in synopsis.rows:
        cells = {
            w.pk: [s.pk for s in cell] for w, cell in zip(synopsis.columns, row.cells, strict=True)
        }
        kind = "gap" if row.gap_row else "aligned"
        rows.append(LayoutRow(cells=cells, kind=kind, confirmed=row.confirmed, low=row.low))
    return rows


def _add_in_own_order(rows: list[LayoutRow], witness_pks, segments, kind: str) -> None:
    """The n-th segment of each witness in the n-th row (rows added if the text is longer)."""
    for pk in witness_pks:
        for n, segment in enumerate(segments[pk]):
            if n == len(rows):
                rows.append(LayoutRow(cells={}, kind=kind))
            rows[n].cells[pk] = [segment.pk]


def _add_variation(layout: Layout, synopsis) -> None:
    found = variation_map(synopsis)
    if found is None:
        return
    layout.variation_language = found.language
    layout.most_divergent = found.most_divergent
    columns = [w.pk for w in synopsis.columns]
    for row, measured in zip(layout.rows, found.rows, strict=False):
        row.variation = measured.variation
        row.distances = {columns[n]: d for n, d in enumerate(measured.distances) if d is not None}


def variation_bands(layout: Layout) -> list[dict]:
    """The whole document in at most MAP_BANDS bands: each its rows' mean variation, a jump."""
    measured = [(n, r.variation) for n, r in enumerate(layout.rows, start=1) if r.kind != "notes"]
    if not layout.variation_language or not measured:
        return []
    size = max(1, -(-len(measured) // MAP_BANDS))
    bands = []
    for start in range(0, len(measured), size):
        chunk = measured[start : start + size]
        values = [v for _n, v in chunk if v is not None]
        mean = sum(values) / len(values) if values else None
        bands.append({"first": chunk[0][0], "last": chunk[-1][0], "level": level(mean)})
    return bands


def level(value: float | None) -> str:
    """A variation as one of eleven CSS classes (no inline styles: the CSP forbids them)."""
    return "none" if value is None else str(round(max(0.0, min(1.0, value)) * 10))


# --- Rows -------------------------------------------------------------------------------


@dataclass
class Window:
    start: int  # first row number (from 1)
    end: int  # last row number shown
    total: int
    html: list[str]

    @property
    def before(self) -> int | None:
        return max(1, self.start - PAGE_ROWS) if self.start > 1 else None

    @property
    def after(self) -> int | None:
        return self.end + 1 if self.end < self.total else None


def window_start(layout: Layout, wanted_row: int | None) -> int:
    """The first row of the page of rows that holds ``wanted_row``."""
    if not wanted_row or wanted_row < 1:
        return 1
    wanted_row = min(wanted_row, max(len(layout.rows), 1))
    return (wanted_row - 1) // PAGE_ROWS * PAGE_ROWS + 1


def render_window(context: dict, layout: Layout, start: int, end: int) -> Window:
    """The HTML of rows start..end: cached rows as they are, the others rendered and stored."""
    total = len(layout.rows)
    start = max(1, min(start, total or 1))
    end = max(start, min(end, total))
    numbers = list(range(start, end + 1)) if total else []
    shown: list[Witness] = context["shown"]
    wanted_pks = [
        pk for n in numbers for w in shown for pk in layout.rows[n - 1].cells.get(w.pk, [])
    ]
    marks = _marks(context["request"].user, context["document"], wanted_pks)
    # No ordering: the model's joins the witness and the document to sort by them.
    versions = dict(
        Segment.objects.filter(pk__in=wanted_pks).order_by().values_list("pk", "version")
    )
    keys = {n: _row_key(context, layout, n, versions, marks) for n in numbers}
    found = cache.get_many(list(keys.values()))
    missing = [n for n in numbers if keys[n] not in found]
    if missing:
        segments = _segments([pk for n in missing for pk in _row_pks(layout, n, shown)])
        fresh = {keys[n]: render_row(context, layout, n, segments, marks) for n in missing}
        cache.set_many(fresh, ROW_TIMEOUT)
        found.update(fresh)
    return Window(start, end, total, [mark_safe(found[keys[n]]) for n in numbers])  # noqa: S308 - rendered by the row template


def _row_pks(layout: Layout, number: int, shown: list[Witness]) -> list[int]:
    return [pk for w in shown for pk in layout.rows[number - 1].cells.get(w.pk, [])]


def _marks(user, document: Document, segment_pks: list[int]) -> dict[int, list]:
    """Segment pk -> the anchored annotation targets on it the reader may see (one query)."""
    targets = (
        AnnotationTarget.objects.filter(
            annotation__in=visible_annotations(user, document),
            segment_id__in=segment_pks,
            start__isnull=False,
        )
        .select_related("annotation__category")
        # What a row shows of them (rendering.segment_html, _row_key): not the notes.
        .only("segment", "start", "end", "annotation__category__color")
        .order_by("annotation_id", "pk")
    )
    marks: dict[int, list] = {}
    for target in targets:
        marks.setdefault(target.segment_id, []).append(target)
    return marks


def _segments(pks: list[int]) -> dict[int, Segment]:
    refs = FootnoteRef.objects.select_related("note", "note__witness")
    queryset = Segment.objects.select_related("witness").prefetch_related(
        Prefetch("footnote_refs", queryset=refs),
        Prefetch("called_from", queryset=FootnoteRef.objects.select_related("segment__witness")),
    )
    return queryset.in_bulk(pks)


def _row_key(context: dict, layout: Layout, number: int, versions: dict, marks: dict) -> str:
    """Everything row ``number`` shows, hashed: a change to any of it is a new key."""
    row = layout.rows[number - 1]
    can = context["can"]
    saved = context["request"].GET.get("saved", "")
    cells = []
    for witness in context["shown"]:
        pks = row.cells.get(witness.pk, [])
        annotations = [
            (
                t.pk,
                t.start,
                t.end,
                t.annotation_id,
                t.annotation.category_id and t.annotation.category.color,
            )
            for pk in pks
            for t in marks.get(pk, ())
        ]
        cells.append(
            (
                witness.pk,
                witness.slug,
                witness.label,
                witness.language,
                [(pk, versions.get(pk)) for pk in pks],
                annotations,
                row.distances.get(witness.pk),
            )
        )
    parts = (
        3,  # bump when the row's template changes
        get_language(), can.edit, can.annotate, number, row.kind, row.confirmed, row.low,
        level(row.variation), bool(layout.variation_language), cells, saved,
        context["edition"].slug, context["document"].slug,
    )  # fmt: skip
    return "docrow:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def render_row(context: dict, layout: Layout, number: int, segments: dict, marks: dict) -> str:
    """One row's HTML (what a cache miss costs; tests count these calls)."""
    row = layout.rows[number - 1]
    aligned = set(layout.aligned)
    cells = []
    for witness in context["shown"]:
        items = [segments[pk] for pk in row.cells.get(witness.pk, []) if pk in segments]
        distance = row.distances.get(witness.pk)
        cells.append(
            {
                "witness": witness,
                "segments": items,
                "aligned": witness.pk in aligned,
                "distance": distance,
                "distance_level": level(distance),
            }
        )
    counts = {
        pk: (len({t.annotation_id for t in found}), found[0].annotation_id)
        for pk, found in marks.items()
    }
    row_context = {
        **{k: context[k] for k in ("edition", "document", "can", "request")},
        "row": row,
        "number": number,
        "cells": cells,
        "marks": marks,
        "counts": counts,
        "has_variation": bool(layout.variation_language),
        "variation_level": level(row.variation),
    }
    return render_to_string("editions/document_rows.html#row", row_context)
