"""W3C Web Annotation selectors for spans of a segment's text, and re-anchoring.

An annotation stores two selectors for its span (https://www.w3.org/TR/annotation-model/):

- a ``TextQuoteSelector``: the quoted text (``exact``) with up to 32 characters of context on
  each side (``prefix``, ``suffix``);
- a ``TextPositionSelector``: the ``start`` and ``end`` offsets.

Offsets are Unicode code points (Python ``str`` indices): "é" and "𝔘" each count as one.
Browser code that works in UTF-16 code units must convert before sending offsets here.

When the segment's text is edited, :func:`anchor` finds the span again, in this order:

1. the stored position, if the text there still equals the quote (and no other occurrence of
   the quote fits the stored context much better);
2. another exact occurrence of the quote, the one whose context fits best, then the nearest;
3. an approximate occurrence with at most a quarter of the quote's length in edits
   (Levenshtein distance), found with Myers' bit-parallel algorithm on Python integers, which,
   unlike diff-match-patch's ``match_main``, is not limited to 32-character patterns.

If none of these succeeds the annotation is orphaned and :func:`anchor` returns ``None``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

QUOTE_SELECTOR = "TextQuoteSelector"
POSITION_SELECTOR = "TextPositionSelector"

DEFAULT_CONTEXT = 32

# An approximate match may differ from the quote by at most this fraction of its length.
MAX_EDIT_RATIO = 0.25

# Weights of a candidate's score. The quote's own similarity dominates; a fitting context
# outweighs proximity, which only decides between candidates whose contexts fit alike.
_QUOTE_WEIGHT = 2.0
_PROXIMITY_WEIGHT = 0.25

# Exact occurrences of a short quote can be numerous: only the most promising ones, by a cheap
# score, get the full approximate context comparison.
_SHORTLIST = 16


@dataclass(frozen=True, slots=True)
class _Quote:
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class _Position:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    score: float


def build_selectors(
    text: str, start: int, end: int, context: int = DEFAULT_CONTEXT
) -> list[dict[str, Any]]:
    """Return the quote and position selectors for ``text[start:end]``.

    ``context`` is how many characters of prefix and suffix to keep (fewer at the text's ends).
    Raises ``ValueError`` unless ``0 <= start < end <= len(text)`` and ``context >= 0``.
    """
    if not 0 <= start < end <= len(text):
        raise ValueError(f"invalid span {start}:{end} for a text of length {len(text)}")
    if context < 0:
        raise ValueError("context must not be negative")
    return [
        {
            "type": QUOTE_SELECTOR,
            "exact": text[start:end],
            "prefix": text[max(0, start - context) : start],
            "suffix": text[end : end + context],
        },
        {"type": POSITION_SELECTOR, "start": start, "end": end},
    ]


def anchor(text: str, selectors: Iterable[Mapping[str, Any]]) -> tuple[int, int] | None:
    """Locate the span described by ``selectors`` in ``text``; ``(start, end)`` or ``None``.

    Selectors of other types are ignored, as are malformed ones. With a position and no quote,
    the position is trusted if it lies within the text. With a quote, see the module docstring.
    """
    quote, position = _parse_selectors(selectors)
    if quote is None:
        if position is not None and _in_bounds(text, position):
            return position.start, position.end
        return None
    best = _best_exact(text, quote, position) or _best_approximate(text, quote, position)
    return None if best is None else (best.start, best.end)


def _parse_selectors(
    selectors: Iterable[Mapping[str, Any]],
) -> tuple[_Quote | None, _Position | None]:
    quote: _Quote | None = None
    position: _Position | None = None
    for selector in selectors:
        if not isinstance(selector, Mapping):
            continue
        kind = selector.get("type")
        if kind == QUOTE_SELECTOR and quote is None:
            quote = _parse_quote(selector)
        elif kind == POSITION_SELECTOR and position is None:
            position = _parse_position(selector)
    return quote, position


def _parse_quote(selector: Mapping[str, Any]) -> _Quote | None:
    exact = selector.get("exact")
    prefix = selector.get("prefix") or ""
    suffix = selector.get("suffix") or ""
    if not isinstance(exact, str) or not exact:
        return None
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        return None
    return _Quote(exact, prefix, suffix)


def _parse_position(selector: Mapping[str, Any]) -> _Position | None:
    start, end = selector.get("start"), selector.get("end")
    # bool is an int subclass, and True/False are no offsets.
    if type(start) is not int or type(end) is not int:
        return None
    return _Position(start, end)


def _in_bounds(text: str, position: _Position) -> bool:
    return 0 <= position.start < position.end <= len(text)


# -- Exact occurrences ---------------------------------------------------------------------


def _best_exact(text: str, quote: _Quote, position: _Position | None) -> _Candidate | None:
    starts = _occurrences(text, quote.exact)
    if not starts:
        return None
    length = len(quote.exact)
    # The stored position still holds the quote: nothing beats it if its context fits.
    if (
        position is not None
        and _in_bounds(text, position)
        and position.end == position.start + length
        and text.startswith(quote.exact, position.start)
        and _context_fit(text, position.start, position.end, quote) == 1.0
    ):
        return _Candidate(position.start, position.end, 0.0)
    # Rank by the cheap exact-context score first so that a frequent word stays fast.
    starts.sort(
        key=lambda s: (
            -_cheap_context_fit(text, s, s + length, quote) - _proximity(s, position, length)
        )
    )
    candidates = [
        _Candidate(s, s + length, _score(text, s, s + length, quote, position, distance=0))
        for s in starts[:_SHORTLIST]
    ]
    return _pick(candidates, position)


def _occurrences(text: str, exact: str) -> list[int]:
    starts = []
    found = text.find(exact)
    while found != -1:
        starts.append(found)
        found = text.find(exact, found + 1)
    return starts


def _cheap_context_fit(text: str, start: int, end: int, quote: _Quote) -> float:
    """Fraction of the context that matches exactly, outwards from the span."""
    total = len(quote.prefix) + len(quote.suffix)
    if total == 0:
        return 0.0
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return (_common_suffix(quote.prefix, before) + _common_prefix(quote.suffix, after)) / total


def _common_prefix(one: str, two: str) -> int:
    count = 0
    for x, y in zip(one, two, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(one: str, two: str) -> int:
    return _common_prefix(one[::-1], two[::-1])


# -- Approximate occurrences ---------------------------------------------------------------


def _best_approximate(text: str, quote: _Quote, position: _Position | None) -> _Candidate | None:
    pattern = quote.exact
    max_edits = int(len(pattern) * MAX_EDIT_RATIO)
    if max_edits == 0 or not text:
        return None
    distances = _edit_distances(pattern, text, anchored=False)
    candidates = []
    for ends in _runs_within(distances, max_edits):
        best = min(distances[end] for end in ends)
        spans = [
            _span_ending_at(text, pattern, end, best) for end in ends if distances[end] == best
        ]
        # Of equally close spans (a trailing character substituted or dropped), keep the one
        # whose length is closest to the quote's.
        start, end = min(spans, key=lambda span: (abs(span[1] - span[0] - len(pattern)), span))
        candidates.append(_Candidate(start, end, _score(text, start, end, quote, position, best)))
    return _pick(candidates, position)


def _runs_within(distances: list[int], max_edits: int) -> list[list[int]]:
    """Group the end offsets whose distance is within ``max_edits`` into contiguous runs.

    Each run surrounds one approximate occurrence of the pattern.
    """
    runs: list[list[int]] = []
    for end, distance in enumerate(distances):
        if end == 0 or distance > max_edits:
            continue
        if runs and runs[-1][-1] == end - 1:
            runs[-1].append(end)
        else:
            runs.append([end])
    return runs


def _span_ending_at(text: str, pattern: str, end: int, distance: int) -> tuple[int, int]:
    """Find where the best match of ``pattern`` ending at ``end`` starts.

    The match is at most ``len(pattern) + distance`` long, so searching the reversed pattern
    from ``end`` backwards over that window, anchored at ``end``, gives its start.
    """
    window = text[max(0, end - len(pattern) - distance) : end][::-1]
    scores = _edit_distances(pattern[::-1], window, anchored=True)
    lengths = [n for n in range(1, len(scores)) if scores[n] == distance]
    length = min(lengths, key=lambda n: (abs(n - len(pattern)), n))
    return end - length, end


def _edit_distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Levenshtein distances of ``pattern`` against ``text`` for every end offset.

    ``result[j]`` is the distance between ``pattern`` and the closest substring of ``text``
    ending at ``j`` (``anchored=False``, Sellers' search) or ``text[:j]`` (``anchored=True``).

    This is Myers' bit-parallel algorithm in Hyyrö's formulation: the column of the dynamic
    programming table is held as vertical deltas in two bit vectors, which Python's unbounded
    integers let span a pattern of any length.
    """
    m = len(pattern)
    if m == 0:
        return [0] * (len(text) + 1)
    mask = (1 << m) - 1
    last = 1 << (m - 1)
    peq: dict[str, int] = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    # An anchored search pays one edit per skipped text character: a +1 delta on row 0.
    carry = 1 if anchored else 0
    vp, vn, score = mask, 0, m
    scores = [m]
    for char in text:
        eq = peq.get(char, 0)
        d0 = (((eq & vp) + vp) ^ vp) | eq | vn
        hp = vn | (~(d0 | vp) & mask)
        hn = vp & d0
        if hp & last:
            score += 1
        elif hn & last:
            score -= 1
        hp = ((hp << 1) | carry) & mask
        hn = (hn << 1) & mask
        vp = hn | (~(d0 | hp) & mask)
        vn = hp & d0
        scores.append(score)
    return scores


# -- Scoring -------------------------------------------------------------------------------


def _score(
    text: str, start: int, end: int, quote: _Quote, position: _Position | None, distance: int
) -> float:
    similarity = 1.0 - distance / len(quote.exact)
    return (
        _QUOTE_WEIGHT * similarity
        + _context_fit(text, start, end, quote)
        + _proximity(start, position, len(quote.exact))
    )


def _context_fit(text: str, start: int, end: int, quote: _Quote) -> float:
    """How well the stored prefix and suffix match the text around a span, from 0 to 1.

    Each side is compared approximately (an edit next to the span must not discard the rest of
    the context), anchored at the span and free at the far end.
    """
    total = len(quote.prefix) + len(quote.suffix)
    if total == 0:
        return 0.0
    matched = 0
    if quote.prefix:
        slack = len(quote.prefix) // 2 + 1
        before = text[max(0, start - len(quote.prefix) - slack) : start]
        matched += _anchored_match(quote.prefix[::-1], before[::-1])
    if quote.suffix:
        slack = len(quote.suffix) // 2 + 1
        after = text[end : end + len(quote.suffix) + slack]
        matched += _anchored_match(quote.suffix, after)
    return matched / total


def _anchored_match(context: str, text: str) -> int:
    """How many characters of ``context`` match the start of ``text``, edits deducted."""
    return len(context) - min(_edit_distances(context, text, anchored=True))


def _proximity(start: int, position: _Position | None, length: int) -> float:
    if position is None:
        return 0.0
    return _PROXIMITY_WEIGHT / (1.0 + abs(start - position.start) / max(length, 1))


def _pick(candidates: list[_Candidate], position: _Position | None) -> _Candidate | None:
    if not candidates:
        return None
    origin = position.start if position is not None else 0
    return max(candidates, key=lambda c: (c.score, -abs(c.start - origin), -c.start))
