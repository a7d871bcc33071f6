"""The synopsis: every witness of a document in aligned rows, through a pivot witness.

The pivot is the original (or, without one, the first witness). Each translation aligned with
the pivot contributes its rows; pivot units that any alignment groups together share a
synopsis row. A translation's units that render nothing in the pivot get a row of their own
facing visible gaps, so nothing is ever silently shifted.
"""

from dataclasses import dataclass, field

from .alignment_store import doubtful
from .models import Alignment, Segment, Witness


@dataclass
class SynopsisRow:
    cells: list[list[Segment]]  # one list of segments per column; empty = a gap
    confidence: float | None = None
    confirmed: bool = True
    gap_row: bool = False  # no pivot unit: a translation adds something

    @property
    def low(self) -> bool:
        return doubtful(self.confirmed, self.confidence, max(map(len, self.cells), default=0))


@dataclass
class Synopsis:
    columns: list[Witness]
    rows: list[SynopsisRow] = field(default_factory=list)
    unaligned: list[Witness] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)


def pivot_alignments(pivot: Witness, others: list[Witness], alignments: list[Alignment]):
    """For each other witness, its alignment with the pivot, oriented pivot -> other."""
    found: dict[int, tuple[Alignment, bool]] = {}  # other witness -> (alignment, reversed)
    for alignment in alignments:
        if alignment.source_id == pivot.pk:
            found.setdefault(alignment.target_id, (alignment, False))
        elif alignment.target_id == pivot.pk:
            found.setdefault(alignment.source_id, (alignment, True))
    return {w.pk: found[w.pk] for w in others if w.pk in found}


def build_synopsis(witnesses: list[Witness], alignments: list[Alignment]) -> Synopsis | None:
    """``witnesses`` with their segments prefetched, pivot first; None if nothing is aligned."""
    if len(witnesses) < 2:
        return None
    pivot, others = witnesses[0], witnesses[1:]
    oriented = pivot_alignments(pivot, others, alignments)
    if not oriented:
        return None
    aligned = [w for w in others if w.pk in oriented]
    synopsis = Synopsis(
        columns=[pivot, *aligned],
        unaligned=[w for w in others if w.pk not in oriented],
        alignments=[oriented[w.pk][0] for w in aligned],
    )
    body = {w.pk: {s.sid: s for s in w.segments.all() if s.kind != "footnote"} for w in witnesses}
    pivot_order = list(body[pivot.pk])
    per_witness_rows = [_oriented_rows(*oriented[w.pk]) for w in aligned]
    group_of = _pivot_groups(pivot_order, per_witness_rows)
    synopsis.rows = _assemble(pivot, aligned, body, pivot_order, group_of, per_witness_rows)
    return synopsis


def _oriented_rows(
    alignment: Alignment, swapped: bool
) -> list[tuple[list, list, float | None, bool]]:
    rows = []
    for row in alignment.rows.all():
        pivot_side, other_side = (
            (row.target_sids, row.source_sids) if swapped else (row.source_sids, row.target_sids)
        )
        rows.append((pivot_side, other_side, row.confidence, row.status == "confirmed"))
    return rows


def _pivot_groups(pivot_order: list[str], per_witness_rows) -> dict[str, int]:
    """Pivot unit -> synopsis group: units that any alignment puts in one row share a group."""
    joined_with_next: set[int] = set()
    position = {sid: n for n, sid in enumerate(pivot_order)}
    for rows in per_witness_rows:
        for pivot_side, _other, _c, _ok in rows:
            places = sorted(position[s] for s in pivot_side if s in position)
            if places:
                joined_with_next.update(range(places[0], places[-1]))
    groups, current = {}, 0
    for n, sid in enumerate(pivot_order):
        groups[sid] = current
        if n not in joined_with_next:
            current += 1
    return groups


def _assemble(pivot, aligned, body, pivot_order, group_of, per_witness_rows) -> list[SynopsisRow]:
    group_count = max(group_of.values(), default=-1) + 1
    columns = len(aligned) + 1
    main = [SynopsisRow(cells=[[] for _ in range(columns)]) for _ in range(group_count)]
    # Gap rows after group g (-1: before the first group), one per place, shared by witnesses.
    gaps: dict[int, SynopsisRow] = {}
    for sid in pivot_order:
        main[group_of[sid]].cells[0].append(body[pivot.pk][sid])
    for column, (witness, rows) in enumerate(zip(aligned, per_witness_rows, strict=True), start=1):
        last_group = -1
        for pivot_side, other_side, confidence, confirmed in rows:
            units = [body[witness.pk][s] for s in other_side if s in body[witness.pk]]
            known = [group_of[s] for s in pivot_side if s in group_of]
            if known:
                last_group = known[0]
                target = main[last_group]
            else:
                target = gaps.setdefault(
                    last_group, SynopsisRow(cells=[[] for _ in range(columns)], gap_row=True)
                )
            target.cells[column].extend(units)
            _merge_state(target, confidence, confirmed)
    ordered = [gaps[-1]] if -1 in gaps else []
    for g, row in enumerate(main):
        ordered.append(row)
        if g in gaps:
            ordered.append(gaps[g])
    return ordered


def _merge_state(row: SynopsisRow, confidence: float | None, confirmed: bool) -> None:
    row.confirmed = row.confirmed and confirmed
    if confidence is not None:
        row.confidence = confidence if row.confidence is None else min(row.confidence, confidence)
