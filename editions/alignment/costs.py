"""The cost of a bead: how unlikely it is that these source units translate these target units.

Costs are negative log-probabilities (nats), so the signals add up:

- the *prior* of the bead's shape (1-1 is the rule, 0-1 and 3-3 are rare);
- the *length* cost of Gale and Church (1993): translated text keeps a steady ratio of
  characters, and a bead whose lengths stray from it is improbable;
- the *lexical* evidence: the tokens of each side that find a counterpart on the other side
  (same number, same name, a cognate, a word pair learnt from the document itself), weighed
  by how much more often that happens in true beads than between unrelated sentences. This
  is a likelihood ratio per token, estimated on the document being aligned, so it needs no
  per-language or per-document setting.
"""

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "BEAD_PRIORS",
    "BeadScorer",
    "LengthModel",
    "LexicalMatcher",
    "MatchRates",
    "SemanticEvidence",
    "bead_types",
    "char_length",
    "match_rates",
]

# Share of each bead shape in hand-aligned literary and technical translations (TransRead,
# Text+Berg, the Gale-Church counts): only their order of magnitude matters.
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.80,
    (1, 2): 0.065,
    (2, 1): 0.065,
    (0, 1): 0.01,
    (1, 0): 0.01,
    (2, 2): 0.01,
    (1, 3): 0.01,
    (3, 1): 0.01,
    (2, 3): 0.002,
    (3, 2): 0.002,
    (3, 3): 0.001,
    (1, 4): 0.003,
    (4, 1): 0.003,
}


# Unrelated unit pairs sampled to measure how often tokens match by chance.
CHANCE_SAMPLES = 2000


def bead_types(max_units: int = 4) -> list[tuple[int, int]]:
    """The bead shapes searched, at most `max_units` a side, the likeliest first."""
    shapes = [shape for shape in BEAD_PRIORS if max(shape) <= max_units]
    return sorted(shapes, key=lambda shape: -BEAD_PRIORS[shape])


def char_length(text: str) -> int:
    """Characters that carry text: white space is layout, not translation."""
    return len(text) - text.count(" ")


@dataclass(frozen=True)
class LengthModel:
    """Gale-Church: target length ~ Normal(ratio * source length, variance * mean length)."""

    ratio: float = 1.0
    variance: float = 6.8

    @classmethod
    def for_texts(cls, src_lengths: Sequence[int], tgt_lengths: Sequence[int]) -> "LengthModel":
        """Take the ratio from the whole texts: it varies between language pairs and styles."""
        total_src, total_tgt = sum(src_lengths), sum(tgt_lengths)
        if not total_src or not total_tgt:
            return cls()
        return cls(ratio=min(4.0, max(0.25, total_tgt / total_src)))

    def refit(self, pairs: Iterable[tuple[int, int]]) -> "LengthModel":
        """The ratio measured on trusted (source, target) length pairs instead of the totals,
        which a passage missing on one side would bias."""
        pairs = list(pairs)
        total_src = sum(src for src, _ in pairs)
        total_tgt = sum(tgt for _, tgt in pairs)
        if len(pairs) < 3 or not total_src or not total_tgt:
            return self
        return replace(self, ratio=min(4.0, max(0.25, total_tgt / total_src)))

    def cost(self, src_length: int, tgt_length: int) -> float:
        if src_length == 0 and tgt_length == 0:
            return 0.0
        mean = (src_length + tgt_length / self.ratio) / 2
        z = abs(self.ratio * src_length - tgt_length) / math.sqrt(self.variance * mean)
        return _two_sided_tail_cost(z)


_SQRT_PI = math.sqrt(math.pi)


def _two_sided_tail_cost(z: float) -> float:
    """-log P(|Z| >= z) for a standard normal Z."""
    tail = math.erfc(z / math.sqrt(2))
    if tail > 1e-300:
        return -math.log(tail)
    # Far in the tail erfc underflows; its asymptote is exp(-x^2) / (x sqrt(pi)).
    x = z / math.sqrt(2)
    return x * x + math.log(x * math.sqrt(math.pi))


@dataclass(frozen=True)
class MatchRates:
    """How often a token finds a counterpart: in a true bead, and in an unrelated sentence.

    `src_aligned` is the share of source tokens matched by the target side of true beads,
    `src_random` the share matched by one unrelated target unit; likewise for the target side.
    """

    src_aligned: float
    src_random: float
    tgt_aligned: float
    tgt_random: float

    def with_chance(self, chance: Sequence[int]) -> "MatchRates":
        """The same aligned rates, chance rates from other `LexicalMatcher.chance_counts`."""
        return replace(
            self,
            src_random=_smoothed(chance[0], chance[1], TYPICAL_CHANCE_RATE),
            tgt_random=_smoothed(chance[2], chance[3], TYPICAL_CHANCE_RATE),
        )

    def weights(self, side: str, other_units: int) -> tuple[float, float]:
        """(log-ratio for a matched token, for an unmatched one) against `other_units` units."""
        aligned = self.src_aligned if side == "src" else self.tgt_aligned
        single = self.src_random if side == "src" else self.tgt_random
        # Each extra unit on the other side is one more chance of a chance match.
        chance = 1 - (1 - single) ** other_units
        aligned = min(0.99, max(aligned, chance))
        chance = min(0.99, max(0.001, chance))
        return math.log(aligned / chance), math.log((1 - aligned) / (1 - chance))


class LexicalMatcher:
    """Which tokens of a bead find a counterpart on the other side.

    Units are reduced to their linkable tokens (those with a possible counterpart somewhere in
    the other text). For a pair of units, a bit mask tells which of them are matched; a bead's
    masks are the OR of its pairs' masks, so multi-unit beads cost a few integer operations.
    """

    def __init__(
        self,
        src_tokens: Sequence[Sequence[str]],
        tgt_tokens: Sequence[Sequence[str]],
        links: Mapping[str, frozenset[str]],
    ) -> None:
        reachable = frozenset().union(*links.values()) if links else frozenset()
        self.links = links
        self.src = [tuple(t for t in unit if t in reachable) for unit in src_tokens]
        self.tgt = [tuple(t for t in unit if t in links) for unit in tgt_tokens]
        self._src_sets = [frozenset(unit) for unit in self.src]
        self._tgt_reach = [
            frozenset().union(*(links[t] for t in unit)) if unit else frozenset()
            for unit in self.tgt
        ]
        self.src_totals = _cumulative(len(unit) for unit in self.src)
        self.tgt_totals = _cumulative(len(unit) for unit in self.tgt)
        self._stride = len(self.tgt) + 1
        self._pairs: dict[int, tuple[int, int]] = {}

    def coarsen(self) -> "LexicalMatcher":
        """The same texts with units merged in pairs."""
        return LexicalMatcher(_pairwise_joins(self.src), _pairwise_joins(self.tgt), self.links)

    def pair_masks(self, i: int, j: int) -> tuple[int, int]:
        """(matched source positions of unit i, matched target positions of unit j)."""
        key = i * self._stride + j
        masks = self._pairs.get(key)
        if masks is None:
            src_set, reach = self._src_sets[i], self._tgt_reach[j]
            src_mask = 0
            if not reach.isdisjoint(src_set):
                for position, token in enumerate(self.src[i]):
                    if token in reach:
                        src_mask |= 1 << position
            tgt_mask = 0
            if src_mask:
                links = self.links
                for position, token in enumerate(self.tgt[j]):
                    if not links[token].isdisjoint(src_set):
                        tgt_mask |= 1 << position
            masks = self._pairs[key] = (src_mask, tgt_mask)
        return masks

    def sizes(self, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int]:
        """Linkable tokens in source units i0..i1-1 and in target units j0..j1-1."""
        return self.src_totals[i1] - self.src_totals[i0], self.tgt_totals[j1] - self.tgt_totals[j0]

    def matched(self, i0: int, i1: int, j0: int, j1: int) -> tuple[int, int]:
        """Matched tokens of the bead, source side and target side."""
        if i1 == i0 or j1 == j0:
            return 0, 0
        src, tgt = self.corner_counts(i1, j1, [0] + [j1 - j0] * (i1 - i0))
        return src[i1 - i0][j1 - j0], tgt[i1 - i0][j1 - j0]

    def corner_counts(
        self, i: int, j: int, reach: Sequence[int]
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Matched tokens of every bead ending at node (i, j), by shape, in one sweep.

        `src[k][q]` counts the matched tokens of source units i-k..i-1 against target units
        j-q..j-1, `tgt[k][q]` those of the target units, for q <= reach[k] (reach[0] is
        unused; reach must not grow with k). A token is matched once however many units of
        the other side match it, so the masks of one unit are OR-ed along the other side.
        """
        depth_a = min(len(reach) - 1, i)
        width = min(reach[1], j) + 1
        src = [[0] * width for _ in range(depth_a + 1)]
        tgt = [[0] * width for _ in range(depth_a + 1)]
        tgt_masks = [0] * width
        for a in range(1, depth_a + 1):
            src_mask = tgt_run = 0
            above, row, tgt_row = src[a - 1], src[a], tgt[a]
            for b in range(1, min(reach[a], j) + 1):
                pair_src, pair_tgt = self.pair_masks(i - a, j - b)
                src_mask |= pair_src
                row[b] = above[b] + src_mask.bit_count()
                tgt_masks[b] |= pair_tgt
                tgt_run += tgt_masks[b].bit_count()
                tgt_row[b] = tgt_run
        return src, tgt

    def bead_counts(self, beads: Iterable[tuple[int, int, int, int]]) -> list[int]:
        """[matched source, source, matched target, target] tokens over the given beads."""
        counts = [0, 0, 0, 0]
        for i0, i1, j0, j1 in beads:
            (src_matched, tgt_matched), (src_size, tgt_size) = (
                self.matched(i0, i1, j0, j1),
                self.sizes(i0, i1, j0, j1),
            )
            counts = [
                counts[0] + src_matched,
                counts[1] + src_size,
                counts[2] + tgt_matched,
                counts[3] + tgt_size,
            ]
        return counts

    def chance_counts(self, samples: int) -> list[int]:
        """The same counts over pairs of unrelated units: half the text apart.

        Units that far apart translate each other only by accident. The sample is seeded by
        the text sizes, so that an alignment is reproducible.
        """
        n, m = len(self.src), len(self.tgt)
        rng = random.Random(n * 7919 + m)  # noqa: S311 - a reproducible sample, not a secret
        pairs = []
        for _ in range(samples if n > 1 and m > 1 else 0):
            i = rng.randrange(n)
            j = (i * m // n + m // 2 + rng.randrange(max(1, m // 8))) % m
            pairs.append((i, i + 1, j, j + 1))
        return self.bead_counts(pairs)


# Rates are smoothed towards typical values by this many imaginary tokens, so that a short
# text (a few paragraphs) does not measure a chance rate of 0 or an aligned rate of 1.
PSEUDO_TOKENS = 200
TYPICAL_CHANCE_RATE = 0.02


def match_rates(
    aligned: Sequence[int], chance: Sequence[int], typical_aligned: float
) -> MatchRates:
    """Rates from pooled `bead_counts` of trusted beads and `chance_counts`."""
    return MatchRates(
        _smoothed(aligned[0], aligned[1], typical_aligned),
        _smoothed(chance[0], chance[1], TYPICAL_CHANCE_RATE),
        _smoothed(aligned[2], aligned[3], typical_aligned),
        _smoothed(chance[2], chance[3], TYPICAL_CHANCE_RATE),
    )


def _smoothed(part: int, whole: int, typical: float) -> float:
    return (part + typical * PSEUDO_TOKENS) / (whole + PSEUDO_TOKENS)


def _cumulative(values: Iterable[int]) -> list[int]:
    totals = [0]
    for value in values:
        totals.append(totals[-1] + value)
    return totals


class BeadScorer:
    """Bead costs for the search (see the module docstring); a `banded.CostModel`."""

    def __init__(
        self,
        src_lengths: Sequence[int],
        tgt_lengths: Sequence[int],
        length_model: LengthModel,
        *,
        types: Sequence[tuple[int, int]] | None = None,
        lexical: LexicalMatcher | None = None,
        rates: MatchRates | None = None,
        lexical_weight: float = 1.0,
        src_walls: Iterable[int] = (),
        tgt_walls: Iterable[int] = (),
        gap_extension: float = 0.1,
        semantic: "SemanticEvidence | None" = None,
    ) -> None:
        self.n, self.m = len(src_lengths), len(tgt_lengths)
        self.types = list(types or bead_types())
        # A unit left out next to another one left out is no rare event: it is a passage
        # that one side lacks (a caption, a note, a cut). `gap_extension` is its probability.
        self.gap_extension_probability = gap_extension
        self.gap_extension = -math.log(gap_extension)
        # A wall at p forbids beads holding both unit p - 1 and unit p: a confirmed 1-0 or 0-1
        # bead was taken out there. Units between walls share a section number.
        src_walls, tgt_walls = list(src_walls), list(tgt_walls)
        self._walled = bool(src_walls or tgt_walls)
        self.semantic = semantic
        self._src_section = _sections(self.n, src_walls)
        self._tgt_section = _sections(self.m, tgt_walls)
        self.src_lengths, self.tgt_lengths = list(src_lengths), list(tgt_lengths)
        self._src_total = _cumulative(src_lengths)
        self._tgt_total = _cumulative(tgt_lengths)
        self.length_model = length_model
        self.lexical = lexical if rates is not None else None
        self.rates, self.lexical_weight = rates, lexical_weight
        lexical_costs = self._lexical_table(rates, lexical_weight) if rates else {}
        self._shapes = [
            (k, q, -math.log(BEAD_PRIORS[(k, q)]), lexical_costs.get((k, q))) for k, q in self.types
        ]
        # For each number of source units, the most target units a bead shape has with them.
        self._reach = [0] + [
            max((q for k, q in self.types if k >= a), default=0)
            for a in range(1, max(k for k, _ in self.types) + 1)
        ]

    def _lexical_table(
        self, rates: MatchRates, weight: float
    ) -> dict[tuple[int, int], tuple[float, float, float, float]]:
        """Per bead shape: cost of a matched token over an unmatched one, and of an unmatched
        one, on the source side then the target side."""
        table = {}
        for k, q in self.types:
            if k and q:
                src_hit, src_miss = rates.weights("src", q)
                tgt_hit, tgt_miss = rates.weights("tgt", k)
                # A bead pays `miss` for each token, and `hit - miss` back for each matched one.
                table[(k, q)] = (
                    -weight * (src_hit - src_miss),
                    -weight * src_miss,
                    -weight * (tgt_hit - tgt_miss),
                    -weight * tgt_miss,
                )
        return table

    def node_costs(self, i: int, j: int) -> list[float]:
        """The cost of each bead type (in `types` order) that ends at node (i, j).

        Infinite where the bead would start before the texts or cross a wall. This is the
        search's inner loop, written for speed: locals, no calls but the unavoidable ones.
        """
        lexical = self.lexical
        if lexical is not None:
            src_counts, tgt_counts = lexical.corner_counts(i, j, self._reach)
            src_sizes, tgt_sizes = lexical.src_totals, lexical.tgt_totals
        semantic = self.semantic
        if semantic is not None:
            cosines = semantic.matcher.corner_cosines(i, j, self._reach)
            chance, scale, semantic_weight = semantic.chance, semantic.scale, semantic.weight
        src_total, tgt_total = self._src_total, self._tgt_total
        ratio, variance = self.length_model.ratio, self.length_model.variance
        erfc, log, sqrt, inf = math.erfc, math.log, math.sqrt, math.inf
        costs = []
        for k, q, prior, lexical_costs in self._shapes:
            if k > i or q > j or (self._walled and self._crosses_wall(i, j, k, q)):
                costs.append(inf)
            elif not (k and q):
                costs.append(prior)
            else:
                src_length = src_total[i] - src_total[i - k]
                tgt_length = tgt_total[j] - tgt_total[j - q]
                mean = src_length + tgt_length / ratio  # twice the mean, hence the 2 below
                total = prior
                if mean:
                    x = abs(ratio * src_length - tgt_length) / sqrt(variance * mean)
                    tail = erfc(x)  # x = z / sqrt(2): the two-sided normal tail of z
                    total += -log(tail) if tail > 1e-300 else x * x + log(x * _SQRT_PI)
                if lexical_costs is not None:
                    src_gain, src_miss, tgt_gain, tgt_miss = lexical_costs
                    total += src_counts[k][q] * src_gain + tgt_counts[k][q] * tgt_gain
                    total += (src_sizes[i] - src_sizes[i - k]) * src_miss
                    total += (tgt_sizes[j] - tgt_sizes[j - q]) * tgt_miss
                if semantic is not None:
                    # 0 half-way between the chance and the aligned cosine, -weight/2 at
                    # the aligned cosine, +weight/2 at the chance one.
                    total -= semantic_weight * ((cosines[k][q] - chance) * scale - 0.5)
                costs.append(total)
        return costs

    def _crosses_wall(self, i: int, j: int, k: int, q: int) -> bool:
        src_section, tgt_section = self._src_section, self._tgt_section
        return (k > 1 and src_section[i - k] != src_section[i - 1]) or (
            q > 1 and tgt_section[j - q] != tgt_section[j - 1]
        )

    def cost(self, i0: int, i1: int, j0: int, j1: int) -> float:
        """The cost of one bead: source units i0..i1-1 with target units j0..j1-1."""
        return self.node_costs(i1, j1)[self.types.index((i1 - i0, j1 - j0))]

    def coarsen(self) -> "BeadScorer":
        """The same texts with units merged in pairs (walls dropped: this is only a guide).

        Merged units meet more tokens by chance, so the chance rates are measured again;
        the aligned rates stay, as a merged bead is as much a translation as a small one.
        """
        lexical = rates = None
        if self.lexical is not None and self.rates is not None:
            lexical = self.lexical.coarsen()
            rates = self.rates.with_chance(lexical.chance_counts(CHANCE_SAMPLES))
        return BeadScorer(
            _pairwise_sums(self.src_lengths),
            _pairwise_sums(self.tgt_lengths),
            self.length_model,
            types=self.types,
            lexical=lexical,
            rates=rates,
            lexical_weight=self.lexical_weight,
            gap_extension=self.gap_extension_probability,
        )


@dataclass(frozen=True)
class SemanticEvidence:
    """A `semantic.SemanticMatcher` with its calibration: mean cosines, weight in nats."""

    matcher: Any
    chance: float
    aligned: float
    weight: float

    @property
    def scale(self) -> float:
        return 1 / max(0.05, self.aligned - self.chance)


def _sections(size: int, walls: Iterable[int]) -> list[int]:
    starts = set(walls)
    sections, current = [], 0
    for position in range(size):
        current += position in starts
        sections.append(current)
    return sections


def _pairwise_joins(units: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    return [sum(units[i : i + 2], ()) for i in range(0, len(units), 2)]


def _pairwise_sums(values: Sequence[int]) -> list[int]:
    return [sum(values[i : i + 2]) for i in range(0, len(values), 2)]
