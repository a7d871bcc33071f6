"""Importers: a record file in, a ``ParsedRecord`` out (``parse_record``), then saved as a
witness of a document (``save_record``).

Parsing touches no database, so the browser can preview a record before anything is saved.
``save_record`` is imported lazily: the parsers stay usable without Django's models loaded.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import ParsedRecord, RecordError
from .cvce import parse_cvce
from .decoding import decode
from .detect import detect_format
from .footnotes import note_link_warnings
from .plaintext import parse_text
from .safexml import refuse_exchange_file
from .summary import long_segment_warnings
from .wilson import parse_wilson
from .word import docx_text, is_docx, looks_like_docx

if TYPE_CHECKING:
    from .store import save_record

__all__ = ["PARSERS", "ParsedRecord", "RecordError", "parse_record", "read_text", "save_record"]

PARSERS: dict[str, Callable[[str], ParsedRecord]] = {
    "cvce": parse_cvce,
    "wilson": parse_wilson,
    "text": parse_text,
}
FORMAT_NAMES = {
    "cvce": "CVCE",
    "wilson": "Wilson Center Digital Archive",
    "text": gettext_lazy("plain text"),
}


def parse_record(
    data: bytes | str, filename: str = "", *, max_bytes: int | None = None
) -> ParsedRecord:
    """Decode, detect the format, parse. Raises ``RecordError`` on input it cannot use."""
    text, warnings = read_text(data, filename, max_bytes=max_bytes)
    refuse_exchange_file(text)
    record = PARSERS[detect_format(text)](text)
    if not record.body:
        raise RecordError(_no_paragraphs(record))
    record.warnings[:0] = warnings
    known = set(record.warnings)
    record.warnings += [w for w in note_link_warnings(record.segments) if w not in known]
    record.warnings += long_segment_warnings(record.segments)
    return record


def read_text(
    data: bytes | str, filename: str = "", *, max_bytes: int | None = None
) -> tuple[str, list[str]]:
    """The record's text and the warnings about how it was read: bytes decoded, or a Word
    file (DOCX) read as Markdown-like text (``word.docx_text``). ``RecordError`` when it
    cannot be read."""
    if isinstance(data, bytes) and (is_docx(data) or looks_like_docx(data, filename)):
        data = docx_text(data, max_bytes=max_bytes)
    return decode(data, filename, max_bytes=max_bytes)


def _no_paragraphs(record: ParsedRecord) -> str:
    if record.footnotes:
        return _("No paragraphs found: everything in the file reads as footnotes.")
    if record.format == "text":
        return _(
            "No paragraphs found: the file holds only heading lines (numbers, classification, "
            "date)."
        )
    return _(
        "No paragraphs found: the file was read as a %(format)s record, but no text follows "
        "its fields."
    ) % {"format": FORMAT_NAMES[record.format]}


def __getattr__(name: str) -> Any:
    if name == "save_record":
        from .store import save_record

        return save_record
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
