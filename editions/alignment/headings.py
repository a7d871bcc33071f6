"""Headings as anchors: a chapter heading of one text is paired with the matching chapter
heading of the other (the French "XXIV" with "CHAPTER XXIV.\\nTHE TITLE") before the
paragraphs are aligned, so that no paragraph crosses a chapter boundary by mistake.

A translation may merge, split or renumber chapters (the 1871 English Verne has 44 chapters
against the French 45), so numbers alone cannot decide. The headings of the two texts are
aligned as two short sequences: a pair costs how far apart the headings stand in their texts
(as a share of each text's length) plus a little when their numbers differ; a heading may
also be left unpaired. Only pairs that stand close in both texts are kept as anchors.
"""

import re
from collections import Counter
from collections.abc import Sequence

from ..text import fold
from .anchors import NUMBER, anchors

__all__ = ["heading_number", "heading_pairs"]

# A heading may be left unpaired at this cost; a pair 1% of the text apart costs 1.
SKIP_COST = 4.0
DISTANCE_WEIGHT = 100.0
NUMBER_MISMATCH = 1.5
# The names and numbers that open both chapters, shared: up to this much off a pair's cost.
OPENING_WEIGHT = 8.0
OPENING_CHARS = 1500  # of text after a heading compared
COMMON_SHARE = 0.2  # a name opening more chapters than this is not evidence
# A pair is kept as an anchor when the chapters open alike (this share of the names and
# numbers of the shorter opening, at least MIN_SHARED of them, the headings within
# MAX_ALIKE_DISTANCE of the texts), or when both texts number the same chapters and the two
# headings stand within MAX_DISTANCE of each other.
MIN_OPENING = 0.5
MIN_SHARED = 3
MAX_ALIKE_DISTANCE = 0.05
MAX_DISTANCE = 0.02
MAX_CELLS = 250_000  # pairs of headings weighed (500 chapters a side)

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_WORDS = {
    "premier": 1, "premiere": 1, "first": 1, "one": 1, "un": 1, "une": 1,
    "deux": 2, "deuxieme": 2, "second": 2, "seconde": 2, "two": 2,
    "trois": 3, "troisieme": 3, "third": 3, "three": 3,
    "quatre": 4, "quatrieme": 4, "fourth": 4, "four": 4,
    "cinq": 5, "cinquieme": 5, "fifth": 5, "five": 5,
    "six": 6, "sixieme": 6, "sixth": 6,
    "sept": 7, "septieme": 7, "seventh": 7, "seven": 7,
    "huit": 8, "huitieme": 8, "eighth": 8, "eight": 8,
    "neuf": 9, "neuvieme": 9, "ninth": 9, "nine": 9,
    "dix": 10, "dixieme": 10, "tenth": 10, "ten": 10,
}  # fmt: skip
_NUMBER = re.compile(r"\b(?:(\d{1,4})|([ivxlcdm]+)|([a-z]+))\b")


def heading_number(text: str) -> int | None:
    """The number a heading carries: "XXIV" → 24, "CHAPTER 12" → 12, "Chapitre premier" → 1;
    None for a heading without one. Only the first line counts (the rest is its title)."""
    first = fold(text.split("\n", 1)[0])
    for match in _NUMBER.finditer(first):
        if match[1]:
            return int(match[1])
        if match[2] and (value := _roman(match[2])):
            return value
        if match[3] in _WORDS:
            return _WORDS[match[3]]
    return None


def _roman(numeral: str) -> int | None:
    values = [_ROMAN_VALUES[c] for c in numeral]
    total = sum(-v if v < nxt else v for v, nxt in zip(values, [*values[1:], 0], strict=True))
    return total if total > 0 and _to_roman(total) == numeral else None


def _to_roman(value: int) -> str:
    out = []
    for number, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def heading_pairs(
    src: Sequence[str],
    tgt: Sequence[str],
    src_headings: Sequence[int],
    tgt_headings: Sequence[int],
) -> list[tuple[int, int]]:
    """Pairs (source index, target index) of headings to align with each other.

    ``src``/``tgt`` are the units' texts; ``*_headings`` the indices of the units that are
    headings. The pairs are in order, one heading in one pair at most.
    """
    if not src_headings or not tgt_headings:
        return []
    if len(src_headings) * len(tgt_headings) > MAX_CELLS:
        return []  # bounded cost: a text of thousands of headings is aligned without anchors
    ps, pt = _positions(src, src_headings), _positions(tgt, tgt_headings)
    ns = [heading_number(src[i]) for i in src_headings]
    nt = [heading_number(tgt[j]) for j in tgt_headings]
    os = _distinctive([_opening(src, i, set(src_headings)) for i in src_headings])
    ot = _distinctive([_opening(tgt, j, set(tgt_headings)) for j in tgt_headings])
    n, m = len(ps), len(pt)
    # Numbers only pair chapters when both texts number the same chapters: a translation
    # that merges two chapters (or has a preface) numbers the rest differently.
    same_numbering = [x for x in ns if x is not None] == [y for y in nt if y is not None]
    # cost[i][j]: the best cost of the first i source and j target headings.
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            options = []
            if i and j:
                pair = DISTANCE_WEIGHT * abs(ps[i - 1] - pt[j - 1])
                pair += NUMBER_MISMATCH * (ns[i - 1] != nt[j - 1])
                pair -= OPENING_WEIGHT * _shared(os[i - 1], ot[j - 1])
                options.append((cost[i - 1][j - 1] + pair, "pair"))
            if i:
                options.append((cost[i - 1][j] + SKIP_COST, "src"))
            if j:
                options.append((cost[i][j - 1] + SKIP_COST, "tgt"))
            cost[i][j], step[i][j] = min(options)
    pairs = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == "pair":
            distance = abs(ps[i - 1] - pt[j - 1])
            alike = _alike(os[i - 1], ot[j - 1]) and distance <= MAX_ALIKE_DISTANCE
            numbered = same_numbering and ns[i - 1] == nt[j - 1] and distance <= MAX_DISTANCE
            if alike or numbered:
                pairs.append((src_headings[i - 1], tgt_headings[j - 1]))
            i, j = i - 1, j - 1
        elif move == "src":
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _opening(units: Sequence[str], heading: int, headings: set[int]) -> set[str]:
    """The names and numbers in the first lines of a chapter (up to the next heading), cut
    to a common stem (*Hambourg* and *Hamburg* both "hamb")."""
    text, k = "", heading + 1
    while k < len(units) and k not in headings and len(text) < OPENING_CHARS:
        text += units[k] + "\n"
        k += 1
    found = anchors(text[:OPENING_CHARS])
    return {t[:4] for t in found if (t[0].isalpha() and len(t) > 2) or t[0] == NUMBER}


def _distinctive(openings: list[set[str]]) -> list[set[str]]:
    """Without the names that open many chapters (the hero's): they tell chapters apart
    no better than chance."""
    counts = Counter(token for opening in openings for token in opening)
    common = {t for t, c in counts.items() if c > max(2, COMMON_SHARE * len(openings))}
    return [opening - common for opening in openings]


def _alike(a: set[str], b: set[str]) -> bool:
    return len(a & b) >= MIN_SHARED and _shared(a, b) >= MIN_OPENING


def _shared(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _positions(units: Sequence[str], indices: Sequence[int]) -> list[float]:
    """Where each heading starts, as a share of its text's length in characters."""
    starts, total = [], 0
    for text in units:
        starts.append(total)
        total += len(text) + 1
    return [starts[i] / total for i in indices]
