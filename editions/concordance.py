"""The parallel concordance: keyword-in-context lines and their aligned renderings.

A word or phrase is looked up in one language's witnesses, three ways:

- *stemmed*: through the full-text index (``search.stemmed_candidates``), which marks the
  words it matched; a line is a run of marked words in the order of the phrase;
- *exact*: the words as typed, whole, case-insensitive (accents count);
- *regex*: a regular expression, matched by RE2 (``check_pattern``), whose time is linear in
  the text whatever the pattern (Python's ``re`` backtracks: ``(e|é)+(e|é)+$`` takes cubic
  time on a run of letters, holding the interpreter lock); at most ``MAX_PATTERN`` characters.

Exact and regex read the segments in Python, in document date order, skipping those that
lack the pattern's literal text (``required_literals``, checked by the database), within a
budget of segments and seconds per query (``settings.CONCORDANCE_*``): a pattern without a
literal stops at the budget, and the page says so.

Beside each line stands the aligned rendering in every other witness of the document: the
alignment row (directly, or through the pivot witness as the synopsis does), narrowed to the
sentence and the word by ``counterparts.locate``. The renderings are counted per translator.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import re2
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import search
from .counterparts import Located, locate
from .models import Document, Witness, WitnessRole

MAX_PATTERN = 100
MAX_LINES = 100  # lines read, sorted and counted; more are reported as left out
SCAN_CHUNK = 1000  # segments per query: fewer round trips (each sorts the candidates again)
CONTEXT = 70  # characters of context on each side of a hit
MODES = ("stemmed", "exact", "regex")
SORTS = ("date", "left", "right", "translator")


class PatternError(ValueError):
    """A regular expression the concordance refuses, with the reason in words."""


# --- Regular expressions -----------------------------------------------------------------

# Errors RE2 gives for Perl features it leaves out on purpose (they need backtracking).
_LOOKBEHIND = gettext_lazy("Look-behind such as (?<=…) or (?<!…) is not supported.")
_LOOKAHEAD = gettext_lazy("Look-ahead such as (?=…) or (?!…) is not supported.")
_BACKREFERENCES = gettext_lazy("Back-references such as \\1 are not supported.")
_UNSUPPORTED = (
    ("(?<=", _LOOKBEHIND),
    ("(?<!", _LOOKBEHIND),
    ("(?=", _LOOKAHEAD),
    ("(?!", _LOOKAHEAD),
    ("(?P=", _BACKREFERENCES),
)
_BACKREFERENCE = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]")


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a refused pattern is the user's, answered in words
    options.max_mem = settings.CONCORDANCE_REGEX_MAX_MEMORY
    return options


def check_pattern(pattern: str) -> re2._Regexp:
    """The pattern compiled by RE2 (case-insensitive), or a ``PatternError`` saying why not.

    RE2 matches in time linear in the text, whatever the pattern: no pattern can keep the
    server busy, so none is refused for its shape, only for what RE2 does not do.
    """
    if not pattern.strip():
        raise PatternError(_("Type a word, a phrase or a pattern."))
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            _("The pattern is %(length)s characters long; the limit is %(max)s.")
            % {"length": len(pattern), "max": MAX_PATTERN}
        )
    if _BACKREFERENCE.search(pattern):
        raise PatternError(str(_BACKREFERENCES))
    for opening, reason in _UNSUPPORTED:
        if opening in pattern:
            raise PatternError(str(reason))
    try:
        compiled = re2.compile(pattern, _re2_options())
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise PatternError(
            _("This is not a valid regular expression: %(error)s.") % {"error": detail}
        ) from exc
    if compiled.fullmatch("") or compiled.search(" ") and not compiled.search(" ").group():
        raise PatternError(_("The pattern matches the empty string, hence everywhere."))
    return compiled


def exact_pattern(text: str) -> re.Pattern[str]:
    """The words as typed, whole, case-insensitive, any white space between them."""
    words = text.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


_ASCII_RUN = re.compile(r"[A-Za-z0-9]{3,}")
_CLASS_ESCAPES = frozenset("dDwWsSbBpPAzQECx0123456789")


def required_literals(pattern: re2._Regexp | re.Pattern[str]) -> list[str]:
    """ASCII strings (3 characters or more) that every match contains.

    Only the pattern's top level counts: literals inside a group, an alternative or an
    optional part may be missing from a match. ASCII only, because the databases' LIKE folds
    the case of ASCII letters only, and the pattern ignores case. When in doubt, a character
    ends the run: a missing literal only makes the reading longer, never wrong.
    """
    runs = _top_level_runs(pattern.pattern)
    found = [m.group() for run in runs for m in _ASCII_RUN.finditer(run)]
    return sorted(set(found), key=lambda run: (-len(run), run))[:3]


def _top_level_runs(text: str) -> list[str]:
    """The runs of plain characters outside groups and classes (none if | splits the top)."""
    runs, current, i, depth = [], [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            escaped = text[i + 1]
            i += 2
            if depth == 0 and escaped not in _CLASS_ESCAPES and not escaped.isalnum():
                current.append(escaped)
                continue
            char = ""  # a class or an assertion: the run ends
        elif char == "[":
            i = _class_end(text, i)
            char = ""
        elif char == "{":
            i = text.find("}", i) + 1 or len(text)
        else:
            i += 1
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "|" and depth == 0:
            return []
        elif depth == 0 and char and char not in ".^$":
            if char in "?*{":  # the character before may be absent
                current = current[:-1]
            elif char != "+":
                current.append(char)
                continue
        if depth == 0 or char == "(":
            runs.append("".join(current))
            current = []
    runs.append("".join(current))
    return runs


def _class_end(text: str, start: int) -> int:
    """The index just past the character class opening at ``start``."""
    i = start + 1
    if i < len(text) and text[i] == "^":
        i += 1
    if i < len(text) and text[i] == "]":
        i += 1
    while i < len(text) and text[i] != "]":
        i += 2 if text[i] == "\\" else 1
    return i + 1


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
    found, lines, after = [], 0, ()
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
