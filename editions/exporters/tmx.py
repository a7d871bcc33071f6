"""A document's alignments as a TMX 1.4b translation memory, by paragraph or by sentence.

By paragraph (``export_tmx``): one translation unit per aligned row of each alignment (a
row with one side empty, such as an unaligned heading, pairs nothing and is left out); a
variant per side, in its witness's language, holding the row's paragraphs joined by line ends
(footnote markers are not part of a segment's text, so none appear). Properties prefixed
``x-`` name the witness and the segment ids of each variant and the pair of each unit:
translation tools ignore them, and the workbench's TMX import uses them to rebuild the same
witnesses and rows.

By sentence (``export_tmx_sentences``), what translation tools match best: the sentences of
each row aligned by the automatic aligner, the rows kept as they stand (as confirmed beads),
one unit per pair of sentences, ``x-confidence`` saying how sure the aligner is. A sentence
with no counterpart is left out: a memory pairs texts. Imported back, such a memory gives
texts of one sentence a segment.
"""

from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from ..alignment import Bead, align_paragraphs_then_sentences
from ..importers.metadata import bcp47
from ..models import Alignment, Witness
from .data import TOOL, TOOL_VERSION, DocumentExport

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


def tmx_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def export_tmx(export: DocumentExport, now: datetime | None = None) -> bytes:
    return _memory(export, "paragraph", _units, now)


def export_tmx_sentences(export: DocumentExport, now: datetime | None = None) -> bytes:
    return _memory(export, "sentence", _sentence_units, now)


def _memory(export: DocumentExport, segtype: str, units, now: datetime | None) -> bytes:
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(
        root,
        "header",
        creationtool=TOOL,
        creationtoolversion=TOOL_VERSION,
        segtype=segtype,
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
        units(body, export, alignment)
    return etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=DOCTYPE
    )


def _source_language(alignments: list[Alignment]) -> str:
    """The source language of the memory; "*all*" when its pairs start from several."""
    languages = {bcp47(a.source.language) for a in alignments}
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
        if not (row.source_sids and row.target_sids):
            continue  # a unit nothing renders (an unaligned heading) is no translation pair
        tu = etree.SubElement(
            body,
            "tu",
            tuid=f"{alignment.source.slug}.{alignment.target.slug}.{n}",
            srclang=bcp47(alignment.source.language),
        )
        _prop(tu, "x-alignment", pair)
        _prop(tu, "x-status", row.status)
        for witness, sids in (
            (alignment.source, row.source_sids),
            (alignment.target, row.target_sids),
        ):
            _variant(tu, witness, sids, texts[witness.pk])


def _variant(tu, witness: Witness, sids: list[str], texts: dict[str, str]) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: bcp47(witness.language)})
    _prop(tuv, "x-witness", witness.slug)
    _prop(tuv, "x-segments", " ".join(sids))
    etree.SubElement(tuv, "seg").text = "\n".join(texts.get(sid, "") for sid in sids)


def _sentence_units(body, export: DocumentExport, alignment: Alignment) -> None:
    source, target = alignment.source, alignment.target
    sides = [export.body_segments(source), export.body_segments(target)]
    index = [{segment.sid: n for n, segment in enumerate(side)} for side in sides]
    rows = [
        Bead(
            tuple(index[0][sid] for sid in row.source_sids if sid in index[0]),
            tuple(index[1][sid] for sid in row.target_sids if sid in index[1]),
        )
        for row in alignment.rows.all()
    ]
    pairs = align_paragraphs_then_sentences(
        [" ".join(segment.text.split()) for segment in sides[0]],
        [" ".join(segment.text.split()) for segment in sides[1]],
        src_lang=source.language[:2].lower(),
        tgt_lang=target.language[:2].lower(),
        constraints=[row for row in rows if row.src or row.tgt],
    )
    pair_name = f"{source.slug} {target.slug}"
    number = 0
    for pair in pairs:
        for bead in pair.sentences:
            if not (bead.src and bead.tgt):
                continue
            number += 1
            tu = etree.SubElement(
                body,
                "tu",
                tuid=f"{source.slug}.{target.slug}.s{number}",
                srclang=bcp47(source.language),
            )
            _prop(tu, "x-alignment", pair_name)
            _prop(tu, "x-confidence", f"{bead.confidence:.2f}")
            for witness, sentences, indices in (
                (source, pair.src_sentences, bead.src),
                (target, pair.tgt_sentences, bead.tgt),
            ):
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: bcp47(witness.language)})
                _prop(tuv, "x-witness", witness.slug)
                etree.SubElement(tuv, "seg").text = " ".join(sentences[i] for i in indices)
