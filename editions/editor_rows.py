"""The alignment editor at book size: the rows' review state per version, each row's cells once.

A book's alignment has thousands of rows. The editor sends a window of them, but counts them
all and finds the next row to review. That needs every row's state, which is read once per
version of the alignment (every change moves the version on in the transaction that writes its
rows and its history entry) and kept in Django's cache under that version: one letter a row,
and whether undo and redo have anything to do.

Each row's cells (its two sides' units and texts) are rendered once and cached as HTML under a
key of everything they show: the row's units and their versions, whether it is confirmed or
doubtful, the witnesses' languages, the reader's language and whether they may edit. The key
leaves out the row's number, so an edit re-renders the rows it changed, not the rows after a
merge or a split that moved down or up.
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
CELLS_TIMEOUT = 24 * 3600
# Bump when what the state holds, or the cells' template, changes.
STATE_SCHEMA = 1
CELLS_SCHEMA = 1

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
    cells: str = ""  # the two sides' HTML
    ops: str = ""  # the form of the row's operations (for editors)

    @property
    def confirmed(self) -> bool:
        return self.status == RowStatus.CONFIRMED


def window_rows(alignment: Alignment, start: int, count: int, can_edit: bool) -> list[EditorRow]:
    """Rows ``start`` to ``start + count`` with their cells: cached HTML, the others rendered."""
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
    keys = [_cells_key(alignment, row, versions, can_edit) for row in rows]
    found = cache.get_many(keys)
    missing = [(row, key) for row, key in zip(rows, keys, strict=True) if key not in found]
    if missing:
        segments = _segments(alignment, [row for row, _key in missing])
        fresh = {key: render_cells(alignment, row, segments, can_edit) for row, key in missing}
        cache.set_many(fresh, CELLS_TIMEOUT)
        found.update(fresh)
    for row, key in zip(rows, keys, strict=True):
        row.cells = mark_safe(found[key])  # noqa: S308 - rendered by the cells' template
    return rows


def _sides(alignment: Alignment, rows: list[EditorRow]) -> Q:
    """The segments of ``rows``, on both sides."""
    source = {sid for row in rows for sid in row.source_sids}
    target = {sid for row in rows for sid in row.target_sids}
    return Q(witness_id=alignment.source_id, sid__in=source) | Q(
        witness_id=alignment.target_id, sid__in=target
    )


def _versions(alignment: Alignment, rows: list[EditorRow]) -> dict[tuple[int, str], int]:
    """(witness pk, sid) -> the segment's version, for the rows' units (one query)."""
    if not rows:
        return {}
    found = (
        Segment.objects.filter(_sides(alignment, rows))
        .order_by()  # the model's order joins the witnesses; a dict needs none
        .values_list("witness_id", "sid", "version")
    )
    return {(witness, sid): version for witness, sid, version in found}


def _segments(alignment: Alignment, rows: list[EditorRow]) -> dict[tuple[int, str], Segment]:
    """(witness pk, sid) -> the segment with its text, for rows to render (one query)."""
    found = Segment.objects.filter(_sides(alignment, rows)).order_by().only(*SEGMENT_FIELDS)
    return {(segment.witness_id, segment.sid): segment for segment in found}


def _cells_key(alignment: Alignment, row: EditorRow, versions: dict, can_edit: bool) -> str:
    """Everything the row's cells show, hashed: a change to any of it is a new key."""
    source = [(sid, versions.get((alignment.source_id, sid))) for sid in row.source_sids]
    target = [(sid, versions.get((alignment.target_id, sid))) for sid in row.target_sids]
    parts = (
        CELLS_SCHEMA, get_language(), can_edit,
        alignment.source_id, alignment.source.language, source,
        alignment.target_id, alignment.target.language, target,
    )  # fmt: skip
    return "alignrow:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def render_cells(alignment: Alignment, row: EditorRow, segments: dict, can_edit: bool) -> str:
    """One row's cells (what a cache miss costs; tests count these calls)."""
    context = {
        "alignment": alignment,
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
    }
    return render_to_string("editions/alignment_editor.html#acells", context)


# The row number in the form of a row's operations, rendered once for every row of a window:
# each row's copy has its number put in (40 renders of a form of ten buttons cost more than
# the rest of the page).
ROW_MARK = "__row__"


def add_row_forms(rows: list[EditorRow], form: str) -> None:
    """Each row gets ``form`` (rendered with ``ROW_MARK`` as its row number) with its number."""
    for row in rows:
        row.ops = mark_safe(form.replace(ROW_MARK, str(row.n)))  # noqa: S308 - our template's HTML
