"""The text of a record: blocks, Markdown clean-up, headings, paragraphs, footnotes and the
markers that call them.

Every parser cuts its record into *blocks* (lines between blank lines), takes the metadata
from the first ones, hands the rest to ``build_segments``, then ``link_notes`` links each
marker to its note. The rules here are general (any footnote style, any page break, notes
at the end or after their paragraph, chapter headings as books print them), not tuned to one
seed or one book.

The rules live in ``blocks`` (lines and inline markup), ``headings`` and ``footnotes``;
this module builds the segments from them and reads a record's heading lines.
"""

from dataclasses import dataclass
from typing import Any

from .base import ParsedNoteRef, ParsedSegment
from .blocks import (
    Block,
    block_text,
    clean_inline,
    continues,
    joining_space,
    strip_quote,
)
from .footnotes import (
    extract_markers,
    inline_note,
    is_indented_rest,
    note_text,
    split_notes,
    starts_note,
)
from .headings import (
    division_number,
    heading_at,
    heading_text,
    is_rule,
)
from .metadata import parse_heading_line


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
        joiner = joining_space(self.pieces[-1])
        shift = self.length + len(joiner)
        self.pieces += [joiner, text]
        self.refs += [ParsedNoteRef(r.label, r.offset + shift) for r in refs]
        self.length = shift + len(text)


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
    allow_paren = bool(notes) or any(starts_note(b, {"paren"}) for b in body)
    growing: list[_Growing] = []
    waiting: set[str] = set()  # labels called in this chapter and not yet defined
    i = 0
    while i < len(body):
        block, i = body[i], i + 1
        if is_rule(block):
            continue
        if (inline := inline_note(block, waiting)) is not None:
            while i < len(body) and block[0][:1].isspace() and is_indented_rest(body[i]):
                inline.parts.append(body[i])  # the indented paragraphs under an indented note
                i += 1
            waiting.discard(inline.label)
            if text := note_text(inline, keep_underscores=keep_underscores):
                growing.append(_Growing("footnote", [text], [], len(text), inline.label))
            continue
        heading, i = heading_at(body, i - 1)
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
            restarts = division_number(run[-1].pieces[0]) == division_number(run[0].pieces[0])
            for heading in run[:-1] if restarts else run:
                heading.kind = "paragraph"
        run = []


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
