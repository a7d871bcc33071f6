"""Footnotes in a record's blocks: how a note starts, by style; notes sections and notes
after their paragraph; the markers that call them; linking each call to its note, and the
warnings for calls and notes left unlinked."""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .base import ParsedNoteRef, ParsedSegment
from .blocks import FROM_SUPERSCRIPT, Block, block_text, continues, joining_space, strip_quote
from .headings import heading_text, is_rule


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
            label = match["label"].translate(FROM_SUPERSCRIPT)
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
    first = note_start(blocks[start][0]) if start is not None else None
    if start is None or first is None:  # the area, when found, opens with a note
        return blocks, notes
    style = first.style
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
    labels = {begun.label for b in blocks[area:] for line in b if (begun := note_start(line))}
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


def _spaces_end(text: str, pos: int) -> int:
    """Where the spaces from ``pos`` end (``_SPACE`` matches anywhere, if only nothing)."""
    match = _SPACE.match(text, pos)
    return match.end() if match is not None else pos


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
    text_begins = _spaces_end(text, 0)  # markers before this open the text
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
        label = match[kind].translate(FROM_SUPERSCRIPT)
        refs.append(ParsedNoteRef(label=label, offset=length, kind=kind))
        pos = end
        if length == 0:  # the text still has not begun: skip the space after the marker
            pos = text_begins = _spaces_end(text, end)
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


def note_text(note: Note, *, keep_underscores: bool = False) -> str:
    """A note's paragraphs as one text: a cut sentence is rejoined, a new paragraph kept."""
    pieces: list[str] = []
    for part in note.parts:
        piece = block_text(part, keep_underscores=keep_underscores)
        if not piece:
            continue
        if pieces:
            pieces.append(joining_space(pieces[-1]) if continues(pieces[-1], piece) else "\n")
        pieces.append(piece)
    text = "".join(pieces)
    if text.endswith("]") and text.count("]") > text.count("["):
        text = text[:-1].rstrip()  # the end of "[Footnote 1: ...]"
    return text


# Styles of inline notes that need a call waiting for them; "[1] " blocks are notes anyway.
_CALLED_INLINE_STYLES = {"paren", "superscript", "number"}


def starts_note(block: Block, styles: set[str]) -> bool:
    begun = note_start(block[0])
    return begun is not None and begun.style in styles


def inline_note(block: Block, waiting: set[str]) -> Note | None:
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


def is_indented_rest(block: Block) -> bool:
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
