"""The alignment editor at book size: the rows' review state per version, each row once.

A book's alignment has thousands of rows. The editor sends a window of them, but counts them
all and finds the next row to review. That needs every row's state, which is read once per
version of the alignment (every change moves the version on in the transaction that writes its
rows and its history entry) and kept in Django's cache under that version: one letter a row,
and whether undo and redo have anything to do.

Each row is rendered once and cached as HTML under a key of everything it shows: its units and
their versions, its status and confidence, the witnesses' languages, the reader's language and
whether they may edit. Its number, whether it is in focus and the form of its operations (which
holds the alignment's version and the reader's CSRF token) are put in its marks per request, so
an edit re-renders the rows it changed: not the rows after a merge or a split, which only moved
up or down, nor every row when the version moves on.
"""

import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .alignment_store import doubtful, undo_redo_stacks
from .comparison import SEGMENT_FIELDS
from .models import Alignment, RowStatus, Segment

STATE_TIMEOUT = 24 * 3600
ROW_TIMEOUT = 24 * 3600
# Bump when what the state holds, or the row's template, changes.
STATE_SCHEMA = 1
ROW_SCHEMA = 1

# One letter per row in the review state.
CONFIRMED, DOUBTFUL, UNCONFIRMED = "c", "d", "u"
_DOUBTFUL = re.compile(DOUBTFUL)
_NOT_CONFIRMED = re.compile(f"[^{CONFIRMED}]")


@dataclass(frozen=True)
class ReviewState:
    """Every row's review state (a letter each, in row order) and the history's stacks."""

    letters: str
    can_undo: bool
    can_redo: bool

    @property
    def total(self) -> int:
        return len(self.letters)

    @property
    def confirmed_count(self) -> int:
        return self.letters.count(CONFIRMED)

    @property
    def low_count(self) -> int:
        return self.letters.count(DOUBTFUL)

    def next_to_review(self, after: int) -> int | None:
        """The next row after ``after`` (wrapping round): a doubtful one, else one unconfirmed."""
        for pattern in (_DOUBTFUL, _NOT_CONFIRMED):
            found = pattern.search(self.letters, after + 1) or pattern.search(
                self.letters, 0, after + 1
            )
            if found:
                return found.start()
        return None


def row_letter(status: str, confidence: float | None, source_sids, target_sids) -> str:
    confirmed = status == RowStatus.CONFIRMED
    if confirmed:
        return CONFIRMED
    widest = max(len(source_sids), len(target_sids))
    return DOUBTFUL if doubtful(confirmed, confidence, widest) else UNCONFIRMED


def review_state(alignment: Alignment) -> ReviewState:
    """The state of ``alignment`` at the version it was read at (cached under that version)."""
    key = f"alignstate:{STATE_SCHEMA}:{alignment.pk}:{alignment.version}"
    state = cache.get(key)
    if state is None:
        state = read_review_state(alignment)
        # Cached only if no change came in while it was read: versions only grow, so the same
        # version after the reads means the rows and the history read belong to it.
        current = Alignment.objects.filter(pk=alignment.pk).values_list("version", flat=True)
        if current.first() == alignment.version:
            cache.set(key, state, STATE_TIMEOUT)
    return state


def read_review_state(alignment: Alignment) -> ReviewState:
    """Every row's state and the history's stacks from the database (once per version)."""
    stored = alignment.rows.order_by("position").values_list(
        "status", "confidence", "source_sids", "target_sids"
    )
    letters = "".join(row_letter(*row) for row in stored)
    undo_stack, redo_stack = undo_redo_stacks(alignment)
    return ReviewState(letters, bool(undo_stack), bool(redo_stack))


@dataclass
class EditorRow:
    n: int  # the row's index in the whole alignment (from 0)
    status: str
    confidence: float | None
    low: bool
    source_sids: list[str]
    target_sids: list[str]
    html: str = ""  # the row as sent

    @property
    def confirmed(self) -> bool:
        return self.status == RowStatus.CONFIRMED


# A row's cached HTML holds these marks where its number, whether it is the row in focus and
# the form of its operations go: what changes with its place in the page, not with the row.
# HTML comments, so that no text (escaped: its < is &lt;) can hold one.
ROW_MARK = "<!--row-->"
NUMBER_MARK = "<!--number-->"
SELECTED_MARK = "<!--selected-->"
OPS_MARK = "<!--ops-->"
MARKS = {"row": ROW_MARK, "number": NUMBER_MARK, "selected": SELECTED_MARK, "ops": OPS_MARK}


def window_rows(
    alignment: Alignment, start: int, count: int, can_edit: bool, focus: int, ops_form: str = ""
) -> list[EditorRow]:
    """Rows ``start`` to ``start + count`` in HTML: cached rows with their place filled in, the
    others rendered and stored. ``ops_form``: the form of a row's operations, ``ROW_MARK`` for
    its row number (rendered once for every row)."""
    stored = alignment.rows.order_by("position").values_list(
        "source_sids", "target_sids", "confidence", "status"
    )[start : start + count]
    rows = [
        EditorRow(
            n=start + n,
            status=status,
            confidence=confidence,
            low=row_letter(status, confidence, source, target) == DOUBTFUL,
            source_sids=source,
            target_sids=target,
        )
        for n, (source, target, confidence, status) in enumerate(stored)
    ]
    versions = _versions(alignment, rows)
    keys = [_row_key(alignment, row, versions, can_edit) for row in rows]
    found = cache.get_many(keys)
    missing = [(row, key) for row, key in zip(rows, keys, strict=True) if key not in found]
    if missing:
        segments = _segments(alignment, [row for row, _key in missing])
        fresh = {key: render_row(alignment, row, segments, can_edit) for row, key in missing}
        cache.set_many(fresh, ROW_TIMEOUT)
        found.update(fresh)
    for row, key in zip(rows, keys, strict=True):
        html = found[key].replace(OPS_MARK, ops_form)
        html = html.replace(SELECTED_MARK, " selected" if row.n == focus else "")
        html = html.replace(ROW_MARK, str(row.n)).replace(NUMBER_MARK, str(row.n + 1))
        row.html = mark_safe(html)  # noqa: S308 - rendered by the row's template
    return rows


def _sides(alignment: Alignment, rows: list[EditorRow]) -> Q:
    """The segments of ``rows``, on both sides."""
    source = {sid for row in rows for sid in row.source_sids}
    target = {sid for row in rows for sid in row.target_sids}
    return Q(witness_id=alignment.source_id, sid__in=source) | Q(
        witness_id=alignment.target_id, sid__in=target
    )


def _versions(alignment: Alignment, rows: list[EditorRow]) -> dict[tuple[int, str], tuple]:
    """(witness pk, sid) -> the segment's version and kind, for the rows' units (one query)."""
    if not rows:
        return {}
    found = (
        Segment.objects.filter(_sides(alignment, rows))
        .order_by()  # the model's order joins the witnesses; a dict needs none
        .values_list("witness_id", "sid", "version", "kind")
    )
    return {(witness, sid): (version, kind) for witness, sid, version, kind in found}


def _segments(alignment: Alignment, rows: list[EditorRow]) -> dict[tuple[int, str], Segment]:
    """(witness pk, sid) -> the segment with its text, for rows to render (one query)."""
    found = Segment.objects.filter(_sides(alignment, rows)).order_by().only(*SEGMENT_FIELDS)
    return {(segment.witness_id, segment.sid): segment for segment in found}


def _row_key(alignment: Alignment, row: EditorRow, versions: dict, can_edit: bool) -> str:
    """Everything the row shows but its place, hashed: a change to any of it is a new key."""
    source = [(sid, versions.get((alignment.source_id, sid))) for sid in row.source_sids]
    target = [(sid, versions.get((alignment.target_id, sid))) for sid in row.target_sids]
    parts = (
        ROW_SCHEMA, get_language(), can_edit, row.status, row.low, row.confidence,
        alignment.source_id, alignment.source.language, source,
        alignment.target_id, alignment.target.language, target,
    )  # fmt: skip
    return "alignrow:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def render_row(alignment: Alignment, row: EditorRow, segments: dict, can_edit: bool) -> str:
    """One row's HTML with its marks (what a cache miss costs; tests count these calls)."""
    context = {
        "alignment": alignment,
        "row": row,
        "can_edit": can_edit,
        "source": [
            segments[key]
            for key in ((alignment.source_id, sid) for sid in row.source_sids)
            if key in segments
        ],
        "target": [
            segments[key]
            for key in ((alignment.target_id, sid) for sid in row.target_sids)
            if key in segments
        ],
        "marks": {name: mark_safe(mark) for name, mark in MARKS.items()},  # noqa: S308 - our constant comments
    }
    return render_to_string("editions/alignment_editor.html#arow", context)
