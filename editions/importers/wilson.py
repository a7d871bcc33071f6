"""The Wilson Center Digital Archive record (the Markdown export of a document page).

Layout: a bold date line and a bold title (its lines joined by Markdown hard breaks); field
blocks "**Citation:**", "**Summary:**", "**Credits:**", "**Original Language:**",
"**Contents:**", each followed by its value; then the text: the telegram's heading lines,
paragraphs, "### " section headings and "[n] " footnotes at the end.
"""

import re
from typing import Any

from django.utils.translation import gettext as _

from .base import ParsedRecord
from .blocks import Block, block_text, clean_inline, join_lines, split_blocks
from .body import build_segments, take_heading_lines
from .footnotes import link_notes
from .metadata import (
    fill_blanks,
    find_date,
    guess_language,
    is_url,
    language_code,
    parse_printed_source,
    parse_title,
    parse_whole_date,
)

PUBLISHER = "Wilson Center Digital Archive"
_KNOWN = r"citation|summary|credits|original language|contents"
# A known label may be plain or bold; an unknown one ("**Record ID:**") only counts in bold.
_LABEL = re.compile(
    rf"^\s*(?:(?:\*\*|__)\s*(?P<bold>[^*_:]{{1,40}}?)\s*:\s*(?:\*\*|__)|(?P<plain>{_KNOWN})\s*:)"
    r"\s*(?P<value>.*)$",
    re.I,
)
_CONTENT_ITEM = re.compile(
    r"^(?P<kind>Translation|Transcript|Original Scan|Original|Scan)"
    r"\s*(?:[-–:]\s*(?P<language>[^\W\d_][\w ]*))?$",
    re.I,
)
_URL = re.compile(r"<?(https?://[^\s<>]+)>?")
_TRANSLATOR = re.compile(r"\b(?:Translat(?:ion|ed) by|Translator:|Traduction (?:de|par))\s+", re.I)
# A full stop that is not an initial ("Garret J. Martin.").
_NAME_END = re.compile(r"(?<!\b[A-Z])\.(?:\s|$)")
_ARCHIVES = re.compile(
    r"^(?:Wilson Center Digital Archive|History and Public Policy Program Digital Archive)"
    r"\s*,\s*",
    re.I,
)
MAX_HEAD_BLOCKS = 8  # the first label comes right after the date and title
MAX_FIELD_BLOCKS = 4  # a field's value is a paragraph or a few: the next label is near


def parse_wilson(text: str) -> ParsedRecord:
    record = ParsedRecord(format="wilson")
    blocks = split_blocks(text)
    labels = _labels(blocks)
    first = labels[0][0] if labels else 0
    values, end = _values(blocks, labels, record.warnings)
    date, title = _date_and_title(blocks[:first])
    body = blocks[end:]
    heading_fields, kept, taken = take_heading_lines(body)
    record.segments = link_notes(kept + build_segments(body[taken:]))
    raw_citation = " ".join(join_lines(b) for b in values.get("citation", []))
    citation = _citation_fields(raw_citation, record.warnings)
    title = title or _quoted_title(citation.get("citation", ""))
    record.witness = _witness(title, values, citation, record)
    record.document = _document(title, date, values, citation, heading_fields)
    return record


def _label(block: Block) -> tuple[str, str] | None:
    match = _LABEL.match(block[0])
    if not match:
        return None
    name = (match["bold"] or match["plain"]).strip().lower()
    return name, " ".join([match["value"], *block[1:]]).strip()


def _labels(blocks: list[Block]) -> list[tuple[int, str, str]]:
    """(block index, label, text on the label's own block) of the record's fields."""
    found: list[tuple[int, str, str]] = []
    for i, block in enumerate(blocks):
        if not found and i >= MAX_HEAD_BLOCKS:
            break
        if found and i - found[-1][0] > MAX_FIELD_BLOCKS:
            break  # past the fields: a bold "**Note:**" in the text is not one of them
        if label := _label(block):
            found.append((i, *label))
            if label[0] == "contents":
                break  # the text follows
    return found


def _values(
    blocks: list[Block], labels: list[tuple[int, str, str]], warnings: list[str]
) -> tuple[dict[str, list[Block]], int]:
    """Each field's value blocks, and the index of the first block of the text."""
    values: dict[str, list[Block]] = {}
    end = 0
    for n, (i, name, inline) in enumerate(labels):
        if n + 1 < len(labels):
            stop = labels[n + 1][0]
        elif name == "contents":
            stop = i + 1
            while stop < len(blocks) and all(
                _CONTENT_ITEM.match(block_text([x])) for x in blocks[stop]
            ):
                stop += 1
        else:
            stop = min(i + 2, len(blocks))  # the last field's value is one block
        values[name] = ([[inline]] if inline else []) + blocks[i + 1 : stop]
        end = stop
        if name not in _KNOWN.split("|"):
            warnings.append(_("The field “%(name)s” was not imported.") % {"name": name.title()})
    return values, end


def _date_and_title(head: list[Block]) -> tuple[Any, str]:
    date, title_lines = None, []
    for block in head:
        text = block_text(block)
        found = parse_whole_date(text)
        if found and date is None:
            date = found
        elif text:
            title_lines.append(text)
    return date, " ".join(title_lines)


def _text(values: dict[str, list[Block]], name: str, sep: str = "\n\n") -> str:
    return sep.join(t for block in values.get(name, []) if (t := block_text(block)))


def _witness(
    title: str, values: dict[str, list[Block]], citation: dict[str, str], record: ParsedRecord
) -> dict[str, Any]:
    witness: dict[str, Any] = {
        "title_as_published": title,
        "publisher": PUBLISHER,
        "credits": _text(values, "credits"),
        "original_language": _text(values, "original language", ", "),
        **citation,
    }
    language, role = _contents(_text(values, "contents", "\n"), witness["original_language"])
    language = language or guess_language(" ".join(s.text for s in record.body))
    if language:
        witness["language"] = language
    else:
        record.warnings.append(_("Could not tell the language of the text; choose it when saving."))
    witness["role"] = role
    return {k: v for k, v in witness.items() if v not in (None, "")}


def _citation_fields(raw: str, warnings: list[str]) -> dict[str, str]:
    """The citation proper, the translator and the URL, from the citation block."""
    fields: dict[str, str] = {}
    urls = _URL.findall(raw)
    for url in urls:
        url = url.rstrip(".,;)")
        if is_url(url):
            fields.setdefault("source_url", url)
        else:
            warnings.append(
                _("The URL “%(url)s” is not a valid address; it was left out.") % {"url": url}
            )
    text = _URL.sub("", raw)
    if match := _TRANSLATOR.search(text):
        rest = text[match.end() :]
        end = _NAME_END.search(rest)
        name = rest[: end.start()] if end else rest
        fields["translator"] = name.strip(" .,;")
        text = text[: match.start()] + (rest[end.end() :] if end else "")
    if citation := " ".join(clean_inline(text).split()):
        fields["citation"] = citation
    return fields


def _quoted_title(citation: str) -> str:
    match = re.match(r'\s*["“](?P<title>[^"”]+)["”]', citation)
    return match["title"].strip(" ,") if match else ""


def _contents(contents: str, original_language: str) -> tuple[str, str]:
    """Language and role from "Translation - English" / "Transcript - French"."""
    items = [m for line in contents.split("\n") if (m := _CONTENT_ITEM.match(line.strip()))]
    for kind in ("translation", "transcript"):
        for item in items:
            if item["kind"].lower() == kind and item["language"]:
                language = language_code(item["language"])
                is_original = kind == "transcript" and language == language_code(original_language)
                return language, "original" if is_original else "translation"
    return "", "translation"


def _document(
    title: str,
    date: Any,
    values: dict[str, list[Block]],
    citation: dict[str, str],
    heading: dict[str, Any],
) -> dict[str, Any]:
    document: dict[str, Any] = {"title": title, "date": date, "summary": _text(values, "summary")}
    fill_blanks(document, parse_title(title, bare_to=True))
    fill_blanks(document, heading)
    fill_blanks(document, parse_printed_source(_printed_part(citation.get("citation", ""))))
    if not document.get("date") and (found := find_date(citation.get("citation", ""))):
        document["date"] = found[0]
    return {k: v for k, v in document.items() if v not in (None, "")}


def _printed_part(citation: str) -> str:
    """The printed source in a Wilson citation: what follows the title, date and archive."""
    rest = re.sub(r'^\s*["“][^"”]+["”],?\s*', "", citation)
    found = find_date(rest)
    if found and found[1].start() == 0:
        rest = rest[found[1].end() :].lstrip(" ,")
    return _ARCHIVES.sub("", rest)
