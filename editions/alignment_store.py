"""Alignments in the database: create them with the automatic aligner, change them by rows.

Every change runs in one transaction that first moves the alignment's version on with a
conditional ``UPDATE ... WHERE version = n``: a change based on a stale page is refused
(``StaleVersion``) instead of silently undoing someone else's work. Each change is recorded
with the rows before and after, which undo, redo and the history list use.
"""

from collections.abc import Callable, Sequence

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .alignment import Bead, align
from .alignment import rows as ops
from .alignment.aligner import Progress
from .alignment.headings import heading_pairs
from .alignment.rows import Row, RowError, check_complete
from .events import publish
from .models import (
    Alignment,
    AlignmentChange,
    AlignmentRow,
    Document,
    RowStatus,
    Segment,
    SegmentKind,
    Witness,
)
from .versioning import update_if_current

# Below this confidence an unconfirmed row is marked for review.
LOW_CONFIDENCE = 0.5
# A row with this many units on a side is rare in a translation and most often rows the
# aligner could not tell apart (an abridged text, say): marked for review, however sure it is.
WIDE_ROW = 3


def doubtful(confirmed: bool, confidence: float | None, widest: int) -> bool:
    """Whether an unconfirmed row is marked for review: the aligner was unsure of it, or it
    holds ``WIDE_ROW`` units or more on a side. A row made by hand has no confidence."""
    if confirmed:
        return False
    return (confidence is not None and confidence < LOW_CONFIDENCE) or widest >= WIDE_ROW


# Operations that undo and redo step over: the first alignment is the starting point.
NOT_UNDOABLE = {"align", "undo", "redo"}


# A history line: an untranslated message and its arguments (``AlignmentChange.summary``).
Summary = tuple[str, dict]
# A change to the rows: the rows before in, the rows after out.
Edit = Callable[[list[Row]], list[Row]]


def alignable_segments(witness: Witness) -> list[Segment]:
    """Headings and paragraphs in text order (footnotes stay with their callers)."""
    return list(witness.segments.exclude(kind=SegmentKind.FOOTNOTE).order_by("position"))


def alignable_sids(witness: Witness) -> list[str]:
    """The ids of ``alignable_segments``, without their texts."""
    segments = witness.segments.exclude(kind=SegmentKind.FOOTNOTE).order_by("position")
    return list(segments.values_list("sid", flat=True))


def rows_of(alignment: Alignment) -> list[Row]:
    # Plain tuples, not model instances: a book's alignment has thousands of rows.
    stored = alignment.rows.order_by("position").values_list(
        "source_sids", "target_sids", "confidence", "status"
    )
    return [
        Row(tuple(source), tuple(target), confidence, status == RowStatus.CONFIRMED)
        for source, target, confidence, status in stored
    ]


def snapshot(rows: Sequence[Row]) -> list[dict]:
    return [
        {"s": list(r.source), "t": list(r.target), "c": r.confidence, "ok": r.confirmed}
        for r in rows
    ]


def from_snapshot(data: Sequence[dict]) -> list[Row]:
    return [Row(tuple(d["s"]), tuple(d["t"]), d["c"], d["ok"]) for d in data]


def automatic_rows(
    source: Witness,
    target: Witness,
    keep: Sequence[Row] = (),
    progress: Progress | None = None,
) -> list[Row]:
    """Align the two witnesses' texts, keeping the rows in ``keep`` exactly as they are."""
    sources, targets = alignable_segments(source), alignable_segments(target)
    s_index = {seg.sid: n for n, seg in enumerate(sources)}
    t_index = {seg.sid: n for n, seg in enumerate(targets)}
    constraints = [
        Bead(tuple(s_index[u] for u in row.source), tuple(t_index[u] for u in row.target))
        for row in keep
    ]
    constraints = with_heading_anchors(constraints, sources, targets)
    beads = align(
        [seg.text for seg in sources],
        [seg.text for seg in targets],
        src_lang=source.language,
        tgt_lang=target.language,
        constraints=constraints,
        progress=progress,
    )
    kept = {(r.source, r.target): r for r in keep}
    rows = []
    for bead in beads:
        unit_row = Row(
            tuple(sources[i].sid for i in bead.src),
            tuple(targets[j].sid for j in bead.tgt),
            round(bead.confidence, 3),
        )
        rows.append(kept.get((unit_row.source, unit_row.target), unit_row))
    return rows


def with_heading_anchors(
    constraints: list[Bead], sources: Sequence[Segment], targets: Sequence[Segment]
) -> list[Bead]:
    """The rows to keep, with the chapter headings paired as anchors between them
    (``alignment.headings``); a heading pair that a kept row overlaps or crosses is left out."""
    pairs = heading_pairs(
        [s.text for s in sources],
        [t.text for t in targets],
        [n for n, s in enumerate(sources) if s.kind == SegmentKind.HEADING],
        [n for n, t in enumerate(targets) if t.kind == SegmentKind.HEADING],
    )
    result = list(constraints)
    for i, j in pairs:
        after = [_after(bead, i, j) for bead in result]
        if any(a is None for a in after):
            continue  # a kept row overlaps or crosses this pair
        at = after.index(True) if True in after else len(result)
        result.insert(at, Bead((i,), (j,)))
    return result


def _after(bead: Bead, i: int, j: int) -> bool | None:
    """Whether ``bead`` comes after the pair (i, j), before it, or (None) overlaps it."""
    sides = [(bead.src, i), (bead.tgt, j)]
    if all(not units or units[0] > k for units, k in sides):
        return True
    if all(not units or units[-1] < k for units, k in sides):
        return False
    return None


def check_alignable(document: Document, source: Witness, target: Witness) -> None:
    """Refuse (RowError, with the reason) a pair that cannot be aligned anew."""
    if source.pk == target.pk or {source.document_id, target.document_id} != {document.pk}:
        raise RowError(_("Choose two different witnesses of this document."))
    if Alignment.objects.filter(source=source, target=target).exists():
        raise RowError(_("These two witnesses are already aligned."))


@transaction.atomic
def create_alignment(
    document: Document, source: Witness, target: Witness, user, progress: Progress | None = None
) -> Alignment:
    check_alignable(document, source, target)
    rows = automatic_rows(source, target, progress=progress)
    alignment = Alignment.objects.create(
        document=document, source=source, target=target, created_by=user
    )
    _write_rows(alignment, rows, user)
    AlignmentChange.objects.create(
        alignment=alignment,
        user=user,
        operation="align",
        summary=gettext_noop("Automatic alignment: %(count)s rows"),
        summary_args={"count": len(rows)},
        after=snapshot(rows),
    )
    publish(document.pk, "alignment-changed", {"alignment": alignment.pk})
    return alignment


def change(
    alignment: Alignment,
    version: int,
    user,
    operation: str,
    summary: Summary,
    edit: Edit,
    reverts: AlignmentChange | None = None,
) -> Alignment:
    """Apply ``edit`` to the rows if ``version`` is still current; record the change.

    ``summary`` is the history line: an untranslated message (``gettext_noop``) and its
    arguments, translated when shown."""
    with transaction.atomic():
        update_if_current(alignment, version, updated_at=timezone.now())
        alignment.refresh_from_db()
        before = rows_of(alignment)
        after = edit(before)
        check_complete(after, alignable_sids(alignment.source), alignable_sids(alignment.target))
        _write_rows(alignment, after, user, before)
        AlignmentChange.objects.create(
            alignment=alignment,
            user=user,
            operation=operation,
            summary=summary[0],
            summary_args=summary[1],
            before=snapshot(before),
            after=snapshot(after),
            reverts=reverts,
        )
        publish(alignment.document_id, "alignment-changed", {"alignment": alignment.pk})
    return alignment


def _write_rows(
    alignment: Alignment, rows: Sequence[Row], user, before: Sequence[Row] | None = None
) -> None:
    """Store ``rows``; given the rows ``before``, rewrite only the stretch between them that
    changed (an edit touches a row or two of a book's thousands). A row rewritten as it was
    keeps who last changed it."""
    start, old_end, new_end = _changed_stretch(before, rows) if before is not None else (0, -1, -1)
    stale = alignment.rows.all()
    if old_end >= 0:
        stale = stale.filter(position__gte=start, position__lt=old_end)
    previous = {
        (tuple(r.source_sids), tuple(r.target_sids), r.status, r.confidence): r for r in stale
    }
    stale.delete()
    if old_end >= 0 and new_end != old_end:
        # The rows after the stretch keep their content and move up or down as a block.
        alignment.rows.filter(position__gte=old_end).update(
            position=F("position") + (new_end - old_end)
        )
    new_rows = []
    for position in range(start, new_end if new_end >= 0 else len(rows)):
        row = rows[position]
        new = stored_row(alignment, position, row, getattr(user, "pk", None))
        old = previous.get((row.source, row.target, new.status, row.confidence))
        if old:  # rewritten as it was: keeps who last changed it
            new.updated_by_id = old.updated_by_id
        new_rows.append(new)
    AlignmentRow.objects.bulk_create(new_rows)


def stored_row(
    alignment: Alignment, position: int, row: Row, updated_by_id: int | None
) -> AlignmentRow:
    """``row`` as the alignment's row at ``position``, unsaved, last changed by that user."""
    return AlignmentRow(
        alignment=alignment,
        position=position,
        source_sids=list(row.source),
        target_sids=list(row.target),
        confidence=row.confidence,
        status=RowStatus.CONFIRMED if row.confirmed else RowStatus.AUTOMATIC,
        updated_by_id=updated_by_id,
    )


def _changed_stretch(before: Sequence[Row], after: Sequence[Row]) -> tuple[int, int, int]:
    """(start, end in ``before``, end in ``after``): the rows outside are the same in both."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    old_end, new_end = len(before), len(after)
    while old_end > start and new_end > start and before[old_end - 1] == after[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return start, old_end, new_end


def check_row_exists(index: int, count: int) -> None:
    """RowError unless ``index`` (from 0) names one of ``count`` rows."""
    if not 0 <= index < count:
        raise RowError(
            _("There is no row %(row)s: this alignment has rows 1 to %(count)s.")
            % {"row": index + 1, "count": count}
        )


def realign_from(
    alignment: Alignment, version: int, user, index: int, progress: Progress | None = None
) -> Alignment:
    """Re-run the aligner from row ``index`` on; rows before it and confirmed rows stay."""

    def edit(rows: list[Row]) -> list[Row]:
        # Checked on the rows as they stand, inside the change's transaction: a row that does
        # not exist rolls the version back and records nothing.
        check_row_exists(index, len(rows))
        keep = [row for n, row in enumerate(rows) if n < index or row.confirmed]
        return automatic_rows(alignment.source, alignment.target, keep, progress)

    return change(
        alignment,
        version,
        user,
        "realign",
        (gettext_noop("Re-aligned from row %(row)s"), {"row": index + 1}),
        edit,
    )


def undo_redo_stacks(
    alignment: Alignment,
) -> tuple[list[AlignmentChange], list[AlignmentChange]]:
    """Replay the history: what undo would undo next (last), what redo would redo next."""
    undo: list[AlignmentChange] = []
    redo: list[AlignmentChange] = []
    # Only the operations are needed: each entry's snapshots hold every row of the alignment
    # twice, megabytes over a long history of a book.
    for entry in alignment.changes.order_by("pk").only("pk", "operation"):
        if entry.operation == "undo" and undo:
            redo.append(undo.pop())
        elif entry.operation == "redo" and redo:
            undo.append(redo.pop())
        elif entry.operation not in NOT_UNDOABLE:
            undo.append(entry)
            redo.clear()
    return undo, redo


def undo(alignment: Alignment, version: int, user) -> Alignment:
    stack, _redo = undo_redo_stacks(alignment)
    if not stack:
        raise RowError(_("There is nothing to undo."))
    target = stack[-1]
    summary = (gettext_noop("Undid: %(what)s"), {"what": [target.summary, target.summary_args]})
    return change(
        alignment,
        version,
        user,
        "undo",
        summary,
        lambda _rows: from_snapshot(target.before),
        reverts=target,
    )


def redo(alignment: Alignment, version: int, user) -> Alignment:
    _undo, stack = undo_redo_stacks(alignment)
    if not stack:
        raise RowError(_("There is nothing to redo."))
    target = stack[-1]
    summary = (gettext_noop("Redid: %(what)s"), {"what": [target.summary, target.summary_args]})
    return change(
        alignment,
        version,
        user,
        "redo",
        summary,
        lambda _rows: from_snapshot(target.after),
        reverts=target,
    )


def row_edit(
    op: str, row: int, source_sid: str = "", target_sid: str = ""
) -> tuple[Edit, Summary, int]:
    """The alignment editor's operations: the edit ``op`` makes on ``row``, its summary for
    the history, and the row to focus after. ``link`` links ``source_sid`` with ``target_sid``.
    """
    n = row + 1
    table: dict[str, tuple[Edit, Summary, int]] = {
        "merge": (
            lambda rows: ops.merge_with_next(rows, row),
            (gettext_noop("Merged rows %(a)s and %(b)s"), {"a": n, "b": n + 1}),
            row,
        ),
        "split": (
            lambda rows: ops.split(rows, row),
            (gettext_noop("Split row %(n)s"), {"n": n}),
            row,
        ),
        "gap": (
            lambda rows: ops.insert_gap(rows, row),
            (gettext_noop("Gave row %(n)s an empty counterpart"), {"n": n}),
            row,
        ),
        "confirm": (
            lambda rows: ops.confirm(rows, row),
            (gettext_noop("Confirmed row %(n)s"), {"n": n}),
            row,
        ),
        "confirm-up-to": (
            lambda rows: ops.confirm_up_to(rows, row),
            (gettext_noop("Confirmed rows 1 to %(n)s"), {"n": n}),
            row,
        ),
    }
    moves = {
        ("source", "up"): gettext_noop("Moved a source unit of row %(n)s up"),
        ("source", "down"): gettext_noop("Moved a source unit of row %(n)s down"),
        ("target", "up"): gettext_noop("Moved a target unit of row %(n)s up"),
        ("target", "down"): gettext_noop("Moved a target unit of row %(n)s down"),
    }
    for (side, direction), message in moves.items():
        step = -1 if direction == "up" else 1
        table[f"move-{side}-{direction}"] = (
            _move_edit(row, side, direction),
            (message, {"n": n}),
            max(row + step, 0),
        )
    if op == "link":
        return (
            lambda rows: ops.link(rows, source_sid, target_sid),
            (gettext_noop("Linked %(a)s with %(b)s"), {"a": source_sid, "b": target_sid}),
            row,
        )
    if op not in table:
        raise RowError(_("Unknown operation."))
    return table[op]


def _move_edit(row: int, side, direction) -> Edit:
    return lambda rows: ops.move_unit(rows, row, side, direction)
