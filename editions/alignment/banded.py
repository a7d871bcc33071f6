"""Banded dynamic programming over bead sequences, coarse to fine.

A path runs through the nodes (i, j) of an (n+1) x (m+1) grid, node (i, j) meaning "the first i
source units and the first j target units are aligned"; a bead of type (k, q) steps from
(i - k, j - q) to (i, j). Only the nodes of a *band* are visited: for each row i, the columns
lo[i]..hi[i]. The band comes from a coarser alignment (units merged in pairs, recursively, as
in Vecalign) or from an earlier pass, widened by a margin; when the best path runs along the
edge of its band the margin was too tight and the search is repeated with a wider one. The
band keeps both time and memory proportional to (n + m) x margin instead of n x m.
"""

import math
from array import array
from dataclasses import dataclass, field
from typing import Protocol

__all__ = [
    "Band",
    "CostModel",
    "Path",
    "SearchStats",
    "banded_search",
    "coarse_to_fine",
    "posteriors",
]

BeadType = tuple[int, int]
# A path is the list of its nodes, from (0, 0) to (n, m).
Path = list[tuple[int, int]]
INF = math.inf
NO_BACK = 255


class CostModel(Protocol):
    """What the search needs from a scorer: sizes, bead types and costs, a half-size version."""

    n: int
    m: int
    types: list[BeadType]
    gap_extension: float  # the cost of a 0-1 (1-0) bead right after another 0-1 (1-0) bead

    def node_costs(self, i: int, j: int) -> list[float]:
        """The cost of each bead type that ends at node (i, j), infinite where impossible."""
        ...

    def coarsen(self) -> "CostModel": ...


@dataclass
class SearchStats:
    """How much work the search did: the proof that it stays linear."""

    cells: int = 0  # grid nodes visited, over all levels and passes
    widest_row: int = 0  # the most nodes visited in one row of one pass
    largest_band: int = 0  # the most nodes held at once (back-pointers of one pass)
    passes: int = 0
    retries: int = 0

    def add(self, band: "Band") -> None:
        self.cells += band.cells
        self.widest_row = max(self.widest_row, band.widest)
        self.largest_band = max(self.largest_band, band.cells)
        self.passes += 1


@dataclass
class Band:
    """For each row i of the grid, the first and last column visited."""

    lo: list[int]
    hi: list[int]
    m: int = field(default=0)

    @classmethod
    def full(cls, n: int, m: int) -> "Band":
        return cls([0] * (n + 1), [m] * (n + 1), m)

    @classmethod
    def around(cls, path: Path, n: int, m: int, margin: int) -> "Band":
        """The nodes within `margin` columns of the rectangles the path's beads span."""
        lo = [m] * (n + 1)
        hi = [0] * (n + 1)
        for (i0, j0), (i1, j1) in zip(path, path[1:], strict=False):
            for i in range(i0, i1 + 1):
                lo[i] = min(lo[i], j0)
                hi[i] = max(hi[i], j1)
        return cls([max(0, j - margin) for j in lo], [min(m, j + margin) for j in hi], m)

    @property
    def cells(self) -> int:
        return sum(h - lo + 1 for lo, h in zip(self.lo, self.hi, strict=True))

    @property
    def widest(self) -> int:
        return max(h - lo + 1 for lo, h in zip(self.lo, self.hi, strict=True))

    def touches_edge(self, path: Path) -> bool:
        """Whether the path runs along a side of the band that is not a side of the grid."""
        return any((j == self.lo[i] and j > 0) or (j == self.hi[i] and j < self.m) for i, j in path)


# Node states: how the path reached the node.
JOINED, SRC_GAP, TGT_GAP = 0, 1, 2
STATES = (JOINED, SRC_GAP, TGT_GAP)


def _state_after(bead_type: BeadType) -> int:
    k, q = bead_type
    return SRC_GAP if q == 0 else TGT_GAP if k == 0 else JOINED


@dataclass
class Lattice:
    """What one banded pass keeps: back-pointers, optionally every bead cost, the path states.

    Each node has three states: reached by a bead with both sides (or the origin), by a 1-0
    bead, or by a 0-1 bead. A 1-0 bead right after a 1-0 bead (likewise 0-1) costs the model's
    `gap_extension` instead of its own cost: what one side lacks (a caption, a note, a cut)
    comes in runs. A run on one side then a run on the other pays both openings, so that
    skipping both sides never comes cheaper than aligning them.
    """

    band: Band
    types: list[BeadType]
    back: tuple[list[bytearray], ...]
    costs: list[array] | None
    gap_extension: float
    states: list[int] = field(default_factory=list)


def _viterbi(band: Band, model: CostModel, keep_costs: bool) -> Lattice:
    lo, hi = band.lo, band.hi
    types, node_costs, extension = model.types, model.node_costs, model.gap_extension
    n = len(lo) - 1
    deepest = max(k for k, _ in types)
    moves = [(t, k, q, _state_after((k, q))) for t, (k, q) in enumerate(types)]
    rows: list[tuple[list[float], ...]] = []
    back: tuple[list[bytearray], ...] = ([], [], [])
    costs: list[array] | None = [] if keep_costs else None
    for i in range(n + 1):
        lo_i, width = lo[i], hi[i] - lo[i] + 1
        scores = ([INF] * width, [INF] * width, [INF] * width)
        pointers = tuple(bytearray([NO_BACK]) * width for _ in STATES)
        row_costs = array("d")
        rows.append(scores)  # before the loop: 0-1 beads step within the row
        for j in range(lo_i, lo_i + width):
            steps = node_costs(i, j)
            best = [INF, INF, INF]
            arg = [NO_BACK, NO_BACK, NO_BACK]
            if i == 0 and j == 0:
                best[JOINED] = 0.0
            for t, k, q, state in moves:
                step = steps[t]
                if step == INF:
                    continue
                pi, pj = i - k, j - q
                if pj < lo[pi] or pj > hi[pi]:
                    steps[t] = INF  # out of the band: no such bead for the posteriors either
                    continue
                cell = pj - lo[pi]
                joined_row, src_gap_row, tgt_gap_row = rows[pi]
                joined, src_gap, tgt_gap = joined_row[cell], src_gap_row[cell], tgt_gap_row[cell]
                if state == JOINED:
                    # Any state may precede a bead with both sides, at the bead's own cost.
                    if joined <= src_gap and joined <= tgt_gap:
                        total, previous = joined + step, JOINED
                    elif src_gap <= tgt_gap:
                        total, previous = src_gap + step, SRC_GAP
                    else:
                        total, previous = tgt_gap + step, TGT_GAP
                    if total < best[JOINED]:
                        best[JOINED], arg[JOINED] = total, 3 * t + previous
                else:
                    # A gap opens from the other states at its cost, or extends its own run.
                    other = tgt_gap if state == SRC_GAP else src_gap
                    same = src_gap if state == SRC_GAP else tgt_gap
                    if joined <= other:
                        total, previous = joined + step, JOINED
                    else:
                        total, previous = other + step, TGT_GAP if state == SRC_GAP else SRC_GAP
                    if same + extension < total:
                        total, previous = same + extension, state
                    if total < best[state]:
                        best[state], arg[state] = total, 3 * t + previous
            cell = j - lo_i
            for state in STATES:
                scores[state][cell] = best[state]
                pointers[state][cell] = arg[state]
            if keep_costs:
                row_costs.extend(steps)
        for state in STATES:
            back[state].append(pointers[state])
        if costs is not None:
            costs.append(row_costs)
        # Scores are needed only `deepest` rows back: memory stays at a few rows of floats.
        if i > deepest:
            rows[i - deepest - 1] = ([], [], [])
    final = [rows[n][state][-1] for state in STATES]
    lattice = Lattice(band, types, back, costs, extension)
    lattice.states = [final.index(min(final))]
    return lattice


def _trace(lattice: Lattice) -> Path:
    """The best path, from the back-pointers; its node states go to `lattice.states`."""
    lo, types = lattice.band.lo, lattice.types
    i, j = len(lo) - 1, lattice.band.hi[-1]
    state = lattice.states[0]
    path, states = [(i, j)], [state]
    while (i, j) != (0, 0):
        code = lattice.back[state][i][j - lo[i]]
        if code == NO_BACK:
            raise ValueError("no path through the band")  # the band always holds one
        k, q = types[code // 3]
        i, j, state = i - k, j - q, code % 3
        path.append((i, j))
        states.append(state)
    path.reverse()
    states.reverse()
    lattice.states = states
    return path


def banded_search(
    model: CostModel,
    band: Band,
    stats: SearchStats,
    *,
    keep_costs: bool = False,
) -> tuple[Path, Lattice]:
    """The cheapest path inside `band`."""
    stats.add(band)
    lattice = _viterbi(band, model, keep_costs)
    return _trace(lattice), lattice


def refine(
    model: CostModel,
    guide: Path,
    margin: int,
    stats: SearchStats,
    *,
    keep_costs: bool = False,
    max_retries: int = 3,
) -> tuple[Path, Lattice]:
    """The cheapest path near `guide`, widening the band while the path hugs its edge."""
    for attempt in range(max_retries + 1):
        band = Band.around(guide, model.n, model.m, margin << attempt)
        path, lattice = banded_search(model, band, stats, keep_costs=keep_costs)
        if not band.touches_edge(path):
            break
        stats.retries += attempt < max_retries
    return path, lattice


def coarse_to_fine(
    model: CostModel,
    stats: SearchStats,
    *,
    margin: int,
    full_search_cells: int,
) -> Path:
    """The cheapest path, found by aligning halved sequences first (recursively)."""
    if (model.n + 1) * (model.m + 1) <= full_search_cells or min(model.n, model.m) < 2:
        return banded_search(model, Band.full(model.n, model.m), stats)[0]
    coarse = model.coarsen()
    coarse_path = coarse_to_fine(coarse, stats, margin=margin, full_search_cells=full_search_cells)
    guide = [(min(2 * i, model.n), min(2 * j, model.m)) for i, j in coarse_path]
    return refine(model, guide, margin, stats)[0]


def _logaddexp(a: float, b: float) -> float:
    if a < b:
        a, b = b, a
    return a if b == -INF else a + math.log1p(math.exp(b - a))


def posteriors(lattice: Lattice, path: Path, temperature: float, margin: int = 3) -> list[float]:
    """Posterior probability of each bead of `path`.

    Forward-backward over the bead costs kept by the last pass, read as -log probabilities
    scaled by `temperature`: the share of the probability of all paths that goes through
    the bead. Only paths within `margin` columns of `path` are summed: the others are so
    much costlier that they would not change the result, and this keeps the sums cheap.
    """
    if lattice.costs is None:
        raise ValueError("the lattice was built without its costs")
    outer = lattice.band
    near = Band.around(path, len(outer.lo) - 1, outer.m, margin)
    band = Band(
        [max(a, b) for a, b in zip(outer.lo, near.lo, strict=True)],
        [min(a, b) for a, b in zip(outer.hi, near.hi, strict=True)],
        outer.m,
    )
    sums = _Sums(lattice, band, temperature)
    forward, backward = sums.forward(), sums.backward()
    lo, n = band.lo, len(band.lo) - 1
    total = forward[JOINED][n][-1]
    for state in (SRC_GAP, TGT_GAP):
        total = _logaddexp(total, forward[state][n][-1])
    result = []
    nodes = zip(path, path[1:], lattice.states, lattice.states[1:], strict=False)
    for (i0, j0), (i1, j1), before, after in nodes:
        step = sums.step(i1, j1, lattice.types.index((i1 - i0, j1 - j0)))
        if after and before == after:
            step = sums.extension
        log_p = forward[before][i0][j0 - lo[i0]] - step + backward[after][i1][j1 - lo[i1]]
        result.append(min(1.0, math.exp(min(0.0, log_p - total))))
    return result


Scores = tuple[list[list[float]], ...]


class _Sums:
    """Forward and backward log-sums over a band inside a lattice, per node state.

    Written "pull" style: each node gathers from its predecessors (forward) or successors
    (backward), so that the state bookkeeping is done once per node, not once per bead.
    """

    def __init__(self, lattice: Lattice, band: Band, temperature: float) -> None:
        self.lattice, self.band, self.temperature = lattice, band, temperature
        self.extension = lattice.gap_extension / temperature
        self.n_types = len(lattice.types)
        self.joined_types = [
            (t, k, q) for t, (k, q) in enumerate(lattice.types) if _state_after((k, q)) == JOINED
        ]
        self.src_gap = lattice.types.index((1, 0))
        self.tgt_gap = lattice.types.index((0, 1))

    def step(self, i: int, j: int, t: int) -> float:
        """Scaled cost of the bead of type t that ends at (i, j); infinite if none."""
        outer_lo = self.lattice.band.lo[i]
        if not outer_lo <= j <= self.lattice.band.hi[i]:
            return INF
        costs = self.lattice.costs or []
        return costs[i][(j - outer_lo) * self.n_types + t] / self.temperature

    def _get(self, scores: Scores, state: int, i: int, j: int) -> float:
        band = self.band
        if i < 0 or i >= len(band.lo) or not band.lo[i] <= j <= band.hi[i]:
            return -INF
        return scores[state][i][j - band.lo[i]]

    def _empty(self) -> Scores:
        widths = [h - lo + 1 for lo, h in zip(self.band.lo, self.band.hi, strict=True)]
        return tuple([[-INF] * w for w in widths] for _ in STATES)

    def forward(self) -> Scores:
        """log-sum of the probabilities of all paths from the origin to each node, per state."""
        scores, get, step = self._empty(), self._get, self.step
        lo, hi = self.band.lo, self.band.hi
        scores[JOINED][0][0] = 0.0
        for i in range(len(lo)):
            for j in range(lo[i], hi[i] + 1):
                if i == 0 and j == 0:
                    continue
                joined = -INF
                for t, k, q in self.joined_types:
                    cost = step(i, j, t)
                    if cost != INF:
                        before = _logaddexp(
                            get(scores, JOINED, i - k, j - q),
                            _logaddexp(
                                get(scores, SRC_GAP, i - k, j - q),
                                get(scores, TGT_GAP, i - k, j - q),
                            ),
                        )
                        joined = _logaddexp(joined, before - cost)
                cell = j - lo[i]
                scores[JOINED][i][cell] = joined
                scores[SRC_GAP][i][cell] = self._gap_in(
                    scores, SRC_GAP, i - 1, j, step(i, j, self.src_gap)
                )
                scores[TGT_GAP][i][cell] = self._gap_in(
                    scores, TGT_GAP, i, j - 1, step(i, j, self.tgt_gap)
                )
        return scores

    def _gap_in(self, scores: Scores, state: int, i: int, j: int, cost: float) -> float:
        """Forward sum into a gap state from node (i, j): open from the others, or extend."""
        if cost == INF:
            return -INF
        other = TGT_GAP if state == SRC_GAP else SRC_GAP
        opened = _logaddexp(self._get(scores, JOINED, i, j), self._get(scores, other, i, j))
        return _logaddexp(opened - cost, self._get(scores, state, i, j) - self.extension)

    def backward(self) -> Scores:
        """log-sum of the probabilities of all paths from each node, per state, to the end."""
        scores, get, step = self._empty(), self._get, self.step
        lo, hi = self.band.lo, self.band.hi
        n = len(lo) - 1
        for i in range(n, -1, -1):
            for j in range(hi[i], lo[i] - 1, -1):
                cell = j - lo[i]
                if i == n and j == hi[n]:
                    for state in STATES:
                        scores[state][i][cell] = 0.0
                    continue
                joined = -INF
                for t, k, q in self.joined_types:
                    cost = step(i + k, j + q, t) if i + k <= n else INF
                    if cost != INF:
                        joined = _logaddexp(joined, get(scores, JOINED, i + k, j + q) - cost)
                src_next = get(scores, SRC_GAP, i + 1, j)
                tgt_next = get(scores, TGT_GAP, i, j + 1)
                src_cost = step(i + 1, j, self.src_gap) if i < n else INF
                tgt_cost = step(i, j + 1, self.tgt_gap)
                src_open, tgt_open = src_next - src_cost, tgt_next - tgt_cost
                src_more, tgt_more = src_next - self.extension, tgt_next - self.extension
                scores[JOINED][i][cell] = _logaddexp(joined, _logaddexp(src_open, tgt_open))
                scores[SRC_GAP][i][cell] = _logaddexp(joined, _logaddexp(src_more, tgt_open))
                scores[TGT_GAP][i][cell] = _logaddexp(joined, _logaddexp(src_open, tgt_more))
        return scores
