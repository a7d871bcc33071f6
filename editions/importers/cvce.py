"""The CVCE record (cvce.eu, "Letter from ... (place, date)" exports).

Layout: a title line; "Caption:", "Source:", "Copyright:" fields; an unlabelled rights
paragraph; "URL:" with the address on the following line(s), sometimes broken by a space;
"Last updated:" (day/month/year). Then the text as printed on the PDF pages: page furniture
(``www.cvce.eu``, the title repeated as a page header, page numbers), the telegram's heading
lines (numbers and classification, the dateline), the paragraphs, and the footnotes.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

from .base import ParsedRecord
from .blocks import Block, join_lines, split_blocks, strip_quote
from .body import build_segments, take_heading_lines
from .footnotes import link_notes
from .metadata import (
    fill_blanks,
    guess_language,
    is_url,
    language_name,
    parse_numeric_date,
    parse_printed_source,
    parse_title,
)

_LABEL = re.compile(r"^(caption|source|copyright|url|last updated)\s*:\s*", re.I)
_FURNITURE = re.compile(
    r"^(?:(?:https?://)?(?:www\.)?cvce\.eu/?|\d+\s*/\s*\d+|page \d+(?: of \d+)?)$", re.I
)
_RIGHTS = re.compile(
    r"\b(?:rights|reproduction|reserved|legal notice|terms and conditions|droits|réservés)\b",
    re.I,
)
_URL_PIECE = re.compile(r"^[\w\-./~%?#=&+:;@!$'*,()]+$")
_TRANSLATION = re.compile(r"\b(?:translation|translated|traduction|traduit)\b", re.I)
# ".../letter_from_..._1962-en-6a5a1c25-1e8d-...html": the language tag before the object id.
_URL_LANGUAGE = re.compile(r"-([a-z]{2})-[0-9a-f]{8}-[0-9a-f]{4}-", re.I)
# The field a label fills on the witness.
WITNESS_LABELS = {"caption": "caption", "source": "citation", "copyright": "copyright_line"}


def parse_cvce(text: str) -> ParsedRecord:
    record = ParsedRecord(format="cvce")
    blocks = split_blocks(text)
    title = "" if _LABEL.match(strip_quote(blocks[0][0])) else join_lines(blocks[0])
    start = 1 if title else 0
    witness, end = _fields(blocks, start, record.warnings)
    body = _without_furniture(blocks[end:], title)
    heading_fields, kept, taken = take_heading_lines(body)
    record.segments = link_notes(kept + build_segments(body[taken:]))
    record.witness = _witness(title, witness, record)
    record.document = _document(title, witness, heading_fields, record.warnings)
    return record


def _fields(blocks: list[Block], start: int, warnings: list[str]) -> tuple[dict[str, Any], int]:
    """The labelled fields after the title, and the index of the first block after them."""
    fields: dict[str, Any] = {}
    last = ""
    i = start
    while i < len(blocks):
        first = strip_quote(blocks[i][0])
        match = _LABEL.match(first)
        if match:
            last = match[1].lower()
            value = [first[match.end() :], *blocks[i][1:]]
            if last == "url":
                i = _take_url(blocks, i, value, fields, warnings)
                continue
            _set_field(fields, last, value, warnings)
        elif last in ("copyright", "rights") and _RIGHTS.search(join_lines(blocks[i])):
            rights = join_lines(blocks[i])
            fields["rights"] = f"{fields['rights']}\n\n{rights}" if last == "rights" else rights
            last = "rights"
        else:
            break
        i += 1
    return fields, i


def _set_field(fields: dict[str, Any], label: str, value: Block, warnings: list[str]) -> None:
    text = join_lines(value)
    if label == "last updated":
        date = parse_numeric_date(text)
        if date is None:
            warnings.append(
                _("“Last updated: %(value)s” is not a day/month/year date; it was left out.")
                % {"value": text}
            )
        else:
            fields["last_updated"] = date
    elif text:
        fields[WITNESS_LABELS[label]] = text


def _take_url(
    blocks: list[Block], i: int, value: Block, fields: dict[str, Any], warnings: list[str]
) -> int:
    """Read the address after "URL:", across lines and blank lines, until it ends.

    PDF exports break long addresses with a space or a line end; every piece that is nothing
    but URL characters belongs to it. The address ends at the next label, at page furniture,
    or at a line with words in it.
    """
    pieces = [line for line in value if line.strip()]
    i += 1
    while i < len(blocks):
        lines = [strip_quote(line).strip() for line in blocks[i]]
        if any(_LABEL.match(line) or _FURNITURE.match(line) for line in lines):
            break
        if not all(_URL_PIECE.match(token) for line in lines for token in line.split()):
            break
        pieces += lines
        i += 1
    url = "".join("".join(pieces).split())
    if is_url(url):
        fields["source_url"] = url
    elif url:
        warnings.append(
            _("The URL “%(url)s” is not a valid address; it was left out.") % {"url": url}
        )
    return i


def _without_furniture(blocks: list[Block], title: str) -> list[Block]:
    """The PDF's page furniture removed: www.cvce.eu, the title as page header, page numbers."""

    def is_furniture(line: str) -> bool:
        line = " ".join(strip_quote(line).split())
        return bool(_FURNITURE.match(line)) or (bool(title) and line == title)

    kept = [[line for line in block if not is_furniture(line)] for block in blocks]
    return [block for block in kept if block]


def _witness(title: str, fields: dict[str, Any], record: ParsedRecord) -> dict[str, Any]:
    witness: dict[str, Any] = {"title_as_published": title, **fields}
    copyright_line = fields.get("copyright_line", "")
    if holder := _rights_holder(copyright_line):
        witness["publisher"] = holder
        if _TRANSLATION.search(copyright_line):
            witness["translator"] = holder
    body_text = " ".join(s.text for s in record.body)
    url_language = _URL_LANGUAGE.search(fields.get("source_url", ""))
    language = guess_language(body_text) or (url_language[1].lower() if url_language else "")
    source_language = _source_language(fields.get("citation", ""))
    translated = bool(_TRANSLATION.search(copyright_line)) or (
        bool(source_language) and bool(language) and source_language != language
    )
    witness["role"] = "translation" if translated else "original"
    witness["original_language"] = language_name(source_language if translated else language)
    if language:
        witness["language"] = language
    else:
        record.warnings.append(_("Could not tell the language of the text; choose it when saving."))
    return {k: v for k, v in witness.items() if v not in (None, "")}


def _rights_holder(copyright_line: str) -> str:
    """ "(c) Translation CVCE.EU by UNI.LU" → "CVCE.EU by UNI.LU"."""
    holder = re.sub(r"^(?:\(c\)|©|copyright)\s*", "", copyright_line, flags=re.I)
    holder = re.sub(r"^(?:translation|traduction)\s*:?\s*", "", holder, flags=re.I)
    return holder.strip()


def _source_language(citation: str) -> str:
    """The language of the printed source: the original's language, for a translation."""
    if re.search(r"\bfran[çc]ais(?:e|es)?\b|\bdiplomatiques\b", citation, re.I):
        return "fr"
    return guess_language(citation)


def _document(
    title: str, witness: dict[str, Any], heading: dict[str, Any], warnings: list[str]
) -> dict[str, Any]:
    document: dict[str, Any] = {"title": title}
    from_title = parse_title(title)
    if "date" in heading and "date" in from_title and heading["date"] != from_title["date"]:
        warnings.append(
            _(
                "The title gives the date %(title)s but the dateline %(dateline)s; the "
                "dateline was kept."
            )
            % {"title": from_title["date"].isoformat(), "dateline": heading["date"].isoformat()}
        )
    fill_blanks(document, heading)
    fill_blanks(document, from_title)
    fill_blanks(document, parse_printed_source(witness.get("citation", "")))
    if witness.get("caption"):
        document["summary"] = witness["caption"]
    return {k: v for k, v in document.items() if v not in (None, "")}
