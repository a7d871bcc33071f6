"""Where a hit's counterpart stands in an aligned rendering, down to the sentence and word.

The alignment says which units of another witness render the hit's unit (a paragraph, two).
Inside that row:

1. Sentences. The hit's sentence is matched with the other side's sentences by a small
   Gale-Church alignment (lengths, plus the lexical anchors the two sentences share). It is
   this module's own: ``editions.alignment.align`` learns its rates from the texts, which
   costs some 25 ms even for four sentences, too much to run for hundreds of lines at once.
2. Words. A word of the counterpart sentence spelled like a word of the hit (identical or a
   cognate: *quarantaine*/*quarantine*, *négociations*/*negotiations*) is its rendering.
   Failing that, the anchors on either side of the hit (names, numbers, cognates) fence a
   stretch of the counterpart; when it leaves few content words, the one at the hit's place
   is taken, marked approximate: in *décidé une quarantaine de Cuba* / *decided on a blockade
   of Cuba*, *décidé*-*decided* and *Cuba*-*Cuba* leave *blockade*.

Pure Python: texts and offsets in, offsets out.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from .alignment import sentence_spans
from .alignment.anchors import is_cognate
from .text import WORD, fold

# (start, end) character offsets in a text.
Offsets = tuple[int, int]


def _folded_set(words: str) -> frozenset[str]:
    return frozenset(fold(word) for word in words.split())


# Function words: never a rendering, never an anchor. Folded, as the tokens are.
STOPWORDS = {
    "en": _folded_set(
        "a an the and or but nor of to in on at by for from with without into onto over under "
        "as than that this these those it its it's he him his she her they them their we us our "
        "you your i me my is are was were be been being have has had do does did not no so "
        "if then there here which who whom whose what when where why how all any some such "
        "would will shall should can could may might must also very only just even upon"
    ),
    "fr": _folded_set(
        "le la les l un une des du de d au aux et ou mais ni que qu qui quoi dont où ce cet "
        "cette ces il ils elle elles on nous vous je j me m te t se s lui leur leurs son sa ses "
        "mon ma mes ton ta tes notre nos votre vos y en ne n pas plus est sont était étaient "
        "été être a ont avait avaient avoir fait faire par pour dans sur sous avec sans entre "
        "vers chez comme si aussi très tout tous toute toutes même"
    ),
}


@dataclass(frozen=True)
class Located:
    """What was found in the other text: the counterpart sentence(s), the rendering."""

    sentence: Offsets | None
    words: Offsets | None
    how: str  # "cognate", "anchors" (approximate), or "" (sentence only, or nothing)

    @property
    def approximate(self) -> bool:
        return self.how == "anchors"


# A word: (start, end, folded form). Plain tuples: a concordance makes tens of thousands.
_Token = tuple[int, int, str]
# Final, so that a type checker knows which item of the tuple each one reads.
START: Final = 0
END: Final = 1
FOLDED: Final = 2


@lru_cache(maxsize=2048)
def _tokens(text: str, span: Offsets) -> tuple[_Token, ...]:
    """The words of ``text[span]``, folded (cached: a line's side serves every witness)."""
    start, end = span
    return tuple((m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text, start, end))


def _content(token: _Token, lang: str) -> bool:
    word = token[FOLDED]
    return word not in STOPWORDS.get(lang[:2], set()) and (len(word) > 1 or word.isdigit())


@lru_cache(maxsize=4096)
def sentences(text: str, lang: str) -> tuple[Offsets, ...]:
    """Sentence spans of a text made of paragraphs joined by blank lines."""
    spans: list[Offsets] = []
    offset = 0
    for part in text.split("\n\n"):
        spans.extend((offset + s, offset + e) for s, e in sentence_spans(part, lang[:2]))
        offset += len(part) + 2
    return tuple(spans)


# --- Sentences -------------------------------------------------------------------------------

# Gale and Church's bead probabilities, length ratio and variance. The ratio is not measured on
# the row: a row's sides may differ in content (an abridged original), not only in language.
_PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (2, 1): 0.0445, (1, 2): 0.0445}
_PRIORS[(2, 2)] = 0.011
_RATIO = 1.0
_VARIANCE = 6.8
# A name, number or long word both sides share is worth about a sentence's length mismatch.
_ANCHOR_WEIGHT = 3.0


def _length_cost(source: int, target: int, ratio: float) -> float:
    mean = (source + target / ratio) / 2
    if mean == 0:
        return 0.0
    delta = (target - source * ratio) / math.sqrt(mean * _VARIANCE)
    probability = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(probability, 1e-12))


@dataclass(frozen=True)
class _Profile:
    """What a sentence offers for matching: numbers, names, its longer words."""

    marks: frozenset[str]  # numbers, and capitalised words not opening the sentence
    words: frozenset[str]  # words of four letters or more, folded
    by_prefix: dict[str, tuple[str, ...]]  # those words by their first four letters

    @property
    def anchors(self) -> frozenset[str]:
        return self.marks | self.words


@lru_cache(maxsize=8192)
def _profile(text: str) -> _Profile:
    found = [(m.group(), fold(m.group())) for m in WORD.finditer(text)]
    marks = frozenset(
        folded
        for n, (word, folded) in enumerate(found)
        if folded.isdigit() or (n and word[0].isupper() and len(folded) >= 3)
    )
    words = frozenset(f for _w, f in found if len(f) >= 4 and not f.isdigit())
    by_prefix: dict[str, list[str]] = {}
    for word in words:
        by_prefix.setdefault(word[:4], []).append(word)
    return _Profile(marks, words, {k: tuple(v) for k, v in by_prefix.items()})


def sentence_beads(
    source: list[str], target: list[str], source_lang: str, target_lang: str
) -> list[tuple[range, range]]:
    """Gale-Church beads between two short lists of sentences, anchors lowering the cost."""
    if len(source) <= 1 or len(target) <= 1:
        return [(range(len(source)), range(len(target)))]
    return _beads(tuple(source), tuple(target), source_lang, target_lang)


@lru_cache(maxsize=2048)
def _beads(
    source: tuple[str, ...], target: tuple[str, ...], source_lang: str, target_lang: str
) -> list[tuple[range, range]]:
    n, m = len(source), len(target)
    src_sum, tgt_sum = _prefix([len(s) for s in source]), _prefix([len(t) for t in target])
    src_anchors = [_profile(s).anchors for s in source]
    tgt_anchors = [_profile(t).anchors for t in target]
    best: dict[tuple[int, int], tuple[float, tuple[int, int]]] = {(0, 0): (0.0, (0, 0))}
    for i in range(n + 1):
        # A band around the diagonal: rows hold a handful of sentences, never far apart.
        middle = i * m / n
        for j in range(max(0, int(middle) - 3), min(m, int(middle) + 4) + 1):
            for (di, dj), prior in _PRIORS.items():
                before = best.get((i - di, j - dj))
                if before is None or i < di or j < dj:
                    continue
                length = src_sum[i] - src_sum[i - di], tgt_sum[j] - tgt_sum[j - dj]
                shared = len(
                    frozenset().union(*src_anchors[i - di : i])
                    & frozenset().union(*tgt_anchors[j - dj : j])
                )
                cost = before[0] - math.log(prior) + _length_cost(*length, _RATIO)
                cost -= _ANCHOR_WEIGHT * min(shared, 4)
                if cost < best.get((i, j), (math.inf,))[0]:
                    best[(i, j)] = (cost, (i - di, j - dj))
    if (n, m) not in best:
        return [(range(n), range(m))]
    beads, cell = [], (n, m)
    while cell != (0, 0):
        previous = best[cell][1]
        beads.append((range(previous[0], cell[0]), range(previous[1], cell[1])))
        cell = previous
    return beads[::-1]


def _prefix(lengths: list[int]) -> list[int]:
    sums = [0]
    for length in lengths:
        sums.append(sums[-1] + length)
    return sums


@lru_cache(maxsize=8192)
def _kinship(source: str, target: str) -> int:
    """How many numbers, names and cognates two sentences share."""
    src, tgt = _profile(source), _profile(target)
    cognates = sum(
        1
        for w in src.words
        if w in tgt.words or any(is_cognate(w, t) for t in tgt.by_prefix.get(w[:4], ()))
    )
    return cognates + len(src.marks & tgt.marks)


def _by_kinship(source: str, targets: list[str]) -> int | None:
    """The one target sentence clearly closest to the source sentence by what they share."""
    scores = [_kinship(source, target) for target in targets]
    ranked = sorted(range(len(scores)), key=lambda k: -scores[k])
    best = ranked[0]
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0
    return best if scores[best] >= 2 and scores[best] >= 2 * runner_up + 1 else None


def _parallel(source: list[str], target: list[str]) -> bool:
    """As many sentences on both sides, each of a length like its counterpart's: the one-to-one
    path, which the alignment would find too (and the commonest case, by far)."""
    return len(source) == len(target) and all(
        0.5 <= len(t) / max(len(s), 1) <= 2 for s, t in zip(source, target, strict=True)
    )


def counterpart_sentences(
    source: str, hit: Offsets, source_lang: str, target: str, target_lang: str
) -> tuple[Offsets | None, Offsets | None]:
    """The hit's sentence in ``source``, and the sentence(s) rendering it in ``target``.

    The sentence that shares clearly more names, numbers and cognates with the hit's sentence
    than any other wins; otherwise the sentence alignment of the whole row decides (a row's
    sides may differ in content, an abridged original say, where lengths alone mislead).
    """
    src_spans, tgt_spans = sentences(source, source_lang), sentences(target, target_lang)
    index = next((k for k, (s, e) in enumerate(src_spans) if s <= hit[0] < e), None)
    if index is None or not tgt_spans:
        return None, None
    src_texts = [source[s:e] for s, e in src_spans]
    tgt_texts = [target[s:e] for s, e in tgt_spans]
    if _parallel(src_texts, tgt_texts):
        return src_spans[index], tgt_spans[index]
    if len(tgt_spans) > 1:
        closest = _by_kinship(src_texts[index], tgt_texts)
        if closest is not None:
            return src_spans[index], tgt_spans[closest]
    for src_range, tgt_range in sentence_beads(src_texts, tgt_texts, source_lang, target_lang):
        if index in src_range:
            if not tgt_range:
                return src_spans[index], None
            return src_spans[index], (tgt_spans[tgt_range[0]][0], tgt_spans[tgt_range[-1]][1])
    return src_spans[index], None


# --- Words -----------------------------------------------------------------------------------


def _cognate(a: _Token, b: _Token) -> bool:
    return a[FOLDED] == b[FOLDED] or is_cognate(a[FOLDED], b[FOLDED])


def _key(word: str) -> str:
    # Cognates share their first four letters (``is_cognate``); shorter words must be equal.
    return word[:4] if len(word) >= 4 else word


def _spelled_like(token: _Token, index: dict[str, list[int]], tgt: Sequence[_Token]) -> list[int]:
    """Indices of the target words spelled like ``token`` (identical or cognate)."""
    return [j for j in index.get(_key(token[FOLDED]), ()) if _cognate(token, tgt[j])]


@lru_cache(maxsize=2048)
def _index(tokens: tuple[_Token, ...]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for j, token in enumerate(tokens):
        index.setdefault(_key(token[FOLDED]), []).append(j)
    return index


def _relative(index: int, size: int) -> float:
    return (index + 0.5) / max(size, 1)


def _by_spelling(hit: list[int], src: Sequence[_Token], tgt: Sequence[_Token]) -> list[int]:
    """For each hit word, the counterpart word spelled like it nearest its relative place."""
    found, index = [], _index(tgt)
    for i in hit:
        matches = _spelled_like(src[i], index, tgt)
        if matches:
            place = _relative(i, len(src))
            found.append(min(matches, key=lambda j: abs(_relative(j, len(tgt)) - place)))
    return found


def _anchor_pairs(src: Sequence[_Token], tgt: Sequence[_Token], skip: set[int], lang: str):
    """(i, j) pairs of content words spelled alike, kept in order on both sides."""
    pairs, index = [], _index(tgt)
    for i, token in enumerate(src):
        if i in skip or not _content(token, lang):
            continue
        matches = _spelled_like(token, index, tgt)
        if len(matches) == 1:
            pairs.append((i, matches[0]))
    # Longest chain increasing on both sides: a crossing pair is more likely noise.
    chains: list[list[tuple[int, int]]] = []
    for pair in pairs:
        best = max((c for c in chains if c[-1][1] < pair[1]), key=len, default=[])
        chains.append([*best, pair])
    return max(chains, key=len, default=[])


def _by_anchors(
    hit: list[int],
    src: Sequence[_Token],
    tgt: Sequence[_Token],
    langs: tuple[str, str],
    fenced: bool,
) -> list[int]:
    """Content words between the anchors around the hit, when they leave only a few."""
    pairs = _anchor_pairs(src, tgt, set(hit), langs[0])
    left = max((p for p in pairs if p[0] < hit[0]), default=None)
    right = min((p for p in pairs if p[0] > hit[-1]), default=None)
    if left is None and right is None:
        return []
    # Without an anchor on one side, the sentence's edge serves, if the sentence is known.
    if (left is None or right is None) and not fenced:
        return []
    left = left or (-1, -1)
    right = right or (len(src), len(tgt))
    anchored = {j for _i, j in pairs}
    between = [
        j for j in range(left[1] + 1, right[1]) if j not in anchored and _content(tgt[j], langs[1])
    ]
    wanted = max(1, sum(1 for i in hit if _content(src[i], langs[0])))
    if not between or len(between) > max(3, 2 * wanted):
        return []
    place = left[1] + (hit[0] - left[0]) * (right[1] - left[1]) / (right[0] - left[0])
    nearest = min(range(len(between)), key=lambda k: abs(between[k] - place))
    first = max(0, min(nearest, len(between) - wanted))
    return between[first : first + wanted]


def _widened(found: list[int], wanted: int, tgt: Sequence[_Token], lang: str, taken: set[int]):
    """Grow a rendering found by spelling to as many content words as the hit has, with the
    content words right beside it (*surveillance aérienne* -> *aerial surveillance*)."""
    first, last = found[0], found[-1]
    while last - first + 1 < wanted:
        sides = [k for k in (first - 1, last + 1) if 0 <= k < len(tgt)]
        free = [k for k in sides if k not in taken and _content(tgt[k], lang)]
        if not free:
            break
        first, last = min(first, free[0]), max(last, free[0])
    return list(range(first, last + 1))


def _hit_words(tokens: Sequence[_Token], hit: Offsets, lang: str) -> tuple[list[int], list[int]]:
    """The tokens the hit covers, and those of them that are content words (or all)."""
    words = [i for i, t in enumerate(tokens) if t[START] < hit[1] and t[END] > hit[0]]
    return words, [i for i in words if _content(tokens[i], lang)] or words


def _unique_spelling(
    source: str, hit: Offsets, source_lang: str, target: str, target_lang: str
) -> Located | None:
    """The rendering when each hit word is spelled alike once in the whole row, or None.

    One cognate in the aligned row is evidence enough, and finding it costs far less than
    aligning the row's sentences; several, or none, and the sentences must decide.
    """
    src, tgt = _tokens(source, (0, len(source))), _tokens(target, (0, len(target)))
    hit_words, content = _hit_words(src, hit, source_lang)
    index = _index(tgt)
    matches = [_spelled_like(src[i], index, tgt) for i in content]
    if not content or any(len(m) != 1 for m in matches):
        return None
    found = sorted({m[0] for m in matches})
    if found[-1] - found[0] > 2 * len(hit_words) + 2:
        return None
    start, end = tgt[found[0]][START], tgt[found[-1]][END]
    sentence = next((s for s in sentences(target, target_lang) if s[0] <= start < s[1]), None)
    return Located(sentence, (start, end), "cognate")


@lru_cache(maxsize=4096)
def locate(source: str, hit: Offsets, source_lang: str, target: str, target_lang: str) -> Located:
    """The counterpart of ``source[hit[0]:hit[1]]`` in ``target``, as far as it can be told.

    Cached: a revision that leaves a paragraph as it was asks again for the same answer.
    """
    if not target.strip():
        return Located(None, None, "")
    quick = _unique_spelling(source, hit, source_lang, target, target_lang)
    if quick is not None:
        return quick
    src_sentence, tgt_sentence = counterpart_sentences(
        source, hit, source_lang, target, target_lang
    )
    fenced = tgt_sentence is not None and src_sentence is not None
    src = _tokens(source, src_sentence or (0, len(source)))
    tgt = _tokens(target, tgt_sentence or (0, len(target)))
    hit_words, content = _hit_words(src, hit, source_lang)
    if not content or not tgt:
        return Located(tgt_sentence, None, "")
    how, found = "cognate", sorted(set(_by_spelling(content, src, tgt)))
    # Words spelled alike but far apart are not one rendering: keep the first.
    if found and found[-1] - found[0] > 2 * len(hit_words) + 2:
        found = found[:1]
    if found and len(found) < len(content):
        taken = {j for _i, j in _anchor_pairs(src, tgt, set(hit_words), source_lang)}
        widened = _widened(found, len(content), tgt, target_lang, taken)
        how, found = ("anchors" if widened != found else how), widened
    if not found:
        how, found = "anchors", _by_anchors(hit_words, src, tgt, (source_lang, target_lang), fenced)
    if not found:
        return Located(tgt_sentence, None, "")
    return Located(tgt_sentence, (tgt[found[0]][START], tgt[found[-1]][END]), how)


def clear_caches() -> None:
    """Forget the texts seen so far (the benchmark times every run from cold)."""
    for cached in (sentences, _tokens, _index, _profile, _kinship, _beads, locate):
        cached.cache_clear()
