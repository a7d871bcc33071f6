"""Which source tokens may translate which target tokens, for the document at hand.

Two sources of links, neither needing a dictionary:

- spelling: the same number, name or word, or a cognate (see `anchors.is_cognate`);
- co-occurrence: after a first alignment, word pairs that keep turning up in the same beads
  (*cheval*/*horse*, *jamais*/*never*) are linked, by their Dice coefficient, the way
  Moore (2002) and hunalign bootstrap a lexicon from the text itself.

Very frequent words (*de*, *the*) are left out: they match everywhere and say nothing about
where a sentence goes. Anchors (numbers, marks) are kept however frequent.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .anchors import COGNATE_PREFIX, is_cognate

__all__ = ["Links", "content_tokens", "learned_links", "merge_links", "spelling_links"]

# Target token -> the source tokens it may translate.
Links = dict[str, frozenset[str]]


def content_tokens(units: Sequence[Sequence[str]], max_share: float) -> list[list[str]]:
    """The tokens of each unit without the words found in more than `max_share` of the units."""
    frequency = Counter(token for unit in units for token in set(unit))
    limit = max(2, max_share * len(units))
    return [[t for t in unit if not t[0].isalpha() or frequency[t] <= limit] for unit in units]


def spelling_links(src_vocabulary: Iterable[str], tgt_vocabulary: Iterable[str]) -> Links:
    """Identical anchors and words, and cognates (grouped by their first letters to be fast)."""
    by_prefix: dict[str, list[str]] = defaultdict(list)
    src_set = set(src_vocabulary)
    for token in src_set:
        if token[0].isalpha() and len(token) >= COGNATE_PREFIX:
            by_prefix[token[:COGNATE_PREFIX]].append(token)
    links: dict[str, set[str]] = defaultdict(set)
    for token in set(tgt_vocabulary):
        if token in src_set and is_cognate(token, token):
            links[token].add(token)
        if token[0].isalpha():
            for candidate in by_prefix.get(token[:COGNATE_PREFIX], ()):
                if candidate != token and is_cognate(candidate, token):
                    links[token].add(candidate)
    return {token: frozenset(sources) for token, sources in links.items()}


def learned_links(
    src_units: Sequence[Sequence[str]],
    tgt_units: Sequence[Sequence[str]],
    beads: Iterable[tuple[Sequence[int], Sequence[int]]],
    *,
    min_pairs: int = 2,
    min_dice: float = 0.3,
    per_word: int = 3,
) -> Links:
    """Word pairs that co-occur in the beads: Dice >= `min_dice` over >= `min_pairs` beads.

    Each word keeps its `per_word` best partners, in both directions, which keeps the links
    of frequent words from spreading to everything they happen to stand next to.
    """
    src_count: Counter[str] = Counter()
    tgt_count: Counter[str] = Counter()
    pair_count: Counter[tuple[str, str]] = Counter()
    for src_indices, tgt_indices in beads:
        src_bag = {t for i in src_indices for t in src_units[i] if t[0].isalpha()}
        tgt_bag = {t for j in tgt_indices for t in tgt_units[j] if t[0].isalpha()}
        src_count.update(src_bag)
        tgt_count.update(tgt_bag)
        pair_count.update((s, t) for s in src_bag for t in tgt_bag)
    scored = []
    for (s, t), together in pair_count.items():
        if together >= min_pairs:
            dice = 2 * together / (src_count[s] + tgt_count[t])
            if dice >= min_dice:
                scored.append((dice, s, t))
    scored.sort(reverse=True)
    kept_for_src: Counter[str] = Counter()
    kept_for_tgt: Counter[str] = Counter()
    links: dict[str, set[str]] = defaultdict(set)
    for _, s, t in scored:
        if kept_for_src[s] < per_word and kept_for_tgt[t] < per_word:
            links[t].add(s)
            kept_for_src[s] += 1
            kept_for_tgt[t] += 1
    return {token: frozenset(sources) for token, sources in links.items()}


def merge_links(*parts: Links) -> Links:
    merged: dict[str, frozenset[str]] = {}
    for part in parts:
        for token, sources in part.items():
            merged[token] = merged.get(token, frozenset()) | sources
    return merged
