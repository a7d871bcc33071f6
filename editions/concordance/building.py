"""Building a concordance: its lines read through the index (stemmed) or in Python within
a budget (exact, regex), then each line's renderings in the other witnesses of its document."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.utils.translation import gettext as _

from .. import search
from ..counterparts import locate
from ..models import Document, Witness, WitnessRole
from .lines import Line, Rendering, counts, phrase_hits, sort_lines
from .patterns import check_pattern, exact_pattern, required_literals

MAX_LINES = 100  # lines read, sorted and counted; more are reported as left out
SCAN_CHUNK = 1000  # segments per query: fewer round trips (each sorts the candidates again)
MODES = ("stemmed", "exact", "regex")


@dataclass
class Concordance:
    lines: list[Line]
    total: int  # lines found, or at least that many when ``complete`` is False
    complete: bool
    counts: list[tuple[str, list[tuple[str, int, bool]], int]] = field(default_factory=list)
    stopped: str = ""  # why the reading stopped before the end (its budget), if it did


@dataclass(frozen=True)
class Query:
    text: str
    language: str
    mode: str = "stemmed"
    sort: str = "date"


def build(query: Query, filters: search.Filters) -> Concordance:
    """Every line (up to ``MAX_LINES``), sorted, with renderings and per-translator counts.

    Raises ``PatternError`` for a regular expression it refuses.
    """
    filters = replace(filters, language=query.language)
    stopped = ""
    if query.mode == "stemmed":
        found, complete = _stemmed_hits(query.text, filters)
    elif query.mode == "regex":
        found, complete, stopped = _scanned_hits(check_pattern(query.text), filters)
    else:
        # The exact words are among the index's stemmed matches: it narrows the reading.
        indexed = any(search.lexeme_flags(query.text, query.language))
        phrase = query.text if indexed else ""
        found, complete, stopped = _scanned_hits(exact_pattern(query.text), filters, phrase)
    witnesses = _witnesses({candidate.document_id for candidate, _hits in found})
    lines = [
        Line(
            document=witnesses[c.witness_id].document,
            witness=witnesses[c.witness_id],
            sid=c.sid,
            text=c.text,
            start=start,
            end=end,
        )
        for c, hits in found
        for start, end in hits
    ]
    total = len(lines)
    complete = complete and total <= MAX_LINES
    lines = lines[:MAX_LINES]
    add_renderings(lines, witnesses)
    return Concordance(sort_lines(lines, query.sort), total, complete, counts(lines), stopped)


def _stemmed_hits(text: str, filters: search.Filters):
    candidates, total = search.stemmed_candidates(text, filters, limit=MAX_LINES)
    lexemes = search.lexeme_flags(text, filters.language)
    found = [(c, phrase_hits(c.text, c.marked, text, lexemes)) for c in candidates]
    return [(c, hits) for c, hits in found if hits], total <= len(candidates)


@dataclass
class _Budget:
    """How much one exact or regex query may read: segments, and seconds."""

    segments: int
    seconds: float
    scanned: int = 0
    started: float = field(default_factory=time.monotonic)
    stopped: str = ""

    def spend(self) -> bool:
        """Count one segment read; False (with the reason kept) once the budget is spent."""
        self.scanned += 1
        if self.scanned > self.segments:
            self.stopped = _(
                "The reading stopped after %(max)s segments, the limit of one query: "
                "add a word the pattern must contain, or narrow it with the filters."
            ) % {"max": self.segments}
        elif time.monotonic() - self.started > self.seconds:
            self.stopped = _(
                "The reading stopped after %(seconds)s seconds, the limit of one query: "
                "add a word the pattern must contain, or narrow it with the filters."
            ) % {"seconds": self.seconds}
        return not self.stopped


def _scanned_hits(pattern, filters: search.Filters, phrase: str = ""):
    """Candidates and their hits, whether the reading was complete, and why it stopped."""
    found: list[tuple] = []
    lines, after = 0, ()
    literals = required_literals(pattern)
    budget = _Budget(settings.CONCORDANCE_MAX_SCANNED, settings.CONCORDANCE_TIME_BUDGET)
    while lines <= MAX_LINES:
        chunk = search.scan_candidates(
            filters, literals=literals, phrase=phrase, after=after, limit=SCAN_CHUNK
        )
        for candidate in chunk:
            if not budget.spend():
                return found, False, budget.stopped
            hits = [m.span() for m in pattern.finditer(candidate.text) if m.end() > m.start()]
            if hits:
                found.append((candidate, hits))
                lines += len(hits)
        if len(chunk) < SCAN_CHUNK:
            return found, True, ""
        after = chunk[-1].order
    return found, False, ""


def _witnesses(document_ids: set[int]) -> dict[int, Witness]:
    documents = (
        Document.objects.filter(pk__in=document_ids)
        .select_related("edition")
        .only("slug", "title", "date", "edition__slug", "edition__title")
    )
    by_id = {d.pk: d for d in documents}
    witnesses = (
        Witness.objects.filter(document_id__in=document_ids)
        .only("slug", "label", "language", "role", "translator", "document_id")
        .order_by("pk")
    )
    for witness in witnesses:
        witness.document = by_id[witness.document_id]
    return {w.pk: w for w in witnesses}


def _pivot(witnesses: list[Witness]) -> Witness:
    """The original, or the first witness: the synopsis's pivot."""
    return min(witnesses, key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))


def add_renderings(lines: list[Line], witnesses: dict[int, Witness]) -> None:
    """Each line's aligned rows in the document's other witnesses, located to the word."""
    by_document: dict[int, list[Witness]] = defaultdict(list)
    for witness in witnesses.values():
        by_document[witness.document_id].append(witness)
    first = _rows_by_key(search.rows_containing({(ln.witness.pk, ln.sid) for ln in lines}))
    # Through the pivot: the pivot's units of each line's row, then their rows.
    via: set[tuple[int, str]] = set()
    for line in lines:
        pivot = _pivot(by_document[line.witness.document_id])
        for row in first.get((line.witness.pk, line.sid), []):
            if row.other_id == pivot.pk:
                via.update((pivot.pk, sid) for sid in row.other_side)
    second = _rows_by_key(search.rows_containing(sorted(via)))
    cells = {
        line_key: _cells(line, by_document[line.witness.document_id], first, second)
        for line_key, line in ((id(line), line) for line in lines)
    }
    texts = search.segment_texts(
        [(w, sid) for cell in cells.values() for side in cell.values() for w, sid in side]
    )
    for line in lines:
        for other in sorted(by_document[line.witness.document_id], key=_witness_order):
            if other.pk != line.witness.pk:
                line.renderings.append(_rendering(line, other, cells[id(line)], texts))


def _witness_order(witness: Witness) -> tuple:
    return (witness.role != WitnessRole.ORIGINAL, witness.pk)


def _rows_by_key(rows: list[search.RowHit]) -> dict[tuple[int, str], list[search.RowHit]]:
    keyed: dict[tuple[int, str], list[search.RowHit]] = defaultdict(list)
    for row in rows:
        keyed[(row.witness_id, row.sid)].append(row)
    return keyed


def _cells(line: Line, witnesses: list[Witness], first, second) -> dict:
    """(witness, sid) units per side: the line's side under key 0, each other witness's."""
    rows = first.get((line.witness.pk, line.sid), [])
    cells: dict = {0: [(line.witness.pk, line.sid)]}
    direct = {row.other_id: row for row in rows}
    pivot = _pivot(witnesses)
    for other in witnesses:
        if other.pk == line.witness.pk:
            continue
        if other.pk in direct:
            row = direct[other.pk]
            cells[other.pk] = [(other.pk, sid) for sid in row.other_side]
            cells[(0, other.pk)] = [(line.witness.pk, sid) for sid in row.this_side]
        elif pivot.pk in direct:
            row = direct[pivot.pk]
            units = [
                (other.pk, sid)
                for psid in row.other_side
                for hop in second.get((pivot.pk, psid), [])
                if hop.other_id == other.pk
                for sid in hop.other_side
            ]
            cells[other.pk] = list(dict.fromkeys(units))
            cells[(0, other.pk)] = [(line.witness.pk, sid) for sid in row.this_side]
    return cells


def _joined(units, texts) -> tuple[str, list[str], dict[str, int]]:
    """The units' texts joined by blank lines (in text order), their sids, their offsets."""
    present = sorted((texts[u] for u in units if u in texts), key=lambda t: t[0])
    sids = [u[1] for u in sorted((u for u in units if u in texts), key=lambda u: texts[u][0])]
    offsets, parts, offset = {}, [], 0
    for sid, (_position, text) in zip(sids, present, strict=True):
        offsets[sid] = offset
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts), sids, offsets


def _rendering(line: Line, other: Witness, cells: dict, texts) -> Rendering:
    if not cells.get(other.pk):
        return Rendering(other)
    text, sids, _offsets = _joined(cells[other.pk], texts)
    source_units = cells.get((0, other.pk)) or [(line.witness.pk, line.sid)]
    source, _sids, offsets = _joined(source_units, texts)
    shift = offsets.get(line.sid, 0)
    if line.sid not in offsets:
        source, shift = line.text, 0
    located = locate(
        source,
        (line.start + shift, line.end + shift),
        line.witness.language,
        text,
        other.language,
    )
    return Rendering(other, sids, text, located)
