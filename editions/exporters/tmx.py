"""A document's alignments as a TMX 1.4b translation memory.

One translation unit per aligned row of each alignment; a variant per side, in its
witness's language, holding the row's paragraphs joined by line ends (footnote markers are
not part of a segment's text, so none appear). Properties prefixed ``x-`` name the witness
and the segment ids of each variant and the pair of each unit: translation tools ignore
them, and the workbench's TMX import uses them to rebuild the same witnesses and rows.
"""

from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from ..models import Alignment, Witness
from .data import TOOL, TOOL_VERSION, DocumentExport

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def tmx_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def export_tmx(export: DocumentExport, now: datetime | None = None) -> bytes:
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=TOOL_VERSION,
        segtype="paragraph",
        **{"o-tmf": "translation-workbench"},
        adminlang="en",
        srclang=_source_language(export.alignments),
        datatype="plaintext",
        creationdate=tmx_date(now or timezone.now()),
    )
    _prop(header, "x-document", export.document.title)
    for witness in export.witnesses:
        _prop(header, f"x-witness:{witness.slug}", witness.label)
        _prop(header, f"x-role:{witness.slug}", witness.role)
    body = etree.SubElement(root, "body")
    for alignment in export.alignments:
        _units(body, export, alignment)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE
    )


def _source_language(alignments: list[Alignment]) -> str:
    """The source language of the memory; "*all*" when its pairs start from several."""
    languages = {a.source.language for a in alignments}
    return languages.pop() if len(languages) == 1 else "*all*"


def _prop(parent, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = value


def _units(body, export: DocumentExport, alignment: Alignment) -> None:
    # A line end inside a unit would read as two units: a space is what it means here.
    texts = {
        w.pk: {s.sid: " ".join(s.text.split("\n")) for s in export.body_segments(w)}
        for w in export.witnesses
    }
    pair = f"{alignment.source.slug} {alignment.target.slug}"
    for n, row in enumerate(alignment.rows.all(), start=1):
        tu = etree.SubElement(
            body, "tu", tuid=f"{alignment.source.slug}.{alignment.target.slug}.{n}"
        )
        _prop(tu, "x-alignment", pair)
        _prop(tu, "x-status", row.status)
        for witness, sids in (
            (alignment.source, row.source_sids),
            (alignment.target, row.target_sids),
        ):
            if sids:
                _variant(tu, witness, sids, texts[witness.pk])


def _variant(tu, witness: Witness, sids: list[str], texts: dict[str, str]) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: witness.language})
    _prop(tuv, "x-witness", witness.slug)
    _prop(tuv, "x-segments", " ".join(sids))
    etree.SubElement(tuv, "seg").text = "\n".join(texts.get(sid, "") for sid in sids)
