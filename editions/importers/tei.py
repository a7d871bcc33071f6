"""TEI P5 in: the files ``editions.exporters.tei`` writes, and TEI close to them.

What the exporter writes reads back whole: the document's fields, every witness with its
published record, segments with their ids, footnote calls, alignments, categories,
annotations (spans, orphans with their quotes, replies, dates, status). Other TEI is read as
far as it goes: each ``div`` of the body with an ``xml:lang`` is a witness, its ``head``,
``p``, ``ab`` and ``note`` elements the segments (a note inside a paragraph becomes a
footnote called where it stood); segments without ids get new ones.
"""

import re
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from ..alignment.rows import Row
from ..models import SID_PREFIX, SegmentKind, Status, WitnessRole
from .base import RecordError
from .exchange import (
    ExchangeAlignment,
    ExchangeAnnotation,
    ExchangeDocument,
    ExchangeReply,
    ExchangeSegment,
    ExchangeTarget,
    ExchangeWitness,
    NoteCall,
)
from .metadata import bcp47

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"t": TEI_NS}
SEGMENT_TAGS = {
    "head": SegmentKind.HEADING,
    "p": SegmentKind.PARAGRAPH,
    "ab": SegmentKind.PARAGRAPH,
}
# The exporter's signature in encodingDesc/appInfo: its texts are taken verbatim; other
# files' whitespace (indentation inside paragraphs) is collapsed.
APPLICATION = "translation-workbench"
_STRING_RANGE = re.compile(
    r"^#string-range\((?://\*\[@xml:id=['\"](?P<xpath_id>[^'\"]+)['\"]\]|(?P<id>[^,()]+)),"
    r"\s*(?P<offset>\d+),\s*(?P<length>\d+)\)$"
)
_COLOR = re.compile(r"color:\s*(#[0-9a-fA-F]{6})")


def t(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def text_of(element: etree._Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def first_text(parent: etree._Element, path: str) -> str:
    return text_of(parent.find(path, NS)) if parent is not None else ""


def parse_tei(root: etree._Element) -> ExchangeDocument:
    if root.tag != t("TEI"):
        raise RecordError(_("This is not a TEI file (the root element is not TEI)."))
    parsed = ExchangeDocument(format="tei")
    header = root.find("t:teiHeader", NS)
    if header is None:
        raise RecordError(_("The TEI file has no teiHeader."))
    parsed.document = _document(header)
    parsed.edition_title = first_text(header, "t:fileDesc/t:publicationStmt/t:authority").strip()
    sources = _sources(header)
    ids = _Ids()
    verbatim = header.find(f".//t:appInfo/t:application[@ident='{APPLICATION}']", NS) is not None
    for div in _witness_divs(root):
        taken = {w.slug for w in parsed.witnesses}
        parsed.witnesses.append(_witness(div, sources, ids, verbatim, taken))
    if not parsed.witnesses:
        raise RecordError(
            _("The TEI file holds no text: no div of its body has a language (xml:lang).")
        )
    for group in root.iter(t("linkGrp")):
        if group.get("type") == "alignment":
            parsed.alignments.append(_alignment(group, ids))
    parsed.categories = _categories(header)
    _annotations(root, parsed, ids)
    return parsed


# -- The header ---------------------------------------------------------------------------


def _document(header) -> dict:
    values = {"title": first_text(header, "t:fileDesc/t:titleStmt/t:title").strip()}
    printed = header.find("t:fileDesc/t:sourceDesc/t:bibl[@type='printed']", NS)
    if printed is not None:
        values["source_series"] = first_text(printed, "t:title")
        values["source_volume"] = first_text(printed, "t:biblScope[@unit='volume']")
        values["source_pages"] = first_text(printed, "t:biblScope[@unit='page']")
        values["source_publication"] = first_text(printed, "t:publisher")
    profile = header.find("t:profileDesc", NS)
    if profile is not None:
        paragraphs = profile.findall("t:abstract/t:p", NS)
        values["summary"] = "\n\n".join(text_of(p) for p in paragraphs)
        values.update(_correspondence(profile))
    return values


def _correspondence(profile) -> dict:
    values: dict[str, Any] = {}
    sent = profile.find("t:correspDesc/t:correspAction[@type='sent']", NS)
    if sent is not None:
        values["author"] = first_text(sent, "t:persName")
        values["place"] = first_text(sent, "t:placeName")
        when = sent.find("t:date", NS)
        if when is not None:
            values["date"], values["time"] = _when(when.get("when", ""))
    received = profile.find("t:correspDesc/t:correspAction[@type='received']", NS)
    if received is not None:
        values["recipient"] = first_text(received, "t:persName")
        values["received_note"] = first_text(received, "t:note[@type='received']")
    values["classification"] = first_text(profile, "t:correspDesc/t:note[@type='classification']")
    values["reference_numbers"] = first_text(
        profile, "t:correspDesc/t:note[@type='reference-numbers']"
    )
    return values


def _when(value: str) -> tuple[date | None, time | None]:
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            return moment.date(), moment.time()
        if ":" in value:
            return None, time.fromisoformat(value)
        return (date.fromisoformat(value) if value else None), None
    except ValueError as exc:
        raise RecordError(_("The date “%(value)s” is not an ISO date.") % {"value": value}) from exc


def _day(value: str | None) -> date | None:
    return _when(value)[0] if value else None


def _sources(header) -> dict[str, dict]:
    """Each listWit entry's published record, by its xml:id."""
    sources = {}
    for entry in header.iterfind("t:fileDesc/t:sourceDesc/t:listWit/t:witness", NS):
        bibl = entry.find("t:bibl", NS)
        values: dict[str, Any] = {"label": first_text(entry, "t:label")}
        if bibl is not None:
            values |= {
                "title_as_published": first_text(bibl, "t:title"),
                "translator": first_text(bibl, "t:respStmt/t:name"),
                "publisher": first_text(bibl, "t:publisher"),
                "last_updated": _day(_attr(bibl, "t:date[@type='last-updated']", "when")),
                "retrieved": _day(_attr(bibl, "t:date[@type='retrieved']", "when")),
                "source_url": _attr(bibl, "t:ref", "target") or "",
                "caption": first_text(bibl, "t:note[@type='caption']"),
                "citation": first_text(bibl, "t:note[@type='citation']"),
                "credits": first_text(bibl, "t:note[@type='credits']"),
                "original_language": first_text(bibl, "t:note[@type='original-language']"),
                "copyright_line": first_text(bibl, "t:availability/t:p"),
                "rights": "\n\n".join(
                    text_of(p) for p in bibl.findall("t:availability/t:licence/t:p", NS)
                ),
            }
        sources[entry.get(XML_ID, "")] = values
    return sources


def _attr(parent, path: str, name: str) -> str | None:
    element = parent.find(path, NS)
    return element.get(name) if element is not None else None


def _categories(header) -> dict[str, tuple[str, str]]:
    categories = {}
    for entry in header.iterfind(".//t:taxonomy/t:category", NS):
        slug = entry.get(XML_ID, "").removeprefix("cat.")
        color = _COLOR.search(entry.get("style", ""))
        name = first_text(entry, "t:catDesc").strip() or slug
        categories[slug] = (name, color[1] if color else "#7f8c8d")
    return categories


# -- The texts ----------------------------------------------------------------------------


class _Ids:
    """Segment xml:id -> (witness slug, segment), and a witness div's xml:id -> its slug."""

    def __init__(self):
        self.segments: dict[str, tuple[str, ExchangeSegment]] = {}
        self.witnesses: dict[str, str] = {}

    def resolve(self, pointer: str) -> tuple[str, str | None]:
        """(witness slug, sid) of a segment; (witness slug, None) of a whole witness."""
        return self.find(pointer)[0], (s.sid if (s := self.find(pointer)[1]) else None)

    def find(self, pointer: str) -> tuple[str, ExchangeSegment | None]:
        xml_id = pointer.removeprefix("#")
        if xml_id in self.segments:
            return self.segments[xml_id]
        if xml_id in self.witnesses:
            return self.witnesses[xml_id], None
        raise RecordError(
            _("The TEI file points at #%(id)s, which it does not hold.") % {"id": xml_id}
        )


def _witness_divs(root) -> list:
    body = root.find("t:text/t:body", NS)
    if body is None:
        return []
    return [div for div in body.iterfind("t:div", NS) if div.get(XML_LANG)]


def _witness(div, sources: dict, ids: _Ids, verbatim: bool, taken: set[str]) -> ExchangeWitness:
    div_id = div.get(XML_ID, "")
    slug = base = div.get("n") or div_id or div.get(XML_LANG).lower()
    n = 2
    while slug in taken:  # two texts in one language, neither named
        slug, n = f"{base}-{n}", n + 1
    values = dict(sources.get(div.get("source", "").removeprefix("#"), {}))
    role = div.get("subtype", "")
    values |= {
        "language": bcp47(div.get(XML_LANG)),
        "role": role if role in WitnessRole.values else WitnessRole.TRANSLATION,
    }
    witness = ExchangeWitness(slug=slug, values=values)
    if div_id:
        ids.witnesses[div_id] = slug
    reader = _SegmentReader(witness, div_id, ids, verbatim)
    reader.read(div)
    witness.revision_of = ids.witnesses.get(div.get("corresp", "").removeprefix("#"), "")
    return witness


class _SegmentReader:
    """The segments of one witness div, in document order, with their footnote calls."""

    def __init__(self, witness: ExchangeWitness, div_id: str, ids: _Ids, verbatim: bool):
        self.witness = witness
        self.prefix = f"{div_id}."
        self.ids = ids
        self.verbatim = verbatim
        self.inline_notes: list[tuple[NoteCall, ExchangeSegment]] = []

    def read(self, div) -> None:
        self._container(div)
        self._assign_new_ids()
        self._resolve_calls()

    def _container(self, element) -> None:
        for child in element:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{TEI_NS}}}"):
                continue
            name = etree.QName(child).localname
            if name == "div":
                self._container(child)
            elif name in SEGMENT_TAGS:
                self._segment(child, SEGMENT_TAGS[name])
            elif name == "note":
                self._segment(child, SegmentKind.FOOTNOTE, label=child.get("n", ""))

    def _segment(self, element, kind: str, label: str = "") -> ExchangeSegment:
        xml_id = element.get(XML_ID, "")
        sid = xml_id.removeprefix(self.prefix) if xml_id.startswith(self.prefix) else ""
        segment = ExchangeSegment(sid=sid, kind=kind, label=label, text="")
        self.witness.segments.append(segment)
        parts: list[str] = []
        self._inline(element, segment, parts)
        segment.text = "".join(parts)
        if not self.verbatim:
            self._collapse_spaces(segment)
        if xml_id:
            self.ids.segments[xml_id] = (self.witness.slug, segment)
        return segment

    def _inline(self, element, segment: ExchangeSegment, parts: list[str]) -> None:
        """The text of a segment; note calls (ptr) and inline notes become footnote calls."""
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                name = etree.QName(child).localname
                offset = len("".join(parts))
                if name == "ptr" and child.get("target", "").startswith("#"):
                    call = NoteCall(child.get("n", ""), offset, child.get("target")[1:])
                    segment.calls.append(call)
                elif name == "note":
                    note = self._segment(child, SegmentKind.FOOTNOTE, label=child.get("n", ""))
                    note.label = note.label or str(len(segment.calls) + 1)
                    call = NoteCall(note.label, offset, "")
                    segment.calls.append(call)
                    segment.inline_notes.append((offset, len(text_of(child))))
                    self.inline_notes.append((call, note))
                else:
                    self._inline(child, segment, parts)
            if child.tail:
                parts.append(child.tail)

    @staticmethod
    def _collapse_spaces(segment: ExchangeSegment) -> None:
        """Indentation and line ends inside a paragraph become single spaces."""
        text = segment.text
        for call in segment.calls:
            before = text[: call.offset]
            call.offset = len(re.sub(r"\s+", " ", before).lstrip())
        segment.text = re.sub(r"\s+", " ", text).strip()
        for call in segment.calls:
            call.offset = min(call.offset, len(segment.text))

    def _assign_new_ids(self) -> None:
        """Segments without an id of this witness get the next serial, by kind."""
        taken = {s.sid for s in self.witness.segments if s.sid}
        serial = self.witness.next_serial()
        for segment in self.witness.segments:
            if not segment.sid:
                while f"{SID_PREFIX[SegmentKind(segment.kind)]}{serial}" in taken:
                    serial += 1
                segment.sid = f"{SID_PREFIX[SegmentKind(segment.kind)]}{serial}"
                taken.add(segment.sid)
                serial += 1

    def _resolve_calls(self) -> None:
        """Calls name their notes by sid: from the ptr's xml:id, or the inline note's new id."""
        for call, note in self.inline_notes:
            call.note_sid = note.sid
        for segment in self.witness.segments:
            for call in segment.calls:
                found = self.ids.segments.get(call.note_sid)
                if found is not None:
                    call.note_sid = found[1].sid


# -- Alignments and annotations -----------------------------------------------------------


def _alignment(group, ids: _Ids) -> ExchangeAlignment:
    domains = group.get("domains", "").split()
    if len(domains) != 2:
        raise RecordError(_("An alignment (linkGrp) must name its two texts in @domains."))
    source, target = (ids.resolve(d)[0] for d in domains)
    alignment = ExchangeAlignment(source=source, target=target)
    # A link is a row; a ptr, units of one text that nothing renders (linked to nothing).
    for link in group.iterchildren(t("link"), t("ptr")):
        sides: dict[str, list[str]] = {source: [], target: []}
        for pointer in link.get("target", "").split():
            witness, sid = ids.resolve(pointer)
            if witness not in sides:
                raise RecordError(_("An alignment row points outside its two texts."))
            if sid is not None:
                sides[witness].append(sid)
        alignment.rows.append(
            Row(
                tuple(sides[source]),
                tuple(sides[target]),
                _probability(link.get("cert")),
                link.get("type") == "confirmed",
            )
        )
    return alignment


def _probability(cert: str | None) -> float | None:
    """@cert as a number (TEI also allows words: high, medium, low, unknown)."""
    try:
        return float(cert) if cert else None
    except ValueError:
        return None


def _annotations(root, parsed: ExchangeDocument, ids: _Ids) -> None:
    by_id: dict[str, ExchangeAnnotation] = {}
    for element in root.iter(t("annotation")):
        target = element.get("target", "")
        if element.get("motivation") == "replying" and target.removeprefix("#") in by_id:
            by_id[target.removeprefix("#")].replies.append(_reply(element))
            continue
        annotation = _annotation(element, ids)
        parsed.annotations.append(annotation)
        by_id[element.get(XML_ID, "")] = annotation


def _annotation(element, ids: _Ids) -> ExchangeAnnotation:
    quotes: dict[str, list[str]] = {}
    for note in element.iterfind("t:note[@type='quote']", NS):
        quotes.setdefault(note.get("target", ""), []).append(text_of(note))
    targets = [_target(p, ids, quotes) for p in element.get("target", "").split()]
    created, modified = (_change(element, kind) for kind in ("created", "modified"))
    status = _attr(element, "t:revisionDesc", "status") or Status.OPEN
    return ExchangeAnnotation(
        targets=targets,
        body=_body(element),
        motivation=element.get("motivation", "commenting").split()[0],
        category=next(
            (a[len("#cat.") :] for a in element.get("ana", "").split() if a.startswith("#cat.")),
            "",
        ),
        tags=[text_of(n) for n in element.iterfind("t:note[@type='tag']", NS)],
        author=first_text(element, "t:respStmt/t:name").strip(),
        status=status,
        created=created,
        modified=modified,
    )


def _target(pointer: str, ids: _Ids, quotes: dict[str, list[str]]) -> ExchangeTarget:
    match = _STRING_RANGE.match(pointer)
    if match:
        witness, segment = ids.find(match["xpath_id"] or match["id"].strip())
        start, length = int(match["offset"]), int(match["length"])
        if segment is None:
            return ExchangeTarget(witness, "", start, start + length)
        return ExchangeTarget(
            witness,
            segment.sid,
            segment.text_offset(start),
            segment.text_offset(start + length),
        )
    witness, segment = ids.find(pointer)
    if segment is None:
        raise RecordError(_("An annotation points at a whole text, not at a passage in it."))
    if quotes.get(pointer):  # a passage no longer found in the text: an orphan
        return ExchangeTarget(witness, segment.sid, None, None, quotes[pointer].pop(0))
    return ExchangeTarget(witness, segment.sid, 0, len(segment.text))  # the whole segment


def _body(element) -> str:
    bodies = element.findall("t:note[@type='body']", NS) or [
        n for n in element.iterfind("t:note", NS) if not n.get("type")
    ]
    return "\n\n".join(text_of(n) for n in bodies)


def _change(element, kind: str) -> datetime | None:
    when = _attr(element, f"t:revisionDesc/t:change[@type='{kind}']", "when")
    if not when:
        return None
    try:
        return datetime.fromisoformat(when)
    except ValueError:
        return None


def _reply(element) -> ExchangeReply:
    return ExchangeReply(
        author=first_text(element, "t:respStmt/t:name").strip(),
        body=_body(element),
        created=_change(element, "created"),
    )
