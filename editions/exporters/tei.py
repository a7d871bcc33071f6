"""A document as TEI P5 (4.x): the scholarly edition, and the format the workbench reads back.

- ``teiHeader``: the title with a ``respStmt`` per translator and editor; the edition as the
  publishing authority and the export date; the printed source and, in ``listWit``, each
  witness's published record (title, publisher, URL, rights, caption, citation, credits);
  the document's own fields in ``correspDesc``; the annotation categories as a taxonomy.
- ``text/body``: one ``div`` per witness (``xml:lang``, ``@source`` pointing at its
  ``witness``), its segments as ``head``/``p``/``note`` with ``xml:id`` ``{witness}.{sid}``;
  a heading opens a nested ``div``. A footnote stands inline where it is called
  (``<note place="foot" n="1">``), as TEI editions write it; the ``string-range()`` offsets
  count its text, as TEI's string value does. A second call of the same note is a ``ptr``.
- ``standOff``: one ``linkGrp type="alignment"`` per alignment, one ``link`` per row (units
  no other text renders are a ``ptr subtype="unaligned"``: linked to nothing); the
  annotations in ``listAnnotation``, their spans as ``string-range()`` pointers, replies as
  annotations on annotations.

Every id in the file is derived from slugs, sids and reading order, never from database
keys, so exporting what an import of this file created gives the same file again.
"""

import re
from datetime import UTC, date, datetime, time

from django.utils import timezone
from lxml import etree

from ..importers.tei import APPLICATION
from ..models import (
    Annotation,
    AnnotationTarget,
    FootnoteRef,
    Segment,
    SegmentKind,
    Witness,
    WitnessRole,
)
from ..w3c import MOTIVATIONS as W3C_MOTIVATIONS
from .data import TOOL, TOOL_VERSION, DocumentExport, Progress

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
XML_LANG = f"{{{XML_NS}}}lang"
SCHEMA_PI = (
    'href="http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" '
    'type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"'
)
# The motivations TEI's annotation/@motivation accepts: the W3C model's but *assessing*.
MOTIVATIONS = W3C_MOTIVATIONS - {"assessing"}
# Witness fields kept as typed notes of its bibl (name in the model -> note type).
WITNESS_NOTES = {
    "caption": "caption",
    "citation": "citation",
    "credits": "credits",
    "original_language": "original-language",
}
DOCUMENT_NOTES = {
    "classification": "classification",
    "reference_numbers": "reference-numbers",
}
_NCNAME_START = re.compile(r"[A-Za-z_]")


def tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, tei(tag), {k: v for k, v in attrs.items() if v})
    if text:
        element.text = text
    return element


def witness_xml_id(witness: Witness) -> str:
    """The witness div's id: its slug, made a valid XML name if the slug starts with a digit."""
    slug = witness.slug
    return slug if _NCNAME_START.match(slug) else f"w-{slug}"


def segment_xml_id(segment: Segment) -> str:
    # "." never occurs in a slug, so these ids cannot collide with a witness's.
    return f"{witness_xml_id(segment.witness)}.{segment.sid}"


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def export_tei(
    export: DocumentExport,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """``progress`` hears of each step done: the header, each text, the alignments and
    annotations, the file written."""
    steps = len(export.witnesses) + 3
    report = progress or (lambda _done, _steps: None)
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    header = sub(root, "teiHeader")
    _file_desc(header, export, now or timezone.now())
    _encoding_desc(header, export)
    _profile_desc(header, export)
    report(1, steps)
    body = sub(sub(root, "text"), "body")
    for n, witness in enumerate(export.witnesses, start=2):
        _witness_div(body, export, witness)
        report(n, steps)
    if not export.witnesses:
        sub(body, "p")  # a body may not be empty
    _stand_off(root, export)
    report(steps - 1, steps)
    pi = etree.ProcessingInstruction("xml-model", SCHEMA_PI)
    tree = etree.ElementTree(root)
    root.addprevious(pi)
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    report(steps, steps)
    return data


# -- The header ---------------------------------------------------------------------------


def _file_desc(header, export: DocumentExport, now: datetime) -> None:
    document = export.document
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", document.title)
    translators = dict.fromkeys(w.translator for w in export.witnesses if w.translator)
    for name in translators:
        _resp(title_stmt, "translator", name)
    for name in export.editors():
        _resp(title_stmt, "editor", name)
    publication = sub(file_desc, "publicationStmt")
    sub(publication, "authority", export.edition.title)
    sub(publication, "date", iso(now), type="export", when=iso(now))
    source_desc = sub(file_desc, "sourceDesc")
    _printed_source(source_desc, document)
    if export.witnesses:
        list_wit = sub(source_desc, "listWit")
        for witness in export.witnesses:
            _witness_entry(list_wit, witness)
    if len(source_desc) == 0:
        sub(source_desc, "p", "Born digital.")


def _resp(parent, role: str, name: str) -> None:
    resp_stmt = sub(parent, "respStmt")
    sub(resp_stmt, "resp", role)
    sub(resp_stmt, "name", name)


def _printed_source(source_desc, document) -> None:
    parts = [
        ("title", document.source_series, {"level": "s"}),
        ("biblScope", document.source_volume, {"unit": "volume"}),
        ("biblScope", document.source_pages, {"unit": "page"}),
        ("publisher", document.source_publication, {}),
    ]
    if not any(value for _tag, value, _attrs in parts):
        return
    bibl = sub(source_desc, "bibl", type="printed")
    for tag, value, attrs in parts:
        if value:
            sub(bibl, tag, value, **attrs)


def _witness_entry(list_wit, witness: Witness) -> None:
    entry = sub(list_wit, "witness", **{XML_ID: f"source.{witness_xml_id(witness)}"})
    sub(entry, "label", witness.label)
    bibl = sub(entry, "bibl")
    if witness.title_as_published:
        sub(bibl, "title", witness.title_as_published)
    if witness.translator:
        _resp(bibl, "translator", witness.translator)
    if witness.publisher:
        sub(bibl, "publisher", witness.publisher)
    for kind in ("last_updated", "retrieved"):
        value = getattr(witness, kind)
        if value:
            sub(
                bibl, "date", value.isoformat(), type=kind.replace("_", "-"), when=value.isoformat()
            )
    if witness.source_url:
        sub(bibl, "ref", witness.source_url, target=witness.source_url)
    for name, kind in WITNESS_NOTES.items():
        if value := getattr(witness, name):
            sub(bibl, "note", value, type=kind)
    if witness.copyright_line or witness.rights:
        availability = sub(bibl, "availability")
        if witness.copyright_line:
            sub(availability, "p", witness.copyright_line)
        if witness.rights:
            sub(sub(availability, "licence"), "p", witness.rights)


def _encoding_desc(header, export: DocumentExport) -> None:
    encoding = sub(header, "encodingDesc")
    # The importer reads the texts of files it wrote verbatim (see importers.tei).
    application = sub(
        sub(encoding, "appInfo"), "application", ident=APPLICATION, version=TOOL_VERSION
    )
    sub(application, "label", TOOL)
    categories = export.categories()
    if not categories:
        return
    taxonomy = sub(sub(encoding, "classDecl"), "taxonomy", **{XML_ID: "cat"})
    for category in categories:
        entry = sub(
            taxonomy,
            "category",
            **{XML_ID: f"cat.{category.slug}", "style": f"color: {category.color}"},
        )
        sub(entry, "catDesc", category.name)


def _profile_desc(header, export: DocumentExport) -> None:
    document = export.document
    profile = etree.Element(tei("profileDesc"))
    if document.summary:
        abstract = sub(profile, "abstract")
        for paragraph in document.summary.split("\n\n"):
            sub(abstract, "p", paragraph)
    corresp = etree.Element(tei("correspDesc"))
    sent = [("persName", document.author), ("placeName", document.place)]
    when = _when(document.date, document.time)
    if any(v for _t, v in sent) or when:
        action = sub(corresp, "correspAction", type="sent")
        for tag, value in sent:
            if value:
                sub(action, tag, value)
        if when:
            sub(action, "date", when, when=when)
    if document.recipient or document.received_note:
        action = sub(corresp, "correspAction", type="received")
        if document.recipient:
            sub(action, "persName", document.recipient)
        if document.received_note:
            sub(action, "note", document.received_note, type="received")
    for name, kind in DOCUMENT_NOTES.items():
        if value := getattr(document, name):
            sub(corresp, "note", value, type=kind)
    if len(corresp):
        profile.append(corresp)
    if len(profile):
        header.append(profile)


def _when(day: date | None, hour: time | None) -> str:
    if day and hour:
        return f"{day.isoformat()}T{hour.isoformat(timespec='seconds')}"
    if day:
        return day.isoformat()
    return hour.isoformat(timespec="seconds") if hour else ""


# -- The texts ----------------------------------------------------------------------------


def _witness_div(body, export: DocumentExport, witness: Witness) -> None:
    attrs = {
        XML_ID: witness_xml_id(witness),
        XML_LANG: witness.language,
        "type": "witness",
        "subtype": witness.role,
        "n": witness.slug,
        "source": f"#source.{witness_xml_id(witness)}",
    }
    if witness.role == WitnessRole.REVISION and witness.revision_of:
        attrs["corresp"] = f"#{witness_xml_id(witness.revision_of)}"
    div = sub(body, "div", **attrs)
    container = div
    inline = inline_calls(witness)
    for segment in witness.segments.all():
        if segment.kind == SegmentKind.HEADING:
            container = sub(div, "div", type="section")
            _segment(container, segment, "head", inline)
        elif segment.kind == SegmentKind.FOOTNOTE:
            if segment.pk not in inline.values():  # a note no text calls stands alone
                _segment(container, segment, "note", inline, place="foot", n=segment.label)
        else:
            _segment(container, segment, "p", inline)
    if len(div) == 0:
        sub(div, "p")  # a witness with no text yet


def inline_calls(witness: Witness) -> dict[int, int]:
    """Footnote call (FootnoteRef pk) -> its note's pk, for the first call of each note.

    The note stands inline at that call, as TEI editions write it (and the TEI
    Consortium's stylesheets number and place it); a later call of the same note is a
    ``ptr`` to it.
    """
    placed: dict[int, int] = {}
    for segment in witness.segments.all():
        for ref in _refs(segment):
            if ref.note_id not in placed.values():
                placed[ref.pk] = ref.note_id
    return placed


def _refs(segment: Segment) -> list[FootnoteRef]:
    return sorted(segment.footnote_refs.all(), key=lambda r: (r.offset, r.pk))


def _segment(parent, segment: Segment, tag: str, inline: dict[int, int], **attrs) -> None:
    element = sub(parent, tag, **{XML_ID: segment_xml_id(segment)}, **attrs)
    text = segment.text
    cursor, last = 0, None
    for ref in _refs(segment):
        offset = min(ref.offset, len(text))
        _append_text(element, last, text[cursor:offset])
        note = ref.note
        if ref.pk in inline:
            last = sub(
                element,
                "note",
                note.text,
                place="foot",
                n=note.label or ref.label,
                **{XML_ID: segment_xml_id(note)},
            )
        else:
            last = sub(
                element, "ptr", type="noteAnchor", target=f"#{segment_xml_id(note)}", n=ref.label
            )
        cursor = offset
    _append_text(element, last, text[cursor:])


def string_offset(segment: Segment, offset: int, inline: dict[int, int], *, end: bool) -> int:
    """A segment offset counted in its element's string value, which holds its inline notes.

    A note called at the offset stands before the text there: inside a span that starts
    at its call, outside one that ends at it.
    """
    return offset + sum(
        len(ref.note.text)
        for ref in _refs(segment)
        if ref.pk in inline and (ref.offset < offset or (ref.offset == offset and not end))
    )


def _append_text(element, last, text: str) -> None:
    if not text:
        return
    if last is None:
        element.text = (element.text or "") + text
    else:
        last.tail = (last.tail or "") + text


# -- Alignments and annotations -----------------------------------------------------------


def _stand_off(root, export: DocumentExport) -> None:
    stand_off = etree.Element(tei("standOff"))
    for alignment in export.alignments:
        _link_group(stand_off, alignment)
    if export.annotations:
        listing = sub(stand_off, "listAnnotation")
        texts = _Texts(export)
        for annotation in export.annotations:
            _annotation(listing, export, annotation, texts)
    if len(stand_off):
        root.append(stand_off)


def _link_group(stand_off, alignment) -> None:
    source, target = alignment.source, alignment.target
    group = sub(
        stand_off,
        "linkGrp",
        type="alignment",
        domains=f"#{witness_xml_id(source)} #{witness_xml_id(target)}",
    )
    for row in alignment.rows.all():
        pointers = _side(source, row.source_sids) + _side(target, row.target_sids)
        attrs = {"target": " ".join(pointers), "type": row.status}
        if row.confidence is not None:
            attrs["cert"] = repr(row.confidence)
        if row.source_sids and row.target_sids:
            sub(group, "link", **attrs)
        else:  # units nothing renders: pointed at, linked to nothing
            sub(group, "ptr", subtype="unaligned", **attrs)


def _side(witness: Witness, sids: list[str]) -> list[str]:
    return [f"#{witness_xml_id(witness)}.{sid}" for sid in sids]


class _Texts:
    """The exported segments by pk (footnote calls prefetched) and the inline note calls."""

    def __init__(self, export: DocumentExport):
        self.segments = {s.pk: s for w in export.witnesses for s in w.segments.all()}
        self.inline: dict[int, int] = {}
        for witness in export.witnesses:
            self.inline |= inline_calls(witness)


def string_range(target: AnnotationTarget, texts: _Texts) -> str:
    """Where a placed target stands (an orphan, without offsets, points at its segment)."""
    if target.start is None or target.end is None:
        raise ValueError(f"Annotation target {target.pk} is an orphan: it has no range.")
    segment = texts.segments.get(target.segment_id, target.segment)
    start = string_offset(segment, target.start, texts.inline, end=False)
    length = max(0, string_offset(segment, target.end, texts.inline, end=True) - start)
    return f"#string-range(//*[@xml:id='{segment_xml_id(segment)}'],{start},{length})"


def _annotation(listing, export: DocumentExport, annotation: Annotation, texts: _Texts) -> None:
    number = export.number[annotation.pk]
    targets = list(annotation.targets.all())
    pointers = [
        string_range(t, texts) if t.start is not None else f"#{segment_xml_id(t.segment)}"
        for t in targets
    ]
    attrs = {XML_ID: f"ann.{number}", "n": str(number), "target": " ".join(pointers)}
    if annotation.motivation in MOTIVATIONS:
        attrs["motivation"] = annotation.motivation
    if annotation.category:
        attrs["ana"] = f"#cat.{annotation.category.slug}"
    element = sub(listing, "annotation", **attrs)
    _by(element, annotation.author)
    changes = sub(element, "revisionDesc", status=annotation.status)
    sub(changes, "change", type="created", when=iso(annotation.created_at))
    sub(changes, "change", type="modified", when=iso(annotation.updated_at))
    if annotation.body:
        sub(element, "note", annotation.body, type="body")
    for tag in annotation.tags:
        sub(element, "note", tag, type="tag")
    for target in targets:
        if target.start is None:  # an orphan: its span is lost, its quote is kept
            sub(
                element,
                "note",
                target.quote,
                type="quote",
                target=f"#{segment_xml_id(target.segment)}",
            )
    for n, reply in enumerate(annotation.replies.all(), start=1):
        _reply(listing, number, n, reply)


def _reply(listing, number: int, n: int, reply) -> None:
    element = sub(
        listing,
        "annotation",
        **{XML_ID: f"ann.{number}.{n}", "target": f"#ann.{number}", "motivation": "replying"},
    )
    _by(element, reply.author)
    sub(sub(element, "revisionDesc"), "change", type="created", when=iso(reply.created_at))
    sub(element, "note", reply.body, type="body")


def _by(element, user) -> None:
    if user is not None:
        resp_stmt = sub(element, "respStmt")
        sub(resp_stmt, "resp", "author")
        sub(resp_stmt, "name", user.get_username())
