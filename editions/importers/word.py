"""A Word file (DOCX, as Word and LibreOffice save it) read as record text.

Historians keep their transcriptions of French originals in Word. The file becomes the
Markdown-like text the other parsers read, so a DOCX goes through the same detection and
parsing as a pasted text (a CVCE record saved from Word is still read as a CVCE record):

- a paragraph per paragraph, blank lines between them; a line break stays a line break;
- a paragraph whose style is a heading (by the style's name, which Word keeps in English
  whatever the interface language: "heading 1", "Title"; or by its outline level) as ``#``;
- footnotes as Markdown footnotes, ``[^1]`` where the reference stands and ``[^1]: text``
  after the text, numbered as Word numbers them (or with their own mark, if they have one);
- tables read cell by cell, in order; deleted text (tracked changes) and field codes left out.

A DOCX is a ZIP of XML parts. The parts are read with the importers' hardened XML parser,
and their uncompressed sizes are checked before they are inflated: a ZIP bomb is refused.
"""

import io
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from .base import RecordError
from .safexml import parse_xml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT, FOOTNOTES, STYLES = "word/document.xml", "word/footnotes.xml", "word/styles.xml"
ZIP_SIGNATURE = b"PK\x03\x04"
# Uncompressed XML is many times the size of its text: the parts may be this much larger
# than the import limit, no more.
XML_PER_TEXT = 20
# What a damaged or hostile ZIP makes the zipfile module raise: bad headers, offsets or sizes
# (BadZipFile, ValueError, OSError, EOFError), damaged data (zlib.error), encrypted members
# (RuntimeError), unknown compression methods (NotImplementedError). All mean "damaged".
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    KeyError,
    EOFError,
    ValueError,
    OSError,
    RuntimeError,
    NotImplementedError,
)


def is_docx(data: bytes | str) -> bool:
    if not isinstance(data, bytes) or not data.startswith(ZIP_SIGNATURE):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCUMENT in archive.namelist()
    except ZIP_ERRORS:
        return False


def looks_like_docx(data: bytes | str, filename: str) -> bool:
    """A ZIP named ``.docx``: read as one, so that a damaged file is called damaged."""
    return (
        isinstance(data, bytes)
        and data.startswith(ZIP_SIGNATURE)
        and (filename.lower().endswith(".docx"))
    )


def docx_text(data: bytes, *, max_bytes: int | None = None) -> str:
    """The document's text, Markdown-like; ``RecordError`` for a damaged or oversized file."""
    parts = _read_parts(data, max_bytes)
    document = parse_xml(parts[DOCUMENT], max_bytes=len(parts[DOCUMENT]))
    headings = _heading_styles(parts.get(STYLES))
    notes = _Footnotes(parts.get(FOOTNOTES))
    body = document.find(f"{W}body")
    if body is None:
        raise RecordError(_("This Word file has no document body: is it damaged?"))
    blocks = [_paragraph_text(paragraph, headings, notes) for paragraph in body.iter(f"{W}p")]
    blocks = [block for block in blocks if block.strip()]
    blocks += [f"[^{label}]: {text}" for label, text in notes.called]
    return "\n\n".join(blocks) + "\n"


def _read_parts(data: bytes, max_bytes: int | None) -> dict[str, bytes]:
    limit = (settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes) * XML_PER_TEXT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = {info.filename: info for info in archive.infolist()}
            wanted = [members[name] for name in (DOCUMENT, FOOTNOTES, STYLES) if name in members]
            if sum(info.file_size for info in wanted) > limit:
                raise RecordError(
                    _("The Word file's text is too large to import (over %(limit)s bytes of XML).")
                    % {"limit": limit}
                )
            if DOCUMENT not in members:
                raise RecordError(
                    _("This ZIP file holds no Word document (word/document.xml is missing).")
                )
            return {info.filename: _inflate(archive, info, limit) for info in wanted}
    except RecordError:
        raise
    except ZIP_ERRORS as exc:
        raise RecordError(
            _("This Word file cannot be opened: it is damaged or incomplete.")
        ) from exc


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """Read at most ``limit`` bytes: the sizes a ZIP declares may lie."""
    with archive.open(info) as part:
        data = part.read(limit + 1)
    if len(data) > limit:
        raise RecordError(
            _("The Word file's text is too large to import (over %(limit)s bytes of XML).")
            % {"limit": limit}
        )
    return data


def _heading_styles(styles: bytes | None) -> set[str]:
    """The ids of paragraph styles that are headings: "Heading1" in English Word, "Titre1" in
    French Word; both are named "heading 1" in the file."""
    if not styles:
        return set()
    found = set()
    for style in parse_xml(styles, max_bytes=len(styles)).iter(f"{W}style"):
        name = style.find(f"{W}name")
        label = (name.get(f"{W}val") if name is not None else "") or ""
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if label.lower().startswith(("heading", "title")) or outline is not None:
            found.add(style.get(f"{W}styleId"))
    return found


class _Footnotes:
    """Footnote texts by id, and the notes called in the text, labelled, in order."""

    def __init__(self, part: bytes | None):
        self.texts: dict[str, str] = {}
        self.called: list[tuple[str, str]] = []
        if part:
            for note in parse_xml(part, max_bytes=len(part)).iter(f"{W}footnote"):
                if note.get(f"{W}type") in (None, "normal"):
                    paragraphs = [_runs_text(p, None) for p in note.iter(f"{W}p")]
                    self.texts[note.get(f"{W}id")] = " ".join(p.strip() for p in paragraphs)

    def call(self, note_id: str, mark: str = "") -> str:
        """The marker for the note ``note_id``: Word's next number, or the note's own mark."""
        label = mark.strip() or str(len(self.called) + 1)
        text = " ".join(self.texts.get(note_id, "").split())
        if mark.strip() and text.startswith(label):  # the mark typed again in the note
            text = text[len(label) :].strip()
        self.called.append((label, text))
        return f"[^{label}]"


def _paragraph_text(paragraph, headings: set[str], notes: _Footnotes) -> str:
    if paragraph.getparent() is not None and paragraph.getparent().tag == f"{W}txbxContent":
        return ""  # text boxes float outside the text's order
    text = _runs_text(paragraph, notes)
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    outline = paragraph.find(f"{W}pPr/{W}outlineLvl")
    is_heading = outline is not None or (style is not None and style.get(f"{W}val") in headings)
    if is_heading and text.strip():
        return "# " + " ".join(text.split())
    return "\n".join(line.strip() for line in text.split("\n"))


def _runs_text(paragraph, notes: _Footnotes | None) -> str:
    """The text of a paragraph's runs (in hyperlinks, insertions and fields' results too)."""
    pieces: list[str] = []
    # A note whose mark is the text that follows its reference (only ever set with ``notes``).
    custom_note = None
    for element in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}footnoteReference"):
        if _in_deletion(element, paragraph):
            continue
        tag = etree.QName(element).localname
        if tag == "t" and custom_note is not None and notes is not None:
            pieces.append(notes.call(custom_note, element.text or ""))
            custom_note = None
        elif tag == "t":
            pieces.append(element.text or "")
        elif tag == "tab":
            pieces.append(" ")
        elif tag in ("br", "cr"):
            pieces.append("\n" if element.get(f"{W}type") in (None, "textWrapping") else "\n\n")
        elif notes is not None:
            note_id = element.get(f"{W}id")
            if element.get(f"{W}customMarkFollows") in ("1", "true", "on"):
                custom_note = note_id
            else:
                pieces.append(notes.call(note_id))
    if custom_note is not None and notes is not None:
        pieces.append(notes.call(custom_note))
    return "".join(pieces)


def _in_deletion(element, paragraph) -> bool:
    """Within a tracked deletion or a moved-away passage: not part of the text."""
    parent = element.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in (f"{W}del", f"{W}moveFrom"):
            return True
        parent = parent.getparent()
    return False
