"""TMX (1.4b) in: a translation memory becomes a document with aligned witnesses.

Each translation unit is one alignment row. Its variants are grouped into witnesses: by the
``x-witness`` property the workbench's own export writes, otherwise by language (as BCP 47
writes it: "FR-ca" and "fr-CA" are one). Each unit names its source language itself
(``tu/@srclang``, else the header's): the witness most units take as their source is the
original. translate-toolkit's po2tmx, for one, keeps the header at "en" whatever the
units' source.
A variant's text is split into segments at line ends (the exporter joins the units of a row
with them); units the export names with ``x-segments`` keep their ids, and a unit met again
(the source of a second alignment) is not duplicated.
"""

from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from ..alignment.rows import Row
from ..models import SegmentKind, WitnessRole
from .base import RecordError
from .exchange import ExchangeAlignment, ExchangeDocument, ExchangeSegment, ExchangeWitness
from .metadata import bcp47, language_name
from .store import suggest_witness_label

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Inline codes whose content is the original file's markup, not text.
CODE_TAGS = {"bpt", "ept", "ph", "it", "ut"}


def parse_tmx(root: etree._Element, filename: str = "") -> ExchangeDocument:
    if root.tag != "tmx":
        raise RecordError(_("This is not a TMX file (the root element is not tmx)."))
    header, body = root.find("header"), root.find("body")
    if header is None or body is None:
        raise RecordError(_("The TMX file needs a header and a body."))
    source_language = header.get("srclang", "")
    props = _props(header)
    units = sum(1 for _tu in body.iterfind("tu"))
    if units > settings.TMX_MAX_UNITS:
        raise RecordError(
            _("The translation memory holds %(count)s units; the limit is %(max)s (TMX_MAX_UNITS).")
            % {"count": units, "max": settings.TMX_MAX_UNITS}
        )
    memory = _Memory(source_language, props)
    for tu in body.iterfind("tu"):
        memory.add(tu)
    memory.assign_roles()
    if not memory.witnesses:
        raise RecordError(_("The translation memory holds no translation unit."))
    title = props.get("x-document") or _title(filename, memory)
    return ExchangeDocument(
        format="tmx",
        document={"title": title},
        witnesses=list(memory.witnesses.values()),
        alignments=list(memory.alignments.values()),
    )


def _props(element) -> dict[str, str]:
    return {p.get("type", ""): p.text or "" for p in element.iterfind("prop")}


def _title(filename: str, memory: "_Memory") -> str:
    if filename:
        return PurePath(filename).stem
    languages = "–".join(dict.fromkeys(w.values["language"] for w in memory.witnesses.values()))
    return _("Translation memory (%(languages)s)") % {"languages": languages}


def seg_text(seg: etree._Element) -> str:
    """The text of a seg: highlighted text kept, inline codes (original markup) left out."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in CODE_TAGS:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Memory:
    """Witnesses as their variants appear; alignments once every witness is known."""

    def __init__(self, source_language: str, header_props: dict[str, str]):
        self.source_language = bcp47(source_language).lower()
        self.header_props = header_props
        self.witnesses: dict[str, ExchangeWitness] = {}
        self.units: list[tuple[list[str], dict[str, tuple[str, ...]]]] = []
        self.source_votes: dict[str, int] = {}  # witness key -> units that take it as source

    def add(self, tu: etree._Element) -> None:
        variants = dict(self._variant(tuv) for tuv in tu.iterfind("tuv"))
        if not variants:
            return
        self.units.append((_props(tu).get("x-alignment", "").split(), variants))
        unit_source = bcp47(tu.get("srclang", "")).lower() or self.source_language
        for key in variants:
            if self.witnesses[key].values["language"].lower() == unit_source:
                self.source_votes[key] = self.source_votes.get(key, 0) + 1
                break

    @property
    def alignments(self) -> dict[tuple[str, str], ExchangeAlignment]:
        """Each unit is a row of its own pair (the export names it), else of every pair
        the source makes with another witness (a side the unit lacks is empty)."""
        source = self._source()
        alignments: dict[tuple[str, str], ExchangeAlignment] = {}
        for pair, variants in self.units:
            pairs = [tuple(pair)] if len(pair) == 2 else [(source, k) for k in self._others()]
            for left, right in pairs:
                alignment = alignments.setdefault(
                    (left, right), ExchangeAlignment(source=left, target=right)
                )
                row = Row(variants.get(left, ()), variants.get(right, ()))
                if not row.empty:
                    alignment.rows.append(row)
        return alignments

    def _source(self) -> str:
        for key, witness in self.witnesses.items():
            if witness.values["role"] == WitnessRole.ORIGINAL:
                return key
        return next(iter(self.witnesses))

    def _others(self) -> list[str]:
        source = self._source()
        return [key for key in self.witnesses if key != source]

    def assign_roles(self) -> None:
        """The original: the witness the export named, else the one most units start from."""
        named = {k for k in self.witnesses if self.header_props.get(f"x-role:{k}")}
        if named:
            return
        source = max(self.source_votes, key=self.source_votes.__getitem__, default=None)
        for key, witness in self.witnesses.items():
            original = key == (source or next(iter(self.witnesses)))
            witness.values["role"] = WitnessRole.ORIGINAL if original else WitnessRole.TRANSLATION
            witness.values["label"] = self.header_props.get(f"x-witness:{key}") or self._label(
                witness.values
            )

    @staticmethod
    def _label(values: dict) -> str:
        label = suggest_witness_label({"language": values["language"], "role": values["role"]})
        return label.strip() or language_name(values["language"]) or values["language"]

    def _variant(self, tuv: etree._Element) -> tuple[str, tuple[str, ...]]:
        """(witness key, the sids of its units in this row), creating what is new."""
        language = bcp47(tuv.get(XML_LANG) or tuv.get("lang") or "")
        if not language:
            raise RecordError(_("A translation unit variant (tuv) has no xml:lang."))
        props = _props(tuv)
        key = props.get("x-witness") or language.lower()
        witness = self.witnesses.get(key) or self._witness(key, language)
        seg = tuv.find("seg")
        texts = [t for t in seg_text(seg).split("\n") if t.strip()] if seg is not None else []
        sids = props.get("x-segments", "").split()
        if len(sids) != len(texts):
            sids = [""] * len(texts)
        row_sids = []
        for sid, text in zip(sids, texts, strict=True):
            sid = sid or f"p{witness.next_serial()}"
            if not witness.has_segment(sid):
                witness.segments.append(ExchangeSegment(sid, SegmentKind.PARAGRAPH, text))
            row_sids.append(sid)
        return key, tuple(row_sids)

    def _witness(self, key: str, language: str) -> ExchangeWitness:
        role = self.header_props.get(f"x-role:{key}")
        if role not in WitnessRole.values:
            role = WitnessRole.TRANSLATION  # until the units say which is the original
        values = {"language": language, "role": role}
        values["label"] = self.header_props.get(f"x-witness:{key}") or self._label(values)
        witness = ExchangeWitness(slug=key.lower(), values=values)
        self.witnesses[key] = witness
        return witness
