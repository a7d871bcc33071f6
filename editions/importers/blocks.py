"""Blocks of a plain-text or Markdown record (lines between blank lines) and their text:
lines joined, Markdown emphasis, links and a few HTML tags stripped, hyphenated words rejoined."""

import re
from collections.abc import Callable

Block = list[str]  # the raw lines of one block

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)

ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")


def split_blocks(text: str) -> list[Block]:
    """Lines between blank lines; a Markdown "# heading" line is a block of its own."""
    blocks: list[Block] = []
    current: Block = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif ATX.match(line):
            if current:
                blocks.append(current)
            blocks.append([line])
            current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def strip_quote(line: str) -> str:
    """Drop Markdown blockquote marks ("> Washington, ...")."""
    return re.sub(r"^\s{0,3}(?:>[ \t]?)+", "", line)


def join_lines(lines: Block, *, hard_break: str = " ") -> str:
    """One block's lines as one string.

    A Markdown hard break (two trailing spaces or a backslash) becomes ``hard_break``; any
    other line end becomes a space, except after a hyphen inside a word ("anti-" /
    "aircraft"), where the hyphen is kept and nothing is added.
    """
    pieces: list[str] = []
    hard_before = False
    for number, raw in enumerate(lines):
        line = strip_quote(raw)
        if number:
            if hard_before:
                pieces.append(hard_break)
            elif not ends_in_hyphenated_word(pieces[-1]):
                pieces.append(" ")
        hard_before = line.endswith(("  ", "\t", "\\"))
        pieces.append(line.removesuffix("\\").strip())
    return re.sub(r"[ \t]+", " ", "".join(pieces)).strip()


def ends_in_hyphenated_word(text: str) -> bool:
    """ "anti-" at a line end: the word goes on on the next line, with its hyphen."""
    return len(text) >= 2 and text[-1] == "-" and text[-2].isalpha()


_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?!\w)")
# Each pattern and what replaces its matches (a template, or a function of the match).
_INLINE_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]^][^\]]*)\]\((?:https?://|/|#)[^)\s]*\)"), r"\1"),  # [text](url)
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # <https://...>
    (re.compile(r"<sup>\s*(\d{1,3})\s*</sup>", re.I), lambda m: m[1].translate(_TO_SUPERSCRIPT)),
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:b|i|em|strong|u|span|sub|small)\b[^>]*>", re.I), ""),
    (re.compile(r"`([^`]+)`"), r"\1"),
    # Each span stops at the next mark of its kind, so an unclosed mark costs one short scan.
    (re.compile(r"\*\*(?=\S)((?:[^*]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"(?<!\w)__(?=\S)((?:[^_]|_(?!_))+?)(?<=\S)__(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*]+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),
    # Underscores inside words (snake_case, URLs) are not emphasis.
    (_UNDERSCORE_EMPHASIS, r"\1"),
    (re.compile(r"\*\*"), ""),  # a bold mark left unpaired
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # Markdown escapes
]


def clean_inline(text: str, *, keep_underscores: bool = False) -> str:
    """Markdown emphasis, links and a few HTML tags stripped to their text.

    ``keep_underscores`` keeps "_italics_" as written: in a plain-text book (Project
    Gutenberg's convention) they are the only record of the emphasis, and segments are plain
    text.
    """
    for pattern, replacement in _INLINE_RULES:
        if keep_underscores and pattern is _UNDERSCORE_EMPHASIS:
            continue
        text = pattern.sub(replacement, text)
    return text.strip()


def block_text(block: Block, *, hard_break: str = " ", keep_underscores: bool = False) -> str:
    return clean_inline(join_lines(block, hard_break=hard_break), keep_underscores=keep_underscores)


def continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` is the rest of ``prev``'s sentence, cut by a page or a blank line."""
    return bool(prev and nxt) and (prev[-1].isalnum() or prev[-1] in ",-–(") and nxt[0].islower()


def joining_space(prev: str) -> str:
    return "" if ends_in_hyphenated_word(prev) else " "
