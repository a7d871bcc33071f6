"""Editing an alignment by rows: pure functions from a list of rows to a new list.

A row ties source units to target units (by stable segment id). Every operation keeps the
two invariants the editor relies on: each unit is in exactly one row, and units stay in
their text order down the rows. Rows that lose all their units disappear.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

Side = Literal["source", "target"]


class RowError(ValueError):
    """An operation that does not apply to these rows (the message says why)."""


@dataclass(frozen=True)
class Row:
    source: tuple[str, ...]
    target: tuple[str, ...]
    confidence: float | None = None
    confirmed: bool = False

    def units(self, side: Side) -> tuple[str, ...]:
        return self.source if side == "source" else self.target

    def with_units(self, side: Side, units: Sequence[str]) -> "Row":
        changed = (
            replace(self, source=tuple(units))
            if side == "source"
            else replace(self, target=tuple(units))
        )
        return replace(changed, confidence=None, confirmed=False)

    @property
    def empty(self) -> bool:
        return not self.source and not self.target


def _check_index(rows: Sequence[Row], i: int) -> None:
    if not 0 <= i < len(rows):
        raise RowError(f"There is no row {i + 1}.")


def _drop_empty(rows: list[Row]) -> list[Row]:
    return [row for row in rows if not row.empty]


def merge_with_next(rows: Sequence[Row], i: int) -> list[Row]:
    _check_index(rows, i)
    if i == len(rows) - 1:
        raise RowError("The last row has no next row to merge with.")
    merged = Row(rows[i].source + rows[i + 1].source, rows[i].target + rows[i + 1].target)
    return [*rows[:i], merged, *rows[i + 2 :]]


def split(rows: Sequence[Row], i: int, source_at: int = 1, target_at: int = 1) -> list[Row]:
    """Split row i in two: the first ``source_at``/``target_at`` units stay, the rest follow."""
    _check_index(rows, i)
    row = rows[i]
    if len(row.source) + len(row.target) < 2:
        raise RowError("A row with a single unit cannot be split.")
    source_at = min(source_at, len(row.source))
    target_at = min(target_at, len(row.target))
    first = Row(row.source[:source_at], row.target[:target_at])
    second = Row(row.source[source_at:], row.target[target_at:])
    if first.empty or second.empty:
        raise RowError("Splitting there would leave an empty row.")
    return [*rows[:i], first, second, *rows[i + 1 :]]


def move_unit(
    rows: Sequence[Row], i: int, side: Side, direction: Literal["up", "down"]
) -> list[Row]:
    """Move the first unit of row i up to the row above, or its last unit down to the next."""
    _check_index(rows, i)
    units = rows[i].units(side)
    if not units:
        raise RowError("This row has no unit on that side to move.")
    new = list(rows)
    if direction == "up":
        if i == 0:
            raise RowError("The first row has no row above.")
        new[i - 1] = new[i - 1].with_units(side, new[i - 1].units(side) + units[:1])
        new[i] = new[i].with_units(side, units[1:])
    else:
        if i == len(rows) - 1:
            raise RowError("The last row has no row below.")
        new[i + 1] = new[i + 1].with_units(side, units[-1:] + new[i + 1].units(side))
        new[i] = new[i].with_units(side, units[:-1])
    return _drop_empty(new)


def insert_gap(rows: Sequence[Row], i: int) -> list[Row]:
    """Give row i's source and target units each a row of their own, facing an empty cell."""
    _check_index(rows, i)
    row = rows[i]
    if not row.source or not row.target:
        raise RowError("This row already faces an empty cell.")
    return [*rows[:i], Row(row.source, ()), Row((), row.target), *rows[i + 1 :]]


def _row_of(rows: Sequence[Row], side: Side, sid: str) -> int:
    for index, row in enumerate(rows):
        if sid in row.units(side):
            return index
    raise RowError(f"The unit {sid} is not in this alignment.")


def link(rows: Sequence[Row], source_sid: str, target_sid: str) -> list[Row]:
    """Give two units a row of their own; the units around them regroup before and after.

    Within one row, this separates the pair from the row's other units.
    """
    a, b = _row_of(rows, "source", source_sid), _row_of(rows, "target", target_sid)
    first, last = min(a, b), max(a, b)
    span = rows[first : last + 1]
    sources = [u for row in span for u in row.source]
    targets = [u for row in span for u in row.target]
    s, t = sources.index(source_sid), targets.index(target_sid)
    regrouped = [
        Row(tuple(sources[:s]), tuple(targets[:t])),
        Row((source_sid,), (target_sid,)),
        Row(tuple(sources[s + 1 :]), tuple(targets[t + 1 :])),
    ]
    # A row that comes out as it was keeps its confidence and its confirmation: linking
    # the two units of a confirmed row, or a neighbour of it, must not undo the check.
    before = {(row.source, row.target): row for row in span}
    kept = [before.get((row.source, row.target), row) for row in _drop_empty(regrouped)]
    return [*rows[:first], *kept, *rows[last + 1 :]]


def confirm(rows: Sequence[Row], i: int) -> list[Row]:
    _check_index(rows, i)
    return [*rows[:i], replace(rows[i], confirmed=True), *rows[i + 1 :]]


def confirm_up_to(rows: Sequence[Row], i: int) -> list[Row]:
    _check_index(rows, i)
    return [replace(row, confirmed=True) if n <= i else row for n, row in enumerate(rows)]


def next_to_review(rows: Sequence[Row], after: int, threshold: float) -> int | None:
    """The next row, after ``after`` and wrapping round, that is unconfirmed and doubtful."""
    order = [*range(after + 1, len(rows)), *range(0, after + 1)]
    doubtful = [
        n
        for n in order
        if not rows[n].confirmed and (rows[n].confidence is None or rows[n].confidence < threshold)
    ]
    if doubtful:
        return doubtful[0]
    unconfirmed = [n for n in order if not rows[n].confirmed]
    return unconfirmed[0] if unconfirmed else None


def check_complete(rows: Sequence[Row], sources: Sequence[str], targets: Sequence[str]) -> None:
    """Raise unless the rows hold every unit exactly once, in text order."""
    got_sources = [u for row in rows for u in row.source]
    got_targets = [u for row in rows for u in row.target]
    if got_sources != list(sources) or got_targets != list(targets):
        raise RowError("The rows no longer match the witnesses' texts.")
