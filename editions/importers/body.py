"""The text of a record: blocks, Markdown clean-up, headings, paragraphs, footnotes and the
markers that call them.

Every parser cuts its record into *blocks* (lines between blank lines), takes the metadata
from the first ones, and hands the rest to ``build_segments``. The rules here are general
(any footnote style, any page break), not tuned to one seed.
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
    (re.compile(r"(?<![\w\\])_(?=[^\s_])([^_]+?)(?<=[^\s_\\])_(?!\w)"), r"\1"),
    (re.compile(r"\*\*"), ""),  # a bold mark left unpaired
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # Markdown escapes
]


def clean_inline(text: str) -> str:
    """Markdown emphasis, links and a few HTML tags stripped to their text."""
    for pattern, replacement in _INLINE_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


def block_text(block: Block, *, hard_break: str = " ") -> str:
    return clean_inline(join_lines(block, hard_break=hard_break))


# Footnote definitions: how a note starts, by style.
@dataclass
class NoteStart:
    label: str
    style: str
    rest: str


_NOTE_STARTS = [
    ("markdown", re.compile(r"^\s{0,3}\[\^(?P<label>[^\]\s]{1,20})\]:\s*(?P<rest>.*)$")),
    ("square", re.compile(r"^\s{0,3}\[(?P<label>\d{1,3})\]\s*(?P<rest>\S.*)$")),
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
    """Body blocks and footnotes.

    Markdown footnotes (``[^1]: ...``) are notes wherever they stand. Other styles are notes
    only in the notes area: the last run of blocks that starts with a note label, whose labels
    follow each other (1, 2, 3...) and that holds no heading. In that area a paragraph that
    does not start with a label continues the previous note (a note split by a page break).
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


def _notes_area(blocks: list[Block]) -> int | None:
    """The first block of the notes area, found in one pass from the end."""
    headings = [i for i, block in enumerate(blocks) if heading_text(block) is not None]
    first_possible = headings[-1] + 1 if headings else 0
    # Per style: do the labels from here to the end follow each other, and which are they.
    following: dict[str, bool] = {}
    next_label: dict[str, int] = {}
    labels: dict[str, set[str]] = {}
    called: set[str] | None = None
    area = None
    for i in range(len(blocks) - 1, first_possible - 1, -1):
        for line in reversed(blocks[i]):
            begun = note_start(line)
            if begun is None or begun.style == "markdown":
                continue
            number, style = int(begun.label), begun.style
            in_order = next_label.get(style, number + 1) == number + 1
            following[style] = following.get(style, True) and in_order
            next_label[style] = number
            labels.setdefault(style, set()).add(begun.label)
        begun = note_start(blocks[i][0])
        if begun is None or begun.style == "markdown" or not following[begun.style]:
            continue
        if begun.style in WEAK_STYLES:
            called = _called_labels(blocks) if called is None else called
            if not labels[begun.style] & called:
                continue
        area = i
    return area


def _called_labels(blocks: list[Block]) -> set[str]:
    """Labels that markers call anywhere in the text (a "1. " note line calls nothing)."""
    text = "\n".join(block_text(b) for b in blocks)
    return {ref.label for ref in extract_markers(text, allow_paren=True)[1]}


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
        refs.append(ParsedNoteRef(label=match[kind].translate(_FROM_SUPERSCRIPT), offset=length))
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

    def add(self, text: str, refs: list[ParsedNoteRef]) -> None:
        joiner = _joiner(self.pieces[-1])
        shift = self.length + len(joiner)
        self.pieces += [joiner, text]
        self.refs += [ParsedNoteRef(r.label, r.offset + shift) for r in refs]
        self.length = shift + len(text)


def note_text(note: Note) -> str:
    """A note's paragraphs as one text: a cut sentence is rejoined, a new paragraph kept."""
    pieces: list[str] = []
    for part in note.parts:
        piece = block_text(part)
        if not piece:
            continue
        if pieces:
            pieces.append(_joiner(pieces[-1]) if continues(pieces[-1], piece) else "\n")
        pieces.append(piece)
    return "".join(pieces)


def build_segments(blocks: list[Block]) -> list[ParsedSegment]:
    """Headings, paragraphs and footnotes, in order; markers removed and recorded as refs.

    A paragraph that continues the previous one's sentence (cut by a page break) is
    rejoined to it.
    """
    body, notes = split_notes(blocks)
    growing: list[_Growing] = []
    for block in body:
        if is_rule(block):
            continue
        heading = heading_text(block)
        kind = "heading" if heading is not None else "paragraph"
        raw = heading if heading is not None else block_text(block)
        text, refs = extract_markers(raw, allow_paren=bool(notes))
        if not text.strip():
            continue
        last = growing[-1] if growing else None
        if last and last.kind == kind == "paragraph" and continues(last.pieces[-1], text):
            last.add(text, refs)
        else:
            growing.append(_Growing(kind, [text], refs, len(text)))
    segments = [ParsedSegment(kind=g.kind, text="".join(g.pieces), refs=g.refs) for g in growing]
    for note in notes:
        text = note_text(note)
        if text:
            segments.append(ParsedSegment(kind="footnote", text=text, label=note.label))
    return segments


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
    labels = Counter(s.label for s in segments if s.kind == "footnote")
    called = {ref.label for s in segments if s.kind != "footnote" for ref in s.refs}
    twice = [label for label, count in labels.items() if count > 1]
    uncalled = [(ref.label, s.text) for s in segments for ref in s.refs if ref.label not in labels]
    unused = [label for label in labels if label not in called]
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


def _capped(items: list[Any], message: Callable[[Any], str]) -> list[str]:
    """The messages for the first items, then one saying how many more there are."""
    shown = [message(item) for item in items[:MAX_WARNINGS_OF_A_KIND]]
    if len(items) > MAX_WARNINGS_OF_A_KIND:
        more = len(items) - MAX_WARNINGS_OF_A_KIND
        shown.append(_("… and %(count)s more like these.") % {"count": more})
    return shown
