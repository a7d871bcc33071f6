"""Word-level comparison of two renderings of a text.

The texts are cut into tokens (words, whitespace runs, single punctuation marks or symbols).
Each distinct word is mapped to one character and diff-match-patch diffs the resulting
strings: the "lines to chars" trick applied to words. A change therefore covers whole words,
and ``diff_cleanupSemantic`` merges nearby changes into phrases where a character diff would
scatter letters ("ignore" -> "do not know", not "i<del>gn</del><ins>d</ins>o..."). The
whitespace and punctuation between two matched words are then compared on their own.

The ``ignore_*`` options decide what counts as a change. An ignored difference (a word's
case, a whitespace run, a punctuation mark) is reported inside an ``equal`` operation that
carries the text of ``b``; the text of ``a`` it stands for is kept in :attr:`DiffOp.a_text`.

Free of Django: ``diff_html`` renders a diff as HTML.
"""

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

OpName = Literal["equal", "delete", "insert"]
TokenKind = Literal["word", "space", "punct", "symbol"]

# Private-use characters first: diff-match-patch's semantic cleanup scores edit boundaries by
# looking at letters and spaces, and private-use characters are neither, so they bias nothing.
# The BMP area has 6,400 of them; the supplementary private-use planes add 131,068, and the
# remaining supplementary planes (any distinct characters will do) the rest.
_CODE_POINT_RANGES: tuple[tuple[int, int], ...] = (
    (0xE000, 0xF8FF),
    (0xF0000, 0xFFFFD),
    (0x100000, 0x10FFFD),
    (0x20000, 0xEFFFF),
)

# Past this many seconds diff-match-patch returns a valid but coarser diff.
DIFF_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One operation of a diff from ``a`` to ``b``.

    ``text`` is the text deleted from ``a``, inserted into ``b``, or, for ``equal``, the text
    of ``b``. ``a_text`` is set only on an ``equal`` operation whose text in ``a`` differs from
    ``text`` by differences the ``ignore_*`` options ignore (case, and with it the Unicode
    normalization form; whitespace; punctuation); an ``equal`` operation may then have an
    empty ``text``. ``minor`` marks a
    ``delete`` or ``insert`` that belongs to a change touching only punctuation, whitespace
    or the Unicode normalization form, which a view may hide.
    """

    op: OpName
    text: str
    minor: bool = False
    a_text: str | None = None

    def __post_init__(self) -> None:
        if self.op not in ("equal", "delete", "insert"):
            raise ValueError(f"unknown diff operation {self.op!r}")
        if self.a_text is not None and self.op != "equal":
            raise ValueError("only an equal operation carries a_text")

    @property
    def text_in_a(self) -> str:
        """The part of ``a`` this operation stands for."""
        if self.op == "insert":
            return ""
        return self.text if self.a_text is None else self.a_text

    @property
    def text_in_b(self) -> str:
        """The part of ``b`` this operation stands for."""
        return "" if self.op == "delete" else self.text


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: TokenKind


@dataclass(frozen=True, slots=True)
class _Options:
    ignore_case: bool
    ignore_punctuation: bool
    ignore_whitespace: bool

    def significant(self, token: Token) -> bool:
        """Whether the token takes part in the comparison at all."""
        if token.kind == "space":
            return not self.ignore_whitespace
        if token.kind == "punct":
            return not self.ignore_punctuation
        return True

    def key(self, token: Token) -> str:
        """What must be equal for two significant tokens to match."""
        if self.ignore_case and token.kind in ("word", "symbol"):
            return unicodedata.normalize("NFC", token.text.casefold())
        return token.text

    def skeleton(self, tokens: Sequence[Token]) -> tuple[str, ...]:
        """The words and symbols of a change, to tell minor changes from real ones."""
        words = (self.key(t) for t in tokens if t.kind in ("word", "symbol"))
        return tuple(unicodedata.normalize("NFC", word) for word in words)


# -- Tokenizing ----------------------------------------------------------------------------

_APOSTROPHES = frozenset("'\u2019")
_ZERO_WIDTH_JOINER = "\u200d"
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)

# Scripts written without spaces between words: each character is a token of its own, or a
# whole Chinese or Japanese sentence would be one "word".
_IDEOGRAPHIC_RANGES = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # Halfwidth Katakana
    (0x20000, 0x3134F),  # CJK extensions B to G
)

_char_classes: dict[str, str] = {}

_MATCHED_KINDS = frozenset({"word", "symbol"})


def _char_class(char: str) -> str:
    """One of word, ideograph, space, mark, punct, symbol (cached: texts reuse few chars)."""
    cached = _char_classes.get(char)
    if cached is not None:
        return cached
    code = ord(char)
    category = unicodedata.category(char)
    if char.isspace():
        cls = "space"
    elif char.isalnum() or char == "_":
        ideographic = any(low <= code <= high for low, high in _IDEOGRAPHIC_RANGES)
        cls = "ideograph" if ideographic else "word"
    elif category[0] == "M" or category == "Cf" or code in _EMOJI_MODIFIERS:
        # Combining accents, vowel signs, variation selectors, joiners, skin tones and soft
        # hyphens belong to the character before them.
        cls = "mark"
    elif category[0] == "P":
        cls = "punct"
    else:
        cls = "symbol"
    _char_classes[char] = cls
    return cls


def tokenize(text: str) -> list[Token]:
    """Cut ``text`` into word, whitespace, punctuation and symbol tokens.

    A word is a run of letters, digits, underscores and combining marks, with apostrophes
    inside it ("d'affaires", "don't", "l’ambassade"); Chinese and Japanese characters are one
    token each; every other character (with its combining marks, and emoji joined by ZWJ) is
    a token of its own. Joining the tokens' texts gives back ``text``.
    """
    tokens: list[Token] = []
    start, current, glued = 0, "", False
    classes = _char_classes
    for i, char in enumerate(text):
        cls = classes.get(char) or _char_class(char)
        if current and ((glued and cls != "space") or _extends(current, cls, text, i)):
            glued = char == _ZERO_WIDTH_JOINER
            continue
        if current:
            tokens.append(Token(text[start:i], _TOKEN_KINDS[current]))
        start, current = i, cls
        glued = char == _ZERO_WIDTH_JOINER
    if current:
        tokens.append(Token(text[start:], _TOKEN_KINDS[current]))
    return tokens


def _extends(current: str, cls: str, text: str, i: int) -> bool:
    """Whether the character at ``i``, of class ``cls``, continues a token of ``current``."""
    if cls == "mark":
        return current != "space"
    if current == "space":
        return cls == "space"
    if current == "word":
        if cls == "word":
            return True
        return text[i] in _APOSTROPHES and i + 1 < len(text) and _char_class(text[i + 1]) == "word"
    return False


_TOKEN_KINDS: dict[str, TokenKind] = {
    "word": "word",
    "ideograph": "word",
    "space": "space",
    "punct": "punct",
    "symbol": "symbol",
    "mark": "symbol",  # a combining mark with no base character to attach to
}


# -- Diffing -------------------------------------------------------------------------------


def word_diff(
    a: str,
    b: str,
    *,
    ignore_case: bool = False,
    ignore_punctuation: bool = False,
    ignore_whitespace: bool = True,
) -> list[DiffOp]:
    """Diff ``a`` into ``b`` word by word.

    What always holds, whatever the options::

        "".join(op.text for op in ops if op.op != "delete") == b
        "".join(op.text_in_a for op in ops) == a

    ``"".join(op.text for op in ops if op.op != "insert") == a`` holds too whenever no
    operation carries ``a_text``, which is guaranteed when all three options are false:
    then every difference, down to a single space, is a ``delete`` and/or ``insert``.

    With an option set, a difference it ignores (a word's case, a whitespace run, a
    punctuation mark) is reported as ``equal`` with ``b``'s text and ``a``'s text in
    ``a_text``. Ignored tokens at the edges of a change belong to it only when the other
    side has none there: under ``ignore_punctuation``, "calm, he" -> "quiet; he" changes
    "calm" into "quiet" and ignores the semicolon, but "calm, he" -> "quiet he" changes
    "calm," into "quiet". Changes that only touch punctuation, whitespace or the
    Unicode normalization form come out as ``delete``/``insert`` with ``minor=True``.

    Consecutive operations never share the same ``op`` and ``minor``, and a change is given
    as its ``delete`` before its ``insert``.
    """
    options = _Options(ignore_case, ignore_punctuation, ignore_whitespace)
    tokens_a, tokens_b = tokenize(a), tokenize(b)
    builder = _OpBuilder()
    next_a = next_b = 0
    for index_a, index_b in _matched_tokens(tokens_a, tokens_b, options):
        _add_region(builder, tokens_a[next_a:index_a], tokens_b[next_b:index_b], options)
        builder.equal(tokens_b[index_b].text, tokens_a[index_a].text)
        next_a, next_b = index_a + 1, index_b + 1
    _add_region(builder, tokens_a[next_a:], tokens_b[next_b:], options)
    return builder.ops


def similarity(
    a: str,
    b: str,
    *,
    ignore_case: bool = False,
    ignore_punctuation: bool = False,
    ignore_whitespace: bool = True,
) -> float:
    """1 minus the word edit distance between ``a`` and ``b`` over the longer's token count.

    Words, symbols and (unless ``ignore_punctuation``) punctuation marks are counted, compared
    as :func:`word_diff` compares them; whitespace never counts, so ``ignore_whitespace`` is
    accepted for symmetry only. A substituted word costs one, as does an inserted or deleted
    one. Returns a float in [0, 1]: 1.0 for identical texts, and for two empty ones.

    Ignored punctuation leaves the distance but stays in the length: hiding punctuation-only
    changes takes their cost away and never lowers the figure (dropping the marks from the
    length as well would weigh each remaining word change more).
    """
    options = _Options(ignore_case, ignore_punctuation, ignore_whitespace)
    tokens_a = [t for t in tokenize(a) if t.kind != "space"]
    tokens_b = [t for t in tokenize(b) if t.kind != "space"]
    keys_a = [options.key(t) for t in tokens_a if options.significant(t)]
    keys_b = [options.key(t) for t in tokens_b if options.significant(t)]
    longest = max(len(tokens_a), len(tokens_b))
    if not keys_a and not keys_b:
        return 1.0
    engine = _engine()
    distance = engine.diff_levenshtein(_diff_encoded(engine, *_encode(keys_a, keys_b)))
    return max(0.0, 1.0 - distance / longest)


def _engine() -> diff_match_patch:
    engine = diff_match_patch()
    engine.Diff_Timeout = DIFF_TIMEOUT
    return engine


def _diff_encoded(engine: diff_match_patch, one: str, two: str) -> list[tuple[int, str]]:
    if not set(one) & set(two):
        # Nothing in common: spare the bisection its whole time budget on long texts.
        replaced = ((engine.DIFF_DELETE, one), (engine.DIFF_INSERT, two))
        return [(op, text) for op, text in replaced if text]
    return engine.diff_main(one, two, False)


def _encode(keys_a: Sequence[str], keys_b: Sequence[str]) -> tuple[str, str]:
    """Map each distinct key to a character of its own, in both sequences alike."""
    chars: dict[str, str] = {}
    supply = _code_points()
    encoded = []
    for keys in (keys_a, keys_b):
        out = []
        for key in keys:
            char = chars.get(key)
            if char is None:
                char = chars[key] = next(supply)
            out.append(char)
        encoded.append("".join(out))
    return encoded[0], encoded[1]


def _code_points() -> Iterator[str]:
    for low, high in _CODE_POINT_RANGES:
        for code in range(low, high + 1):
            yield chr(code)
    raise ValueError("too many distinct tokens to diff (about 990,000 at most)")


def _matched_tokens(
    tokens_a: Sequence[Token], tokens_b: Sequence[Token], options: _Options
) -> list[tuple[int, int]]:
    """Pairs of indices of the words (and symbols) that the diff keeps as equal, in order.

    Only words are matched here. In token space every token weighs one character, so the
    semantic cleanup would swallow a word standing between two punctuation edits ("cat, sat."
    -> "cat sat" would become one change); punctuation and whitespace are instead compared
    between the matched words, by :func:`_add_region`.
    """
    words_a = [i for i, t in enumerate(tokens_a) if t.kind in _MATCHED_KINDS]
    words_b = [i for i, t in enumerate(tokens_b) if t.kind in _MATCHED_KINDS]
    encoded_a, encoded_b = _encode(
        [options.key(tokens_a[i]) for i in words_a],
        [options.key(tokens_b[i]) for i in words_b],
    )
    engine = _engine()
    diffs = _diff_encoded(engine, encoded_a, encoded_b)
    engine.diff_cleanupSemantic(diffs)
    pairs: list[tuple[int, int]] = []
    position_a = position_b = 0
    for op, chars in diffs:
        if op == engine.DIFF_EQUAL:
            for offset in range(len(chars)):
                pairs.append((words_a[position_a + offset], words_b[position_b + offset]))
        if op != engine.DIFF_INSERT:
            position_a += len(chars)
        if op != engine.DIFF_DELETE:
            position_b += len(chars)
    return pairs


def _add_region(
    builder: "_OpBuilder", region_a: Sequence[Token], region_b: Sequence[Token], options: _Options
) -> None:
    """Report the tokens between two matched tokens: an ignored difference or a change."""
    if not region_a and not region_b:
        return
    head = _common_head(region_a, region_b)
    builder.equal(_join(region_b[:head]), _join(region_a[:head]))
    region_a, region_b = region_a[head:], region_b[head:]
    tail = _common_head(region_a[::-1], region_b[::-1])
    tail_a, tail_b = region_a[len(region_a) - tail :], region_b[len(region_b) - tail :]
    region_a, region_b = region_a[: len(region_a) - tail], region_b[: len(region_b) - tail]
    _add_change(builder, region_a, region_b, options)
    builder.equal(_join(tail_b), _join(tail_a))


def _add_change(
    builder: "_OpBuilder", region_a: Sequence[Token], region_b: Sequence[Token], options: _Options
) -> None:
    if not any(map(options.significant, (*region_a, *region_b))):
        builder.equal(_join(region_b), _join(region_a))
        return
    # Ignored tokens on both sides at the edges of a change are ignored differences, not part
    # of it: "word, " against "word; " (ignoring punctuation) only changes "word".
    lead_a, lead_b = _leading_ignored(region_a, options), _leading_ignored(region_b, options)
    if lead_a and lead_b:
        builder.equal(_join(region_b[:lead_b]), _join(region_a[:lead_a]))
        region_a, region_b = region_a[lead_a:], region_b[lead_b:]
    trail_a = _leading_ignored(region_a[::-1], options) if region_b else 0
    trail_b = _leading_ignored(region_b[::-1], options) if region_a else 0
    ignored_a: Sequence[Token] = ()
    ignored_b: Sequence[Token] = ()
    if trail_a and trail_b:
        ignored_a, ignored_b = region_a[-trail_a:], region_b[-trail_b:]
        region_a, region_b = region_a[:-trail_a], region_b[:-trail_b]
    minor = options.skeleton(region_a) == options.skeleton(region_b)
    builder.change(_join(region_a), _join(region_b), minor)
    builder.equal(_join(ignored_b), _join(ignored_a))


def _common_head(tokens_a: Sequence[Token], tokens_b: Sequence[Token]) -> int:
    count = 0
    for token_a, token_b in zip(tokens_a, tokens_b, strict=False):
        if token_a.text != token_b.text:
            break
        count += 1
    return count


def _leading_ignored(tokens: Sequence[Token], options: _Options) -> int:
    count = 0
    for token in tokens:
        if options.significant(token):
            break
        count += 1
    return count


def _join(tokens: Iterable[Token]) -> str:
    return "".join(token.text for token in tokens)


class _OpBuilder:
    """Collects operations, merging neighbours of the same kind.

    Texts are kept as lists of parts and joined once at the end: merging by concatenation
    would copy a long equal run again for every word of it.
    """

    def __init__(self) -> None:
        # Each entry: op, minor, parts of its text, parts of its text in a.
        self._entries: list[tuple[OpName, bool, list[str], list[str]]] = []

    def equal(self, text_b: str, text_a: str) -> None:
        if text_b or text_a:
            self._add("equal", False, text_b, text_a)

    def change(self, deleted: str, inserted: str, minor: bool) -> None:
        # Deletion first, so that a change always reads "delete, then insert".
        if deleted:
            self._add("delete", minor, deleted, deleted)
        if inserted:
            self._add("insert", minor, inserted, "")

    def _add(self, op: OpName, minor: bool, text: str, text_a: str) -> None:
        if self._entries and self._entries[-1][:2] == (op, minor):
            self._entries[-1][2].append(text)
            self._entries[-1][3].append(text_a)
        else:
            self._entries.append((op, minor, [text], [text_a]))

    @property
    def ops(self) -> list[DiffOp]:
        ops = []
        for op, minor, parts, parts_a in self._entries:
            text = "".join(parts)
            text_a = "".join(parts_a) if op == "equal" else text
            ops.append(DiffOp(op, text, minor, None if text_a == text else text_a))
        return ops
