"""Bytes to text: refuse what is not a text record, read what is, say what was assumed.

Records come as UTF-8 (with or without a byte-order mark), sometimes UTF-16 from Windows
tools, and older files in Windows-1252 / Latin-1. The result has LF line ends and NFC
Unicode, so every parser and every offset sees the same text.
"""

import codecs
import re
import unicodedata
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from .base import RecordError

# Known binary formats, by their first bytes: (signature, what to call it).
MAGIC = [
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word 97-2003 / OLE"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"{\\rtf", "RTF"),
]
# ZIP is the container of these; the file name says which one the user meant.
ZIP_KINDS = {".docx": "DOCX", ".odt": "ODT", ".epub": "EPUB", ".xlsx": "XLSX"}
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# Control characters that have no place in a text record (tab, LF, CR, FF are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01
# Typical traces of UTF-8 text read as Windows-1252 and saved again ("HervÃ©", "â€™").
_MOJIBAKE = re.compile(r"Ã[\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ¡-¿]|â€[™œ“”˜¦\x9d]")


def check_size(size: int, limit: int | None = None) -> None:
    limit = settings.IMPORT_MAX_BYTES if limit is None else limit
    if size > limit:
        raise RecordError(
            _("The file is too large: %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )


def decode(
    data: bytes | str, filename: str = "", *, max_bytes: int | None = None
) -> tuple[str, list[str]]:
    """The text of a record and the warnings about how it was read.

    Raises ``RecordError`` for empty, oversized, binary or undecodable input.
    """
    warnings: list[str] = []
    if isinstance(data, str):
        check_size(len(data.encode("utf-8", "surrogatepass")), max_bytes)
        text = data.removeprefix("\ufeff")
    else:
        if not data:
            raise RecordError(_("The file is empty (0 bytes)."))
        check_size(len(data), max_bytes)
        _refuse_binary(data, filename)
        text, warning = _decode_bytes(data)
        if warning:
            warnings.append(warning)
    text = normalize(text)
    _refuse_control_characters(text)
    if not text.strip():
        raise RecordError(_("The file holds only blank space: there is no text to import."))
    if _MOJIBAKE.search(text):
        warnings.append(
            _(
                "The text contains sequences such as “Ã©” or “â€™”: it was probably converted "
                "between encodings twice. Check the accented letters and quotation marks."
            )
        )
    return text, warnings


def normalize(text: str) -> str:
    """LF line ends, NFC, a form feed (page break) as a paragraph break."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return unicodedata.normalize("NFC", text)


def _binary_kind(data: bytes, filename: str) -> str | None:
    for signature, kind in MAGIC:
        if data.startswith(signature):
            if kind == "ZIP":
                return ZIP_KINDS.get(PurePath(filename).suffix.lower(), kind)
            return kind
    return None


def _refuse_binary(data: bytes, filename: str) -> None:
    kind = _binary_kind(data, filename)
    if kind:
        raise RecordError(
            _(
                "This looks like a binary file (%(kind)s?), not a text record. Save or export "
                "it as plain text (UTF-8) or as a Word document (DOCX) and import that file."
            )
            % {"kind": kind}
        )
    if not data.startswith(tuple(bom for bom, _codec in BOMS)) and b"\x00" in data:
        raise RecordError(
            _(
                "This looks like a binary file: it contains NUL bytes (first at byte "
                "%(position)s). Save or export it as plain text (UTF-8) and import that file."
            )
            % {"position": data.index(b"\x00")}
        )


def _decode_bytes(data: bytes) -> tuple[str, str | None]:
    """Text and, when a legacy encoding had to be assumed, a warning saying which."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), None
            except UnicodeDecodeError as exc:
                # The mark promises an encoding the rest breaks: a corrupted or mixed file.
                raise RecordError(
                    _(
                        "The file starts with a %(encoding)s byte-order mark but is not valid "
                        "%(encoding)s (bad byte at position %(position)s). It cannot be decoded."
                    )
                    % {"encoding": codec.upper(), "position": exc.start + len(bom)}
                ) from exc
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc
    for codec, name in (("cp1252", "Windows-1252"), ("latin-1", "ISO-8859-1 (Latin-1)")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _control_share(text) > MAX_CONTROL_SHARE:
            break
        return text, _(
            "The file is not UTF-8 (bad byte at position %(position)s); it was read as "
            "%(encoding)s. Check the accented letters."
        ) % {"position": utf8_error.start, "encoding": name}
    raise RecordError(
        _(
            "The file cannot be decoded: it is not UTF-8 (bad byte at position %(position)s), "
            "and read as Windows-1252 or Latin-1 it is mostly control characters. Save it as "
            "UTF-8 text and import it again."
        )
        % {"position": utf8_error.start}
    )


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(len(text), 1)


def _refuse_control_characters(text: str) -> None:
    if "\x00" in text or _control_share(text) > MAX_CONTROL_SHARE:
        raise RecordError(
            _(
                "This looks like a binary file: %(count)s of its %(length)s characters are "
                "control characters. Save or export it as plain text (UTF-8) and import that file."
            )
            % {"count": len(_CONTROL.findall(text)), "length": len(text)}
        )
