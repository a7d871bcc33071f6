"""Plain text or Markdown: a French original typed or pasted, or anything without a known
record layout.

Paragraphs are separated by blank lines (hard-wrapped lines are rejoined); "#" lines and
chapter headings ("XXIV", "CHAPTER 1" and its title line) are headings; footnotes in any of
the styles ``body.build_segments`` knows. A Project Gutenberg file loses its header and
licence (``gutenberg``), and a plain text (not Markdown) keeps its "_italics_" as written.
The title is the first heading, or the first line when it is short and reads like a title
(a book opening on its first chapter has none); it stays in the text as a heading. The
telegram's heading lines (numbers, classification, dateline) fill the document's fields, as
for the other formats.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

from .base import ParsedRecord, ParsedSegment
from .blocks import Block, block_text, continues, split_blocks
from .body import build_segments, take_heading_lines
from .footnotes import extract_markers, link_notes
from .gutenberg import strip_gutenberg
from .headings import chapter_heading, heading_text
from .metadata import fill_blanks, guess_language, language_code, parse_heading_line, parse_title

MAX_TITLE_LENGTH = 150
SAMPLE_SEGMENTS = 200  # enough text to tell a language; a whole novel is not needed


def parse_text(text: str) -> ParsedRecord:
    record = ParsedRecord(format="text")
    text, gutenberg = strip_gutenberg(text, record.notices)
    blocks = split_blocks(text)
    title, title_segments, blocks = _title(blocks)
    heading_fields, kept, taken = take_heading_lines(blocks)
    body = build_segments(blocks[taken:], keep_underscores=not looks_like_markdown(text))
    record.segments = link_notes(title_segments + kept + body)
    record.document = _document(title or gutenberg.get("title", ""), heading_fields)
    fill_blanks(record.document, {"author": gutenberg.get("author", "")})
    if gutenberg.get("translator"):
        record.witness["translator"] = gutenberg["translator"]
    language = language_code(gutenberg.get("language", "")) or guess_language(
        " ".join(s.text for s in record.segments[:SAMPLE_SEGMENTS])
    )
    if title:
        record.witness["title_as_published"] = title
    if language:
        record.witness["language"] = language
    else:
        record.warnings.append(_("Could not tell the language of the text; choose it when saving."))
    return record


_MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s|\*\*\S|\[\^[^\]\s]+\]|\]\((?:https?://|/|#)", re.M)


def looks_like_markdown(text: str) -> bool:
    """Markdown strips its emphasis marks; a plain text (a Gutenberg book) keeps "_italics_"
    as written, its only record of them."""
    return bool(_MARKDOWN.search(text))


def _title(blocks: list[Block]) -> tuple[str, list[ParsedSegment], list[Block]]:
    """The title, its heading segment, and the blocks after it.

    A Markdown heading opening the text, or else the first "# " heading, is the title and is
    left in ``blocks`` (it is a heading of the text); a title-like first line is turned into
    a heading segment here.
    """
    if not blocks:
        return "", [], blocks
    heading = heading_text(blocks[0])
    if heading is not None:
        return extract_markers(heading.replace("\n", " "), allow_paren=False)[0], [], blocks
    for block in blocks:
        if len(block) == 1 and re.match(r"^\s{0,3}#\s", block[0]):  # a level-1 heading
            heading = heading_text(block) or ""
            return extract_markers(heading, allow_paren=False)[0], [], blocks
    if chapter_heading(blocks[0]) is not None:
        return "", [], blocks  # a book that opens on its first chapter: no title here
    if len(blocks) > 1 and _looks_like_title(blocks[0], blocks[1]):
        text, refs = extract_markers(block_text(blocks[0]), allow_paren=False)
        return text, [ParsedSegment(kind="heading", text=text, refs=refs)], blocks[1:]
    return "", [], blocks


def _looks_like_title(block: Block, following: Block) -> bool:
    text = block_text(block)
    return (
        len(block) == 1
        and 0 < len(text) <= MAX_TITLE_LENGTH
        and (text[0].isupper() or text[0].isdigit())
        and not re.search(r"[.,;:]$", text)
        and parse_heading_line(text) is None  # "Très secret" or a dateline is not a title
        and not continues(text, block_text(following))  # a sentence cut by a page break
    )


def _document(title: str, heading_fields: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = {"title": title}
    fill_blanks(document, heading_fields)
    fill_blanks(document, parse_title(title) if title else {})
    return {k: v for k, v in document.items() if v not in (None, "")}
