"""The parallel concordance: keyword-in-context lines and their aligned renderings.

A word or phrase is looked up in one language's witnesses, three ways:

- *stemmed*: through the full-text index (``search.stemmed_candidates``), which marks the
  words it matched; a line is a run of marked words in the order of the phrase;
- *exact*: the words as typed, whole, case-insensitive (accents count);
- *regex*: a regular expression, checked first (``check_pattern``) so that no pattern can
  keep the server busy: no back-references, no nested or ambiguous quantifiers, no unbounded
  ``.*``, at most ``MAX_PATTERN`` characters.

Exact and regex read the segments in Python, in document date order, skipping those that
lack the pattern's literal text (``required_literals``, checked by the database).

Beside each line stands the aligned rendering in every other witness of the document: the
alignment row (directly, or through the pivot witness as the synopsis does), narrowed to the
sentence and the word by ``counterparts.locate``. The renderings are counted per translator.
"""

from __future__ import annotations

import csv
import io
import re
import re._constants as sre_constants
import re._parser as sre_parse
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from . import search
from .counterparts import Located, locate
from .models import Document, Witness, WitnessRole

MAX_PATTERN = 100
MAX_LINES = 100  # lines read, sorted and counted; more are reported as left out
SCAN_CHUNK = 400
MAX_SCANNED = 60_000  # segments read in Python for one exact or regex query
CONTEXT = 70  # characters of context on each side of a hit
MODES = ("stemmed", "exact", "regex")
SORTS = ("date", "left", "right", "translator")


class PatternError(ValueError):
    """A regular expression the concordance refuses, with the reason in words."""


# --- Regular expressions -----------------------------------------------------------------

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT}
_UNBOUNDED = sre_constants.MAXREPEAT
MAX_COUNT = 50  # the largest {n,m} bound
# Characters to tell a pattern item's reach: does it match letters, spaces, punctuation?
_PROBES = "aZé9_ \t\n.,;'’-«»()"


def _probe_set(item: list) -> frozenset[str]:
    """The probe characters one pattern item can match (nothing, for a zero-width one)."""
    if item[0][0] is sre_constants.AT:
        return frozenset()
    pattern = sre_parse.SubPattern(sre_parse.State(), item)
    try:
        compiled = re.compile(_unparse(pattern), re.IGNORECASE)
    except re.error:
        return frozenset(_PROBES)
    return frozenset(c for c in _PROBES if compiled.match(c))


def _unparse(pattern) -> str:
    """Enough of sre_parse's inverse for single items: literals, sets, categories, ANY."""
    parts = []
    for op, av in pattern.data:
        if op is sre_constants.LITERAL:
            parts.append(re.escape(chr(av)))
        elif op is sre_constants.NOT_LITERAL:
            parts.append(f"[^{re.escape(chr(av))}]")
        elif op is sre_constants.ANY:
            parts.append("(?s:.)")
        elif op is sre_constants.IN:
            parts.append(_unparse_set(av))
        else:
            raise re.error("not a single item")
    return "".join(parts)


_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
}


def _unparse_set(items) -> str:
    negate, body = "", []
    for op, av in items:
        if op is sre_constants.NEGATE:
            negate = "^"
        elif op is sre_constants.LITERAL:
            body.append(re.escape(chr(av)))
        elif op is sre_constants.RANGE:
            body.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre_constants.CATEGORY:
            body.append(_CATEGORIES.get(av, r"\w"))
        else:
            body.append(r"\s\S")
    return f"[{negate}{''.join(body)}]"


@dataclass
class _Reach:
    """Variable-length repeats in a row whose characters overlap: \\w+\\w+ backtracks."""

    chars: frozenset[str] = frozenset()
    depth: int = 0


def _check_sequence(items, reach: _Reach) -> _Reach:
    for op, av in items:
        if op in _REPEATS:
            reach = _check_repeat(av, reach)
        elif op is sre_constants.SUBPATTERN:
            reach = _check_sequence(av[3].data, reach)
        elif op is sre_constants.ATOMIC_GROUP:
            reach = _check_sequence(av.data, reach)
        elif op is sre_constants.BRANCH:
            ends = [
                _check_sequence(branch.data, _Reach(reach.chars, reach.depth)) for branch in av[1]
            ]
            reach = _Reach(frozenset().union(*(e.chars for e in ends)), max(e.depth for e in ends))
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _check_sequence(av[1].data, _Reach())
        elif op in (sre_constants.GROUPREF, sre_constants.GROUPREF_EXISTS):
            raise PatternError(_("Back-references such as \\1 are not supported."))
        elif op is not sre_constants.AT:
            chars = _probe_set([(op, av)])
            if not chars & reach.chars:
                reach = _Reach()  # a character the repeats before cannot take: they end here
    return reach


def _check_repeat(av, reach: _Reach) -> _Reach:
    low, high, body = av
    if high is not _UNBOUNDED and high > MAX_COUNT or low > MAX_COUNT:
        raise PatternError(
            _("Counted repetitions go up to %(max)s, as in {0,%(max)s}.") % {"max": MAX_COUNT}
        )
    if any(op in _REPEATS or op is sre_constants.BRANCH for op, _av in _walk(body.data)):
        raise PatternError(
            _("A repeated group may not hold another repetition or alternatives, as (a+)+ does.")
        )
    if body.getwidth()[0] == 0:
        raise PatternError(_("A repeated part must match at least one character."))
    chars = frozenset().union(*(_probe_set([item]) for item in _walk(body.data)))
    if high is _UNBOUNDED and {" ", "a"} <= chars:
        raise PatternError(
            _(
                "An unbounded repetition may not match both letters and spaces, as .* does: "
                "it would run across whole paragraphs. Use a bound, as in .{0,40}, or \\w+."
            )
        )
    if low == high:
        return reach if chars & reach.chars else _Reach()
    depth = reach.depth + 1 if chars & reach.chars else 1
    if depth > 2:
        raise PatternError(
            _(
                "Repetitions that can match the same characters follow each other, "
                "as in \\w*\\w*\\w*."
            )
        )
    return _Reach(reach.chars | chars if depth > 1 else chars, depth)


def _walk(items) -> Iterator[tuple]:
    """Every item, groups opened, repeats and branches included."""
    for op, av in items:
        if op is sre_constants.SUBPATTERN:
            yield from _walk(av[3].data)
        elif op is sre_constants.ATOMIC_GROUP:
            yield from _walk(av.data)
        elif op is sre_constants.BRANCH:
            yield (op, av)
            for branch in av[1]:
                yield from _walk(branch.data)
        elif op in _REPEATS:
            yield (op, av)
            yield from _walk(av[2].data)
        else:
            yield (op, av)


def check_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled pattern (case-insensitive), or a ``PatternError`` saying what is wrong."""
    if not pattern.strip():
        raise PatternError(_("Type a word, a phrase or a pattern."))
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            _("The pattern is %(length)s characters long; the limit is %(max)s.")
            % {"length": len(pattern), "max": MAX_PATTERN}
        )
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
        compiled = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise PatternError(
            _("This is not a valid regular expression: %(error)s.") % {"error": exc}
        ) from exc
    _check_sequence(parsed.data, _Reach())
    if parsed.getwidth()[0] == 0:
        raise PatternError(_("The pattern matches the empty string, hence everywhere."))
    return compiled


def exact_pattern(text: str) -> re.Pattern[str]:
    """The words as typed, whole, case-insensitive, any white space between them."""
    words = text.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


_ASCII_RUN = re.compile(r"[A-Za-z0-9]{3,}")


def required_literals(pattern: re.Pattern[str]) -> list[str]:
    """ASCII strings (3 characters or more) that every match contains.

    Only the pattern's top level counts: literals inside a group, an alternative or an
    optional part may be missing from a match. ASCII only, because the databases' LIKE folds
    the case of ASCII letters only, and the pattern ignores case.
    """
    runs, current = [], []
    for op, av in sre_parse.parse(pattern.pattern, pattern.flags).data:
        if op is sre_constants.LITERAL:
            current.append(chr(av))
            continue
        runs.append("".join(current))
        current = []
        if op in _REPEATS and av[0] >= 1 and all(o is sre_constants.LITERAL for o, _ in av[2].data):
            runs.append("".join(chr(v) for _o, v in av[2].data))
    runs.append("".join(current))
    found = [m.group() for run in runs for m in _ASCII_RUN.finditer(run)]
    return sorted(set(found), key=len, reverse=True)[:3]


# --- Lines -----------------------------------------------------------------------------------


@dataclass
class Rendering:
    """One other witness's aligned text for a line: the row, and what was located in it."""

    witness: Witness
    sids: list[str] = field(default_factory=list)
    text: str = ""
    located: Located | None = None

    @property
    def aligned(self) -> bool:
        return bool(self.sids)

    @property
    def words(self) -> str:
        if self.located is None or self.located.words is None:
            return ""
        start, end = self.located.words
        return " ".join(self.text[start:end].split())

    @property
    def sentence(self) -> str:
        if self.located is None or self.located.sentence is None:
            return self.text
        start, end = self.located.sentence
        return self.text[start:end]

    @property
    def marked_sentence(self) -> str:
        """The counterpart sentence with the rendering between ``search`` marks."""
        if self.located is None:
            return self.text
        start, end = self.located.sentence or (0, len(self.text))
        if self.located.words is None:
            return self.text[start:end]
        w0, w1 = self.located.words
        text = self.text
        return text[start:w0] + search.MARK_START + text[w0:w1] + search.MARK_END + text[w1:end]

    @property
    def anchor(self) -> str:
        return f"{self.witness.slug}-{self.sids[0]}" if self.sids else ""


@dataclass
class Line:
    document: Document
    witness: Witness
    sid: str
    text: str
    start: int
    end: int
    renderings: list[Rendering] = field(default_factory=list)

    @property
    def keyword(self) -> str:
        return self.text[self.start : self.end]

    @property
    def left(self) -> str:
        cut = max(0, self.start - CONTEXT)
        left = self.text[cut : self.start]
        if cut > 0:
            left = "…" + left.split(" ", 1)[-1] if " " in left else "…" + left
        return " ".join(left.split("\n"))

    @property
    def right(self) -> str:
        cut = min(len(self.text), self.end + CONTEXT)
        right = self.text[self.end : cut]
        if cut < len(self.text):
            right = right.rsplit(" ", 1)[0] + "…" if " " in right else right + "…"
        return " ".join(right.split("\n"))

    @property
    def anchor(self) -> str:
        return f"{self.witness.slug}-{self.sid}"

    @property
    def url(self) -> str:
        return f"{self.document.get_absolute_url()}#{self.anchor}"

    @property
    def translator(self) -> str:
        return self.witness.translator or self.witness.label


_MARKED = re.compile(f"{search.MARK_START}([^{search.MARK_END}]*){search.MARK_END}")


def marked_spans(marked: str) -> list[tuple[int, int]]:
    """Offsets, in the unmarked text, of the spans between marks."""
    spans, removed = [], 0
    for match in _MARKED.finditer(marked):
        start = match.start() - removed
        spans.append((start, start + len(match.group(1))))
        removed += 2
    return spans


_WORD = re.compile(r"[^\W_]+")


def phrase_hits(
    text: str, marked: str, phrase: str, lexemes: Sequence[bool]
) -> list[tuple[int, int]]:
    """Runs of the text's words that realise the phrase: one word per word of the phrase.

    A word the index keeps must be marked and be like the phrase's word (the index marks
    every word matching *any* of the phrase's words); a stop word it drops may be any word.
    """
    typed = [search.fold(w) for w in _WORD.findall(phrase)]
    if not typed or not any(lexemes):
        return []
    if len(typed) == 1:  # one word: the marks are the hits
        spans = marked_spans(marked)
        return [(a, b) for a, b in spans if _alike(search.fold(text[a:b]), typed[0])]
    words = [(m.start(), m.end(), search.fold(m.group())) for m in _WORD.finditer(text)]
    is_marked = _marked_words(words, marked_spans(marked))
    hits, k = [], 0
    while k + len(typed) <= len(words):
        if all(
            not keep or (is_marked[k + n] and _alike(words[k + n][2], typed[n]))
            for n, keep in enumerate(lexemes)
        ):
            hits.append((words[k][0], words[k + len(typed) - 1][1]))
            k += len(typed)
        else:
            k += 1
    return hits


def _marked_words(words: list[tuple[int, int, str]], spans: list[tuple[int, int]]) -> list[bool]:
    """For each word, whether it lies inside a marked span (both lists in text order)."""
    flags, s = [], 0
    for start, end, _word in words:
        while s < len(spans) and spans[s][1] <= start:
            s += 1
        flags.append(s < len(spans) and spans[s][0] <= start and end <= spans[s][1])
    return flags


def _alike(word: str, typed: str) -> bool:
    """Whether the index may have matched ``word`` for ``typed``: the same word, or both
    beginning alike (a stem of a long word is never short)."""
    if len(typed) < search.MIN_PREFIX or len(word) < search.MIN_PREFIX:
        return word.rstrip("sx") == typed.rstrip("sx")
    return word[:4] == typed[:4]


# --- Building the concordance ------------------------------------------------------------


@dataclass
class Concordance:
    lines: list[Line]
    total: int  # lines found, or at least that many when ``complete`` is False
    complete: bool
    counts: list[tuple[str, list[tuple[str, int, bool]], int]] = field(default_factory=list)


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
    if query.mode == "stemmed":
        found, complete = _stemmed_hits(query.text, filters)
    elif query.mode == "regex":
        found, complete = _scanned_hits(check_pattern(query.text), filters)
    else:
        # The exact words are among the index's stemmed matches: it narrows the reading.
        indexed = any(search.lexeme_flags(query.text, query.language))
        phrase = query.text if indexed else ""
        found, complete = _scanned_hits(exact_pattern(query.text), filters, phrase)
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
    return Concordance(sort_lines(lines, query.sort), total, complete, counts(lines))


def _stemmed_hits(text: str, filters: search.Filters):
    candidates, total = search.stemmed_candidates(text, filters, limit=MAX_LINES)
    lexemes = search.lexeme_flags(text, filters.language)
    found = [(c, phrase_hits(c.text, c.marked, text, lexemes)) for c in candidates]
    return [(c, hits) for c, hits in found if hits], total <= len(candidates)


def _scanned_hits(pattern: re.Pattern[str], filters: search.Filters, phrase: str = ""):
    found, lines, scanned, after = [], 0, 0, ()
    literals = required_literals(pattern)
    while lines <= MAX_LINES and scanned < MAX_SCANNED:
        chunk = search.scan_candidates(
            filters, literals=literals, phrase=phrase, after=after, limit=SCAN_CHUNK
        )
        for candidate in chunk:
            hits = [m.span() for m in pattern.finditer(candidate.text) if m.end() > m.start()]
            if hits:
                found.append((candidate, hits))
                lines += len(hits)
        scanned += len(chunk)
        if len(chunk) < SCAN_CHUNK:
            return found, True
        after = chunk[-1].order
    return found, False


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
    via = set()
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


# --- Sorting and counting ----------------------------------------------------------------


def _words_key(text: str) -> tuple[str, ...]:
    return tuple(search.fold(w) for w in _WORD.findall(text))


def sort_lines(lines: list[Line], how: str) -> list[Line]:
    # Sorting is stable: lines of one document keep their text order, as they were read.
    def by_date(line: Line) -> tuple:
        document = line.document
        return (document.date is None, document.date or "", document.title, document.pk or 0)

    keys = {
        "date": by_date,
        "left": lambda ln: (_words_key(ln.left)[::-1], by_date(ln)),
        "right": lambda ln: (_words_key(ln.right), by_date(ln)),
        "translator": lambda ln: (search.fold(ln.translator), by_date(ln)),
    }
    return sorted(lines, key=keys.get(how, by_date))


def counts(lines: Sequence[Line]) -> list[tuple[str, list[tuple[str, int, bool]], int]]:
    """Per translator of the renderings: (rendering, count, approximate), and how many lines
    had no rendering located. Renderings are compared in lower case."""
    found: dict[str, Counter] = defaultdict(Counter)
    approximate: dict[str, set[str]] = defaultdict(set)
    unlocated: Counter = Counter()
    for line in lines:
        for rendering in line.renderings:
            translator = rendering.witness.translator or rendering.witness.label
            words = rendering.words.lower()
            if not words:
                unlocated[translator] += rendering.aligned
                continue
            found[translator][words] += 1
            if rendering.located and rendering.located.approximate:
                approximate[translator].add(words)
    names = sorted(set(found) | {t for t, n in unlocated.items() if n}, key=search.fold)
    return [
        (
            name,
            [(words, n, words in approximate[name]) for words, n in found[name].most_common()],
            unlocated[name],
        )
        for name in names
    ]


# --- CSV -------------------------------------------------------------------------------------

CSV_HEADER = [
    "document",
    "date",
    "witness",
    "language",
    "translator",
    "segment",
    "left",
    "keyword",
    "right",
    "rendering witness",
    "rendering translator",
    "rendering",
    "approximate",
    "aligned sentence",
    "link",
]


def csv_cell(value) -> str:
    """A cell a spreadsheet will not run: formula-leading characters are quoted away."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def to_csv(concordance: Concordance, base_url: str = "") -> str:
    """One row per line and rendering (one row for a line with none)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for line in concordance.lines:
        head = [
            line.document.title,
            line.document.date.isoformat() if line.document.date else "",
            line.witness.label,
            line.witness.language,
            line.witness.translator,
            line.sid,
            line.left,
            line.keyword,
            line.right,
        ]
        for rendering in line.renderings or [None]:
            tail = ["", "", "", "", ""]
            if rendering is not None:
                approximate = rendering.located is not None and rendering.located.approximate
                tail = [
                    rendering.witness.label,
                    rendering.witness.translator,
                    rendering.words,
                    "yes" if approximate else "",
                    " ".join(rendering.sentence.split()),
                ]
            writer.writerow([csv_cell(v) for v in head + tail + [base_url + line.url]])
    return out.getvalue()
