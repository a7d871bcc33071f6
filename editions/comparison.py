"""Comparing witnesses row by row: word diffs, shared anchors, and the variation map.

Rows pair the two witnesses' segments. A revision and the witness it revises (or two
revisions of one text) share their segment ids, so their rows pair segments by sid. Other
witnesses meet through the synopsis: each is aligned with the original, and the synopsis rows
put side by side what renders the same part of it.

Two texts in one language get a word diff (``diffing.word_diff``) and a similarity figure;
texts in different languages get their shared anchors highlighted instead (numbers, names,
cognates: ``alignment.anchors``). Results are cached per pair of segment versions.
"""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from statistics import fmean
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .alignment.anchors import FOOTNOTE, MONTH, NUMBER, WEEKDAY, anchors, is_cognate, tokens
from .diff_html import diff_html
from .diffing import DiffOp, similarity, tokenize, word_diff
from .models import (
    Alignment,
    AlignmentRow,
    Segment,
    SegmentKind,
    SegmentRevision,
    Witness,
    WitnessRole,
)
from .synopsis import Synopsis, build_synopsis

# Cached results never go stale (their keys name the segment versions); this only bounds
# how long an unused entry occupies the cache.
CACHE_SECONDS = 30 * 24 * 3600
# Words and anchors are compared as the variation map states on the page.
VARIATION_OPTIONS = {"ignore_case": True, "ignore_punctuation": True}
MOST_DIVERGENT = 5
# What pairing reads: a long document's rows and segments load faster without the rest.
SEGMENT_FIELDS = ("id", "witness_id", "sid", "kind", "position", "text", "version")
ROW_FIELDS = (
    "id",
    "alignment_id",
    "position",
    "source_sids",
    "target_sids",
    "confidence",
    "status",
)


@dataclass(frozen=True)
class CompareOptions:
    """What counts as a difference (the diff page's toggles)."""

    show_punctuation: bool = True
    show_whitespace: bool = False
    ignore_case: bool = False

    def diff_options(self) -> dict[str, bool]:
        return {
            "ignore_case": self.ignore_case,
            "ignore_punctuation": not self.show_punctuation,
            "ignore_whitespace": not self.show_whitespace,
        }

    @property
    def key(self) -> str:
        flags = (self.show_punctuation, self.show_whitespace, self.ignore_case)
        return "".join("1" if flag else "0" for flag in flags)


# -- Pairing rows --------------------------------------------------------------------------


@dataclass
class PairedRow:
    """The segments of each witness that face each other (either side may be empty)."""

    a: list[Segment]
    b: list[Segment]

    @property
    def a_text(self) -> str:
        return "\n".join(s.text for s in self.a)

    @property
    def b_text(self) -> str:
        return "\n".join(s.text for s in self.b)


@dataclass
class Pairing:
    rows: list[PairedRow] = field(default_factory=list)
    # "sid" (one lineage of revisions), "alignment" (through the synopsis), or "" (no rows).
    method: str = ""
    problem: str = ""


def lineage_root(witness: Witness) -> Witness:
    """The witness a chain of revisions started from."""
    seen = {witness.pk}
    # (No revision_of_id: revision_of is None, without a query.)
    while witness.revision_of_id not in seen and (parent := witness.revision_of) is not None:
        witness = parent
        seen.add(witness.pk)
    return witness


def pair_rows(a: Witness, b: Witness) -> Pairing:
    """The rows of a comparison of ``a`` with ``b`` (two witnesses of one document)."""
    if a.document_id != b.document_id:
        raise ValueError("Witnesses of two documents cannot be compared row by row.")
    witnesses = _witnesses_with_segments(a.document_id)
    a, b = witnesses[a.pk], witnesses[b.pk]
    if lineage_root(a).pk == lineage_root(b).pk:
        return Pairing(pair_by_sid(_in_text_order(a), _in_text_order(b)), "sid")
    rows = AlignmentRow.objects.only(*ROW_FIELDS)
    alignments = list(
        Alignment.objects.filter(document_id=a.document_id).prefetch_related(
            Prefetch("rows", queryset=rows)
        )
    )
    ordered = sorted(witnesses.values(), key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))
    # Through the original first; failing that, a direct alignment of the two.
    for pivot in dict.fromkeys([ordered[0], a]):
        others = [w for w in (a, b) if w.pk != pivot.pk]
        synopsis = build_synopsis([pivot, *others], alignments)
        if synopsis is not None and {a.pk, b.pk} <= {w.pk for w in synopsis.columns}:
            return Pairing(_rows_from_synopsis(synopsis, a, b), "alignment")
    problem = _(
        "These two texts are not aligned: align each of them with the original "
        "(or one with the other) on the document page, then compare them."
    )
    return Pairing(problem=problem)


def _witnesses_with_segments(document_id: int) -> dict[int, Witness]:
    segments = Segment.objects.only(*SEGMENT_FIELDS)
    witnesses = Witness.objects.filter(document_id=document_id).prefetch_related(
        Prefetch("segments", queryset=segments)
    )
    return {w.pk: w for w in witnesses}


def _in_text_order(witness: Witness) -> list[Segment]:
    """Headings and paragraphs in order, then the footnotes, as the document page shows them."""
    segments = witness.segments.all()
    return sorted(segments, key=lambda s: (s.kind == SegmentKind.FOOTNOTE, s.position))


def pair_by_sid(a: Sequence[Segment], b: Sequence[Segment]) -> list[PairedRow]:
    """One row per sid, in ``a``'s order; segments only ``b`` has follow their predecessor."""
    a_sids = {s.sid for s in a}
    b_by_sid = {s.sid: s for s in b}
    added_after: dict[str | None, list[Segment]] = defaultdict(list)
    previous: str | None = None
    for segment in b:
        if segment.sid in a_sids:
            previous = segment.sid
        else:
            added_after[previous].append(segment)
    rows = [PairedRow([], [s]) for s in added_after[None]]
    for segment in a:
        counterpart = b_by_sid.get(segment.sid)
        rows.append(PairedRow([segment], [counterpart] if counterpart else []))
        rows.extend(PairedRow([], [s]) for s in added_after[segment.sid])
    return rows


def _rows_from_synopsis(synopsis: Synopsis, a: Witness, b: Witness) -> list[PairedRow]:
    column = {w.pk: n for n, w in enumerate(synopsis.columns)}
    rows = [PairedRow(r.cells[column[a.pk]], r.cells[column[b.pk]]) for r in synopsis.rows]
    return [row for row in rows if row.a or row.b]


# -- Caching -------------------------------------------------------------------------------


def _cache_key(kind: str, options: str, *sides: Iterable[Segment]) -> str:
    """Segment pks and versions, the options, and a digest of the texts.

    The pks and versions name the pair of segment versions; the digest guards against texts
    changed without a new version (the admin, a rolled-back test reusing primary keys).
    """
    digest = hashlib.blake2b(digest_size=16)
    parts = [kind, options]
    for side in sides:
        segments = list(side)
        parts.append(",".join(f"{s.pk}.{s.version}" for s in segments))
        for segment in segments:
            digest.update(segment.text.encode())
            digest.update(b"\x00")
        digest.update(b"\x01")
    key = hashlib.sha1("|".join(parts).encode(), usedforsecurity=False).hexdigest()
    return f"cmp:{key}:{digest.hexdigest()}"


def _cached(jobs: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each job's result, from the cache or computed (and stored), in one round trip each way."""
    found = cache.get_many(list(jobs))
    computed = {key: job() for key, job in jobs.items() if key not in found}
    if computed:
        cache.set_many(computed, timeout=CACHE_SECONDS)
    return {**found, **computed}


# -- Word diffs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RowDiff:
    left: SafeString
    right: SafeString
    inline: SafeString
    similarity: float
    weight: int  # words in the longer side: the row's weight in the document's similarity
    changed: bool  # whether the diff shows any change (under the options it was made with)


def diff_texts(a: str, b: str, options: CompareOptions) -> RowDiff:
    if a == b:
        # Identical texts (most rows of a fresh revision): nothing to diff.
        ops = [DiffOp("equal", a)] if a else []
        score = 1.0
    else:
        ops = word_diff(a, b, **options.diff_options())
        score = similarity(a, b, **options.diff_options())
    left, right = diff_html(ops, "side")
    return RowDiff(
        left,
        right,
        diff_html(ops, "inline"),
        score,
        max(len(a.split()), len(b.split())),
        any(op.op != "equal" for op in ops),
    )


def diff_rows(rows: Sequence[PairedRow], options: CompareOptions) -> list[RowDiff]:
    keys = [_cache_key("diff", options.key, row.a, row.b) for row in rows]
    results = _cached({key: _diff_job(row, options) for key, row in zip(keys, rows, strict=True)})
    return [_row_diff(results[key]) for key in keys]


def _diff_job(row: PairedRow, options: CompareOptions) -> Callable[[], tuple]:
    return _texts_job(row.a_text, row.b_text, options)


def _texts_job(a: str, b: str, options: CompareOptions) -> Callable[[], tuple]:
    def job() -> tuple:
        diff = diff_texts(a, b, options)
        # Plain strings and numbers: they unpickle far faster than diff objects.
        return (
            str(diff.left),
            str(diff.right),
            str(diff.inline),
            diff.similarity,
            diff.weight,
            diff.changed,
        )

    return job


def _row_diff(cached: tuple) -> RowDiff:
    left, right, inline, score, weight, changed = cached
    return RowDiff(mark_safe(left), mark_safe(right), mark_safe(inline), score, weight, changed)  # noqa: S308 - rendered by diff_html, which escapes


def document_similarity(diffs: Sequence[RowDiff]) -> float:
    """The rows' similarities averaged, each weighted by its length in words."""
    total = sum(d.weight for d in diffs)
    if total == 0:
        return 1.0
    return sum(d.similarity * d.weight for d in diffs) / total


# -- Shared anchors (two languages) --------------------------------------------------------

# Anchors that read the same in both languages: numbers, months, weekdays, note calls.
_LANGUAGE_FREE = (NUMBER, MONTH, WEEKDAY, FOOTNOTE)
_COGNATE_PREFIX = 4


@dataclass(frozen=True)
class RowAnchors:
    left: SafeString
    right: SafeString
    shared: int  # words marked on the left


def highlight_anchors(a: str, lang_a: str, b: str, lang_b: str) -> RowAnchors:
    """Both texts with the anchors they share marked: numbers, names and cognates."""
    names = {t for t in anchors(a, lang_a) if t[0].isalpha()} & {
        t for t in anchors(b, lang_b) if t[0].isalpha()
    }
    keys_a, keys_b = _keys_of(a), _keys_of(b)
    left, shared = _mark(a, _Other(keys_b), names)
    right, _count = _mark(b, _Other(keys_a), names)
    return RowAnchors(left, right, shared)


def _keys_of(text: str) -> set[str]:
    return {key for token in tokenize(text) if token.kind == "word" for key in tokens(token.text)}


class _Other:
    """The other text's words, indexed for finding a number, a name or a cognate in them."""

    def __init__(self, keys: set[str]):
        self.keys = keys
        self.by_prefix: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            if len(key) >= _COGNATE_PREFIX and key.isalpha():
                self.by_prefix[key[:_COGNATE_PREFIX]].append(key)

    def kind_of(self, key: str, names: set[str]) -> str | None:
        if key.startswith(_LANGUAGE_FREE):
            return "number" if key in self.keys else None
        if key in names:
            return "name"
        # Words of three letters or fewer spelled alike are most often different words
        # (French *nos*, "our", against the English *Nos.*, "numbers"; *son*, *pas*): only
        # longer ones count as cognates.
        if len(key) >= _COGNATE_PREFIX and key in self.keys:
            return "cognate"
        candidates = self.by_prefix.get(key[:_COGNATE_PREFIX], ())
        if len(key) >= _COGNATE_PREFIX and any(is_cognate(key, other) for other in candidates):
            return "cognate"
        return None


def _mark(text: str, other: _Other, names: set[str]) -> tuple[SafeString, int]:
    parts: list[str] = []
    marked = 0
    for token in tokenize(text):
        kind = _anchor_kind(token.text, other, names) if token.kind == "word" else None
        if kind is None:
            parts.append(escape(token.text))
            continue
        marked += 1
        parts.append(f'<mark class="anchor anchor-{kind}">{escape(token.text)}</mark>')
    return mark_safe("".join(parts)), marked  # noqa: S308 - every text piece is escaped


def _anchor_kind(word: str, other: _Other, names: set[str]) -> str | None:
    """The strongest kind of anchor the word shares with the other text, if any."""
    kinds = {other.kind_of(key, names) for key in tokens(word)}
    return next((kind for kind in ("number", "name", "cognate") if kind in kinds), None)


def anchor_rows(rows: Sequence[PairedRow], lang_a: str, lang_b: str) -> list[RowAnchors]:
    languages = f"{lang_a}>{lang_b}"
    keys = [_cache_key("anchors", languages, row.a, row.b) for row in rows]
    jobs = {key: _anchor_job(row, lang_a, lang_b) for key, row in zip(keys, rows, strict=True)}
    results = _cached(jobs)
    return [
        RowAnchors(mark_safe(left), mark_safe(right), shared)  # noqa: S308 - escaped by _mark
        for left, right, shared in (results[key] for key in keys)
    ]


def _anchor_job(row: PairedRow, lang_a: str, lang_b: str) -> Callable[[], tuple]:
    def job() -> tuple:
        found = highlight_anchors(row.a_text, lang_a, row.b_text, lang_b)
        return (str(found.left), str(found.right), found.shared)

    return job


# -- Variation map -------------------------------------------------------------------------


@dataclass
class RowVariation:
    # Mean distance (1 - similarity) over the pairs of translations in the row; None when
    # fewer than two translations have text there.
    variation: float | None
    # One per synopsis column: that translation's mean distance to the others in the row.
    distances: list[float | None]


@dataclass
class VariationMap:
    language: str
    witnesses: list[Witness]
    rows: list[RowVariation]
    most_divergent: list[tuple[int, float]]  # (row number from 1, variation), highest first


def variation_map(synopsis: Synopsis | None) -> VariationMap | None:
    """How much the same-language translations of each synopsis row differ from one another.

    None unless at least two translations in one language are in the synopsis (the
    language with the most translations is the one measured).
    """
    if synopsis is None:
        return None
    translations = [
        (n, w) for n, w in enumerate(synopsis.columns) if w.role == WitnessRole.TRANSLATION
    ]
    languages = Counter(w.language for _n, w in translations)
    if not languages or languages.most_common(1)[0][1] < 2:
        return None
    language = languages.most_common(1)[0][0]
    columns = [n for n, w in translations if w.language == language]
    distances = _pair_distances(synopsis, columns)
    rows = [_row_variation(r, len(synopsis.columns), distances) for r in range(len(synopsis.rows))]
    ranked = sorted(
        ((n + 1, row.variation) for n, row in enumerate(rows) if row.variation is not None),
        key=lambda item: -item[1],
    )
    return VariationMap(
        language=language,
        witnesses=[synopsis.columns[n] for n in columns],
        rows=rows,
        most_divergent=ranked[:MOST_DIVERGENT],
    )


def _pair_distances(
    synopsis: Synopsis, columns: Sequence[int]
) -> dict[int, dict[tuple[int, int], float]]:
    """Row index -> (column, column) -> 1 - similarity, for the translations with text there."""
    jobs: dict[str, Callable[[], float]] = {}
    where: list[tuple[int, int, int, str]] = []
    for r, row in enumerate(synopsis.rows):
        present = [n for n in columns if row.cells[n]]
        for i, j in combinations(present, 2):
            key = _cache_key("similarity", "variation", row.cells[i], row.cells[j])
            jobs[key] = _similarity_job(row.cells[i], row.cells[j])
            where.append((r, i, j, key))
    scores = _cached(jobs)
    distances: dict[int, dict[tuple[int, int], float]] = defaultdict(dict)
    for r, i, j, key in where:
        distances[r][(i, j)] = distances[r][(j, i)] = 1.0 - scores[key]
    return distances


def _similarity_job(a: Sequence[Segment], b: Sequence[Segment]) -> Callable[[], float]:
    text_a, text_b = "\n".join(s.text for s in a), "\n".join(s.text for s in b)
    return lambda: similarity(text_a, text_b, **VARIATION_OPTIONS)


def _row_variation(
    r: int, column_count: int, distances: dict[int, dict[tuple[int, int], float]]
) -> RowVariation:
    pairs = distances.get(r, {})
    if not pairs:
        return RowVariation(None, [None] * column_count)
    per_column: dict[int, list[float]] = defaultdict(list)
    for (i, _j), distance in pairs.items():
        per_column[i].append(distance)
    # Each pair is stored both ways round, so the mean over all entries is the pairs' mean.
    variation = fmean(pairs.values())
    return RowVariation(
        variation,
        [fmean(per_column[n]) if n in per_column else None for n in range(column_count)],
    )


def revision_diffs(revisions: Sequence[SegmentRevision], options: CompareOptions) -> list[RowDiff]:
    """What each revision changed (a revision never changes, so its pk is its key)."""
    keys = [f"cmp:revision:{r.pk}:{options.key}" for r in revisions]
    jobs = {
        key: _texts_job(r.text_before, r.text_after, options)
        for key, r in zip(keys, revisions, strict=True)
    }
    results = _cached(jobs)
    return [_row_diff(results[key]) for key in keys]
