"""The text of a record: blocks, Markdown clean-up, headings, paragraphs, footnotes and the
markers that call them.

Every parser cuts its record into *blocks* (lines between blank lines), takes the metadata
from the first ones, hands the rest to ``build_segments``, then ``link_notes`` links each
marker to its note. The rules here are general (any footnote style, any page break, notes
at the end or after their paragraph, chapter headings as books print them), not tuned to one
seed or one book.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .base import ParsedNoteRef, ParsedSegment
from .metadata import parse_heading_line

Block = list[str]  # the raw lines of one block

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)


def split_blocks(text: str) -> list[Block]:
    """Lines between blank lines; a Markdown "# heading" line is a block of its own."""
    blocks: list[Block] = []
    current: Block = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(current)
            current = []
        elif _ATX.match(line):
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


_ATX = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")


def is_rule(block: Block) -> bool:
    return len(block) == 1 and bool(_RULE.match(block[0]))


def heading_text(block: Block) -> str | None:
    """The text of a Markdown heading block ("### I. Origins", or a setext heading)."""
    if len(block) == 1 and (match := _ATX.match(block[0])):
        return clean_inline(match[2])
    if len(block) >= 2 and _SETEXT_UNDERLINE.match(block[-1]):
        return clean_inline(join_lines(block[:-1], hard_break="\n"))
    return None


# Chapter and section headings as books print them: "CHAPTER I.", "Chapitre premier",
# "BOOK TWO", "XXIV", "12", "II. The Unfolding of the Crisis".
_DIVISION_WORDS = (
    r"chapter|chapitre|chap\.|book|livre|part|partie|section|canto|chant|tome|volume|"
    r"kapitel|capítulo|capitulo|capitolo|hoofdstuk"
)
# A well-formed roman numeral (not empty): "XXIV", never "CIVIL".
_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b"
_NUMBER_WORDS = frozenset(
    re.findall(
        r"\S+",
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
        "eighty ninety hundred first second third fourth fifth sixth seventh eighth ninth "
        "tenth eleventh twelfth last un une deux trois quatre cinq six sept huit neuf dix onze "
        "douze treize quatorze quinze seize vingt trente quarante cinquante soixante cent "
        "premier première premiere second seconde dernier dernière",
    )
)
_DIVISION = re.compile(
    rf"^(?P<word>{_DIVISION_WORDS})\s+(?P<number>{_ROMAN}|\d{{1,4}}|[^\W\d_]+(?:-[^\W\d_]+)*)"
    r"\s*[.:]?(?:\s*[.:—–-]\s*(?P<title>\S.{0,99}))?$",
    re.I,
)
_BARE_NUMBER = re.compile(rf"^(?:{_ROMAN}|\d{{1,3}})\s*\.?$")
_ROMAN_TITLE = re.compile(rf"^{_ROMAN}\.\s+(?P<title>[^\W\d_].{{0,99}})$")
_SINGLE_DIVISIONS = re.compile(
    r"^(?:PROLOGUE|ÉPILOGUE|EPILOGUE|PRÉFACE|PREFACE|INTRODUCTION|CONCLUSION|AVANT-PROPOS)\.?$"
)
MAX_TITLE_LINE = 120


def _is_number_word(word: str) -> bool:
    parts = word.lower().split("-")
    return all(p in _NUMBER_WORDS or p.endswith(("ième", "ieme", "th")) for p in parts)


def chapter_heading(block: Block) -> str | None:
    """The text of a book's chapter or section heading: one short line standing alone (or
    with its title on the next line of the same block), or None."""
    if len(block) > 2 or any(len(line.strip()) > MAX_TITLE_LINE for line in block):
        return None
    first = clean_inline(strip_quote(block[0]))
    if not (_is_division_line(first) or (len(block) == 1 and _is_titled_roman(first))):
        return None
    if len(block) == 2:
        if not _bare_chapter_number(block[:1]) or not is_title_line(block[1:]):
            return None
        return f"{first}\n{block_text(block[1:])}"
    return first


def _is_division_line(line: str) -> bool:
    if _BARE_NUMBER.match(line) or _SINGLE_DIVISIONS.match(line):
        return True
    match = _DIVISION.match(line)
    if match is None:
        return False
    number = match["number"]
    return bool(re.fullmatch(rf"{_ROMAN}|\d+", number, re.I)) or _is_number_word(number)


def _is_titled_roman(line: str) -> bool:
    """ "II. The Unfolding of the Crisis": a numbered section heading, not a sentence."""
    match = _ROMAN_TITLE.match(line)
    return bool(match) and not re.search(r"[.;,:]$", line) and match["title"][0].isupper()


def _bare_chapter_number(block: Block) -> bool:
    """A heading that is only a number ("XXIV", "CHAPTER 1"): a title line may follow it."""
    if len(block) != 1:
        return False
    line = clean_inline(strip_quote(block[0]))
    match = _DIVISION.match(line)
    return bool(_BARE_NUMBER.match(line) or (match and not match["title"]))


def is_title_line(block: Block) -> bool:
    """A chapter's title under its number: short, not dialogue, and either in capitals or
    without a sentence's final stop ("First Lessons in Climbing", "LOST!")."""
    text = block_text(block)
    if len(block) > 2 or not 0 < len(text) <= MAX_TITLE_LINE or len(text.split()) > 16:
        return False
    if not text[0].isalnum() or _is_division_line(text):
        return False
    letters = [c for c in text if c.isalpha()]
    capitals = bool(letters) and all(c.isupper() for c in letters)
    return capitals or (text[0].isupper() and not re.search(r"[.,;:!?»”\"…]$", text))


_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?!\w)")
_INLINE_RULES = [
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


# Footnote definitions: how a note starts, by style.
@dataclass
class NoteStart:
    label: str
    style: str
    rest: str


_NOTE_STARTS = [
    ("markdown", re.compile(r"^\s{0,3}\[\^(?P<label>[^\]\s]{1,20})\]:\s*(?P<rest>.*)$")),
    ("square", re.compile(r"^\s{0,3}\[(?P<label>\d{1,3})\]\s*(?P<rest>\S.*)$")),
    # Gutenberg's "[Footnote 1: text]" (the closing bracket is taken off in ``note_text``).
    (
        "square",
        re.compile(r"^\s{0,3}\[(?:Footnote|Note)\s+(?P<label>\d{1,3})\s*:\s*(?P<rest>.*)$", re.I),
    ),
    ("paren", re.compile(r"^\s{0,3}\((?P<label>\d{1,3})\)\s*(?P<rest>\S.*)$")),
    ("superscript", re.compile(r"^\s{0,3}⁽?(?P<label>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})⁾?\s*(?P<rest>\S.*)$")),
    ("number", re.compile(r"^\s{0,3}(?P<label>\d{1,3})[.)]\s+(?P<rest>\S.*)$")),
]
# "1. " starts numbered lists as often as notes: only a notes area if the text calls them.
WEAK_STYLES = {"number"}


def note_start(line: str) -> NoteStart | None:
    line = strip_quote(line)
    for style, pattern in _NOTE_STARTS:
        if match := pattern.match(line):
            label = match["label"].translate(_FROM_SUPERSCRIPT)
            return NoteStart(label, style, match["rest"])
    return None


@dataclass
class Note:
    label: str
    parts: list[Block] = field(default_factory=list)  # paragraphs, before joining


def split_notes(blocks: list[Block]) -> tuple[list[Block], list[Note]]:
    """Body blocks and the notes that stand apart from the text.

    Markdown footnotes (``[^1]: ...``) are notes wherever they stand. Other styles are notes
    here only in the notes section: the last run of blocks that starts with a note label,
    whose labels follow each other (1, 2, 3...) and that holds nothing but notes and their
    continuations (an indented block, or one going on in lower case after a page break).
    Notes that follow their calling paragraph inside the text are found by
    ``build_segments``.
    """
    blocks, notes = _markdown_notes(blocks)
    start = _notes_area(blocks)
    if start is None:
        return blocks, notes
    style = note_start(blocks[start][0]).style
    for block in blocks[start:]:
        new_paragraph = True  # a blank line came before this block
        for line in block:
            begun = note_start(line)
            if begun and begun.style == style:
                notes.append(Note(begun.label, [[begun.rest]]))
            elif new_paragraph:
                notes[-1].parts.append([line])  # the note before goes on after a blank line
            else:
                notes[-1].parts[-1].append(line)
            new_paragraph = False
    if start and _is_notes_heading(blocks[start - 1]):
        start -= 1  # the "Notes" heading goes with its notes, out of the text to align
    return blocks[:start], notes


def _markdown_notes(blocks: list[Block]) -> tuple[list[Block], list[Note]]:
    body: list[Block] = []
    notes: list[Note] = []
    in_note = False
    for block in blocks:
        begun = note_start(block[0])
        if begun and begun.style == "markdown":
            notes.append(Note(begun.label, [[begun.rest]]))
            for line in block[1:]:
                more = note_start(line)
                if more and more.style == "markdown":
                    notes.append(Note(more.label, [[more.rest]]))
                else:
                    notes[-1].parts[-1].append(line)
            in_note = True
        elif in_note and block[0].startswith(("    ", "\t")):
            notes[-1].parts.append(block)  # an indented paragraph continues a Markdown note
        else:
            body.append(block)
            in_note = False
    return body, notes


def _continues_note(block: Block) -> bool:
    """A block that can only be the rest of a note: indented, or going on in lower case."""
    text = block_text(block)
    return block[0][:1].isspace() or (bool(text) and text[0].islower())


MAX_NOTE_PARAGRAPHS = 2  # of a note in the notes section that start like a new sentence


def _notes_area(blocks: list[Block]) -> int | None:
    """The first block of the notes section, found in one pass from the end.

    Every block after it is a note (labels in order, one style) or the rest of one: an
    indented paragraph, one going on in lower case, or a paragraph or two between two notes.
    Nothing after the last note belongs to the section, so a note inside the text never
    turns the paragraphs after it into notes.
    """
    area = style = None
    expected: int | None = None  # the label the block before must end with
    loose = 0  # paragraphs in a row, met going back, that read like text
    for i in range(len(blocks) - 1, -1, -1):
        starts = [b for line in blocks[i] if (b := note_start(line))]
        begun = note_start(blocks[i][0])
        if begun is None or begun.style == "markdown":
            if any(b.style == style for b in starts) or heading_text(blocks[i]) is not None:
                break
            if not _continues_note(blocks[i]):
                # A note of several paragraphs, between two notes; never after the last one.
                loose += 1
                if area is None or loose > MAX_NOTE_PARAGRAPHS:
                    break
            continue
        loose = 0
        if style not in (None, begun.style):
            break
        style = begun.style
        numbers = [int(b.label) for b in starts if b.style == style]
        in_order = all(b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False))
        if not in_order or (expected is not None and numbers[-1] + 1 != expected):
            break
        expected = numbers[0]
        area = i
    if area is None or style not in WEAK_STYLES:
        return area
    return area if _weak_notes_are_called(blocks, area) else None


_NOTES_HEADING = re.compile(
    r"^(?:foot|end)?notes?|notes? (?:du traducteur|de l'éditeur|de la rédaction)|références"
    r"|references|sources$",
    re.I,
)


def _weak_notes_are_called(blocks: list[Block], area: int) -> bool:
    """Whether "1. " blocks at the end are notes: after a rule or a "Notes" heading, or
    called by superscript or parenthesised markers. A "[1]" calls a "[1]" note, so it
    never makes numbered paragraphs into notes."""
    if area and (is_rule(blocks[area - 1]) or _is_notes_heading(blocks[area - 1])):
        return True
    labels = {note_start(line).label for b in blocks[area:] for line in b if note_start(line)}
    return bool(labels & _called_labels(blocks[:area], kinds={"superscript", "supparen", "paren"}))


def _is_notes_heading(block: Block) -> bool:
    text = heading_text(block)
    text = text if text is not None else (block_text(block) if len(block) == 1 else "")
    return bool(_NOTES_HEADING.fullmatch(text.strip().rstrip(":").strip()))


def _called_labels(blocks: list[Block], kinds: set[str]) -> set[str]:
    """Labels that markers of these kinds call in the text (a "1. " note line calls nothing)."""
    text = "\n".join(block_text(b) for b in blocks)
    return {ref.label for ref in extract_markers(text, allow_paren=True)[1] if ref.kind in kinds}


# Footnote markers in running text.
_MARKER = re.compile(
    r"(?P<pre>[ \t\u00a0]*)(?:"
    r"\[\^(?P<markdown>[^\]\s]{1,20})\]"
    r"|\[(?P<square>\d{1,3})\]"
    r"|⁽(?P<supparen>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})⁾"
    r"|(?P<superscript>[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
    r"|\((?P<paren>\d{1,3})\)"
    r")"
)
_SPACE = re.compile(r"[ \t\u00a0]*")
_MARKER_KINDS = ("markdown", "square", "supparen", "superscript", "paren")
_PUNCTUATION_AFTER = ",.;:!?)]»”’\"'…"


def extract_markers(text: str, *, allow_paren: bool) -> tuple[str, list[ParsedNoteRef]]:
    """Remove footnote markers from ``text``; each becomes a ref at the offset it stood.

    "[1]", "[^1]", "¹", "⁽¹⁾" are always markers; "(1)" only when the text has footnotes
    and the "(1)" closes a word or a clause (so "measures: (1) the first" stays as it is).
    The space before a marker goes with it: "5982 ⁽¹⁾, I" → "5982, I".
    """
    pieces: list[str] = []
    length = 0  # of the marker-free text so far
    refs: list[ParsedNoteRef] = []
    pos = 0
    text_begins = _SPACE.match(text).end()  # markers before this open the text
    for match in _MARKER.finditer(text):
        kind = next(k for k in _MARKER_KINDS if match[k])
        marker_start, end = match.end("pre"), match.end()
        # Only the characters around the marker matter: no slicing of the whole text.
        before, after = text[max(0, marker_start - 4) : marker_start], text[end : end + 1]
        at_start = length == 0 and marker_start <= text_begins
        if marker_start < pos or not _is_marker(kind, before, after, at_start, allow_paren):
            continue
        piece = "" if at_start else text[pos : max(pos, match.start())]
        if piece and after.isalnum():
            piece += match["pre"][:1]  # "word ¹next" keeps one space
        pieces.append(piece)
        length += len(piece)
        label = match[kind].translate(_FROM_SUPERSCRIPT)
        refs.append(ParsedNoteRef(label=label, offset=length, kind=kind))
        pos = end
        if length == 0:  # the text still has not begun: skip the space after the marker
            pos = text_begins = _SPACE.match(text, end).end()
    pieces.append(text[pos:])
    return "".join(pieces), refs


def _is_marker(kind: str, before: str, after: str, at_start: bool, allow_paren: bool) -> bool:
    """``before`` and ``after``: up to four characters before the marker, one after."""
    if kind == "superscript":
        # m², km³ are units, not notes.
        return not re.search(r"(?:^|[^\w])(?:[kcmdµ]?m|ft|in|sq)$", before)
    if kind != "paren":
        return True
    if not allow_paren or at_start:
        return False
    if before and not before[-1].isspace():
        return before[-1] not in "(["  # "crisis(1)"
    return not after or after in _PUNCTUATION_AFTER  # "crisis (1)." but not "(1) the"


def continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` is the rest of ``prev``'s sentence, cut by a page or a blank line."""
    return bool(prev and nxt) and (prev[-1].isalnum() or prev[-1] in ",-–(") and nxt[0].islower()


def _joiner(prev: str) -> str:
    return "" if ends_in_hyphenated_word(prev) else " "


@dataclass
class _Growing:
    """A segment being built from blocks: pieces are joined once, at the end."""

    kind: str
    pieces: list[str]
    refs: list[ParsedNoteRef]
    length: int
    label: str = ""
    division: bool = False  # a heading found by its wording ("CHAPTER I."), not by markup

    def add(self, text: str, refs: list[ParsedNoteRef]) -> None:
        joiner = _joiner(self.pieces[-1])
        shift = self.length + len(joiner)
        self.pieces += [joiner, text]
        self.refs += [ParsedNoteRef(r.label, r.offset + shift) for r in refs]
        self.length = shift + len(text)


def note_text(note: Note, *, keep_underscores: bool = False) -> str:
    """A note's paragraphs as one text: a cut sentence is rejoined, a new paragraph kept."""
    pieces: list[str] = []
    for part in note.parts:
        piece = block_text(part, keep_underscores=keep_underscores)
        if not piece:
            continue
        if pieces:
            pieces.append(_joiner(pieces[-1]) if continues(pieces[-1], piece) else "\n")
        pieces.append(piece)
    text = "".join(pieces)
    if text.endswith("]") and text.count("]") > text.count("["):
        text = text[:-1].rstrip()  # the end of "[Footnote 1: ...]"
    return text


def build_segments(blocks: list[Block], *, keep_underscores: bool = False) -> list[ParsedSegment]:
    """Headings, paragraphs and footnotes, in the order they stand; markers removed and
    recorded as refs (``link_notes`` then links them and moves the footnotes last).

    A paragraph that continues the previous one's sentence (cut by a page break) is
    rejoined to it. A chapter heading's title line is part of the heading. A note written
    after the paragraph that calls it (Gutenberg's "[1] ..." blocks) is one block, or that
    block and the indented ones under it.
    """
    body, notes = split_notes(blocks)
    keep = keep_underscores
    allow_paren = bool(notes) or any(_starts_note(b, {"paren"}) for b in body)
    growing: list[_Growing] = []
    waiting: set[str] = set()  # labels called in this chapter and not yet defined
    i = 0
    while i < len(body):
        block, i = body[i], i + 1
        if is_rule(block):
            continue
        if (inline := _inline_note(block, waiting)) is not None:
            while i < len(body) and block[0][:1].isspace() and _is_indented_rest(body[i]):
                inline.parts.append(body[i])  # the indented paragraphs under an indented note
                i += 1
            waiting.discard(inline.label)
            if text := note_text(inline, keep_underscores=keep_underscores):
                growing.append(_Growing("footnote", [text], [], len(text), inline.label))
            continue
        heading, i = _heading(body, i - 1)
        kind = "heading" if heading is not None else "paragraph"
        raw = heading if heading is not None else block_text(block, keep_underscores=keep)
        text, refs = extract_markers(raw, allow_paren=allow_paren)
        if kind == "heading":
            waiting.clear()  # notes are numbered afresh in each chapter
        waiting.update(ref.label for ref in refs)
        if not text.strip():
            continue
        last = growing[-1] if growing else None
        if last and last.kind == kind == "paragraph" and continues(last.pieces[-1], text):
            last.add(text, refs)
        else:
            division = kind == "heading" and heading_text(block) is None
            growing.append(_Growing(kind, [text], refs, len(text), division=division))
    _contents_as_paragraphs(growing)
    segments = [
        ParsedSegment(kind=g.kind, text="".join(g.pieces), label=g.label, refs=g.refs)
        for g in growing
    ]
    for note in notes:
        if text := note_text(note, keep_underscores=keep_underscores):
            segments.append(ParsedSegment(kind="footnote", text=text, label=note.label))
    return segments


MIN_CONTENTS_RUN = 3


def _contents_as_paragraphs(growing: list[_Growing]) -> None:
    """A run of chapter headings with no text between them is a table of contents (a
    book's "CONTENTS" page, one chapter a line): its lines are paragraphs, not chapters."""
    run: list[_Growing] = []
    for item in [*growing, None]:
        if item is not None and item.kind == "heading" and item.division:
            run.append(item)
            continue
        if len(run) >= MIN_CONTENTS_RUN:
            # The book's first chapter may follow its contents at once: "CHAPTER I." again.
            restarts = _division_number(run[-1].pieces[0]) == _division_number(run[0].pieces[0])
            for heading in run[:-1] if restarts else run:
                heading.kind = "paragraph"
        run = []


def _division_number(heading: str) -> str:
    """ "I" for "CHAPTER I. The Professor", "CHAPTER I.\nTHE PROFESSOR" or "I."."""
    line = heading.split("\n", 1)[0].strip()
    if match := _DIVISION.match(line):
        return match["number"].upper()
    return re.split(r"[.\s]", line, maxsplit=1)[0].upper()


def _heading(body: list[Block], i: int) -> tuple[str | None, int]:
    """The heading that ``body[i]`` is (a chapter's title line taken with it), and the index
    of the block after it."""
    block = body[i]
    heading = heading_text(block)
    if heading is None and (heading := chapter_heading(block)) is not None:
        titled = i + 1 < len(body) and _bare_chapter_number(block) and is_title_line(body[i + 1])
        if titled:
            return f"{heading}\n{block_text(body[i + 1])}", i + 2  # "CHAPTER I." + its title
    return heading, i + 1


# Styles of inline notes that need a call waiting for them; "[1] " blocks are notes anyway.
_CALLED_INLINE_STYLES = {"paren", "superscript", "number"}


def _starts_note(block: Block, styles: set[str]) -> bool:
    begun = note_start(block[0])
    return begun is not None and begun.style in styles


def _inline_note(block: Block, waiting: set[str]) -> Note | None:
    """The note that ``block`` is, when it defines a note inside the text.

    "[1] text" always is. "(1) text", "¹ text" and an indented "1. text" only when a marker
    in this chapter calls that label and waits for it: otherwise they are numbered
    paragraphs, which keep their number.
    """
    begun = note_start(block[0])
    if begun is None or begun.style == "markdown":
        return None
    if begun.style != "square":
        called = begun.label in waiting and begun.style in _CALLED_INLINE_STYLES
        if not called or (begun.style == "number" and not block[0][:1].isspace()):
            return None
    return Note(begun.label, [[begun.rest, *block[1:]]])


def _is_indented_rest(block: Block) -> bool:
    return all(line[:1].isspace() for line in block) and note_start(block[0]) is None


def link_notes(segments: list[ParsedSegment]) -> list[ParsedSegment]:
    """Link every marker to the note it calls; return the segments with the notes last.

    A marker calls the nearest note with its label that follows it in its chapter (notes
    are numbered afresh in each chapter), or else the note with its label in the notes
    section at the end (the trailing run of notes; only the last chapter's notes when the
    text puts its notes after their paragraphs). A marker with neither keeps ``note``
    None and is reported by ``note_link_warnings``; no text is moved or lost.
    """
    end = len(segments)
    while end and segments[end - 1].kind == "footnote":
        end -= 1
    section: dict[str, ParsedSegment] = {}
    for note in segments[end:]:
        section.setdefault(note.label, note)
    waiting: list[ParsedNoteRef] = []
    # In a text whose notes follow their paragraphs, notes at the very end are the last
    # chapter's, not a notes section for the whole text.
    inline = any(s.kind == "footnote" for s in segments[:end])

    def close_chapter(last: bool = False) -> None:
        for ref in waiting:
            ref.note = section.get(ref.label) if last or not inline else None
        waiting.clear()

    for segment in segments[:end]:
        if segment.kind == "heading":
            close_chapter()
        if segment.kind == "footnote":
            waiting[:] = [r for r in waiting if not _defines(segment, r)]
            continue
        for ref in segment.refs:
            ref.linked, ref.note = True, None
            waiting.append(ref)
    close_chapter(last=True)
    body = [s for s in segments if s.kind != "footnote"]
    return body + [s for s in segments if s.kind == "footnote"]


def _defines(note: ParsedSegment, ref: ParsedNoteRef) -> bool:
    if note.label != ref.label:
        return False
    ref.note = note
    return True


MAX_HEADING_LINE = 200  # longer is running text


def take_heading_lines(blocks: list[Block]) -> tuple[dict[str, Any], list[ParsedSegment], int]:
    """The document's heading lines at the start of ``blocks``: their fields, the lines to keep
    as heading segments, and how many blocks they took.

    Numbers, classification and dateline are document metadata, not text to align, so they
    leave the body; a line that carries a footnote marker stays as a heading segment so that
    its note keeps a caller.
    """
    fields: dict[str, Any] = {}
    kept: list[ParsedSegment] = []
    taken = 0
    for block in blocks:
        if any(len(line) > MAX_HEADING_LINE for line in block):
            break
        lines = [clean_inline(strip_quote(line)) for line in block]
        parsed = []
        for line in lines:
            text, refs = extract_markers(line, allow_paren=False)
            found = parse_heading_line(text.rstrip(" ."))
            if found is None:
                return fields, kept, taken
            parsed.append((text, refs, found))
        for text, refs, found in parsed:
            _merge_heading_fields(fields, found)
            if refs:
                kept.append(ParsedSegment(kind="heading", text=text.strip(), refs=refs))
        taken += 1
    return fields, kept, taken


def _merge_heading_fields(fields: dict[str, Any], found: dict[str, Any]) -> None:
    for key, value in found.items():
        if key == "classification" and fields.get(key):
            fields[key] = f"{fields[key]}, {value}"  # "Secret." then "Priority." on two lines
        elif fields.get(key) in (None, ""):
            fields[key] = value


MAX_WARNINGS_OF_A_KIND = 10


def note_link_warnings(segments: list[ParsedSegment]) -> list[str]:
    """Markers without a footnote, and footnotes no marker calls (not errors: editors fix
    them in the workbench). Ten of each kind at most, then how many more."""
    notes = [s for s in segments if s.kind == "footnote"]
    calls = [(ref, s.text) for s in segments if s.kind != "footnote" for ref in s.refs]
    targets = note_targets(segments)
    labels = Counter(n.label for n in notes)
    linked = all(ref.linked for ref, _text in calls) and bool(calls)
    # Labels repeat by design when notes are numbered afresh in each chapter.
    twice = [] if linked else [label for label, count in labels.items() if count > 1]
    uncalled = [(ref.label, text) for ref, text in calls if targets.get(id(ref)) is None]
    called = {id(note) for note in targets.values() if note is not None}
    unused = [n.label for n in notes if id(n) not in called]
    return [
        *_capped(
            twice, lambda label: _("Two footnotes are labelled %(label)s.") % {"label": label}
        ),
        *_capped(
            uncalled,
            lambda item: (
                _("The marker %(label)s in “%(start)s…” has no footnote.")
                % {"label": item[0], "start": item[1][:40]}
            ),
        ),
        *_capped(
            unused,
            lambda label: _("Footnote %(label)s is never called in the text.") % {"label": label},
        ),
    ]


def note_targets(segments: list[ParsedSegment]) -> dict[int, ParsedSegment | None]:
    """The note each marker calls, keyed by the marker's ``id``: the one ``link_notes``
    chose, or else the first note with its label (records parsed without ``link_notes``)."""
    first: dict[str, ParsedSegment] = {}
    for segment in segments:
        if segment.kind == "footnote":
            first.setdefault(segment.label, segment)
    return {
        id(ref): ref.note if ref.linked else first.get(ref.label)
        for segment in segments
        if segment.kind != "footnote"
        for ref in segment.refs
    }


def _capped(items: list[Any], message: Callable[[Any], str]) -> list[str]:
    """The messages for the first items, then one saying how many more there are."""
    shown = [message(item) for item in items[:MAX_WARNINGS_OF_A_KIND]]
    if len(items) > MAX_WARNINGS_OF_A_KIND:
        more = len(items) - MAX_WARNINGS_OF_A_KIND
        shown.append(_("… and %(count)s more like these.") % {"count": more})
    return shown
