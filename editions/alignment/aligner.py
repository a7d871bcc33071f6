"""The aligner: beads between two sequences of units (paragraphs or sentences).

Three passes, each in a band around the path of the one before (see `banded`):

1. length alone (Gale-Church), coarse to fine, to find where the texts run side by side;
2. length and spelling anchors (numbers, names, cognates, marks), their match rates
   measured on pass 1's beads;
3. length, anchors and the word pairs learnt from pass 2's beads, with forward-backward
   to give every bead a confidence.

Confirmed beads (`constraints`) are kept as they are: the units between two of them form a
*stretch* aligned on its own, while the lexicon is learnt from all stretches and from the
confirmed beads themselves.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .anchors import tokens
from .banded import Path, SearchStats, coarse_to_fine, posteriors, refine
from .costs import (
    CHANCE_SAMPLES,
    BeadScorer,
    LengthModel,
    LexicalMatcher,
    MatchRates,
    SemanticEvidence,
    bead_types,
    char_length,
    match_rates,
)
from .lexicon import Links, content_tokens, learned_links, merge_links, spelling_links
from .semantic import SemanticMatcher
from .sentences import split_sentences

__all__ = [
    "AlignmentResult",
    "Bead",
    "ParagraphPair",
    "Settings",
    "align",
    "align_paragraphs_then_sentences",
    "align_with_stats",
]


@dataclass(frozen=True)
class Bead:
    """Source units `src` translate target units `tgt` (either may be empty)."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float = 1.0


@dataclass(frozen=True)
class Settings:
    """The aligner's few knobs; the defaults are the benchmarked ones (docs/BENCHMARKS.md)."""

    # The most units on one side of a bead: every shape up to 3-3 is searched, and with 4
    # also 1-4 and 4-1 (a long sentence cut into four, or four merged), not 2-4 or 4-4.
    max_units: int = 4
    # The first pass only guides the second: it can leave out the rarest shapes (1-4, 4-1).
    guide_units: int = 3
    # Half-width of the search band around the path of the coarser level, then around the
    # first pass's path; a band is widened whenever the path runs along its edge.
    margin: int = 8
    refine_margin: int = 4
    full_search_cells: int = 10_000  # below this grid size, no coarse level is needed
    common_share: float = 0.1  # words in more units than this are too common to be evidence
    # Tokens are not independent evidence (a name and its title, the words of an idiom):
    # their log-likelihood ratios are scaled down by this.
    lexical_weight: float = 0.3
    temperature: float = 1.0  # of the posteriors that give the confidences
    gap_extension: float = 0.1  # probability that a unit left out follows another one
    # Share of linkable tokens matched in a true bead, before any bead is known: the
    # measured shares run from .35 to .6 on literary and technical texts.
    prior_aligned_rate: float = 0.45
    # The optional sentence-embedding signal (see `semantic`): off, as encoding takes
    # several times longer than the rest of the alignment (docs/BENCHMARKS.md).
    semantic: bool = False
    semantic_weight: float = 4.0  # nats between a bead at the chance and the aligned cosine


# Told (steps done, steps in all) after each pass over each stretch: a book takes seconds.
Progress = Callable[[int, int], None]


@dataclass
class AlignmentResult:
    """The aligner's beads and search figures (``models.Alignment`` is a stored alignment)."""

    beads: list[Bead]
    stats: SearchStats = field(default_factory=SearchStats)


@dataclass
class _Stretch:
    """Units aligned together: global indices, and the confirmed 1-0/0-1 beads inside."""

    src: list[int]
    tgt: list[int]
    # Local position p -> confirmed beads whose unit sat just before local unit p.
    src_gaps: dict[int, list[Bead]] = field(default_factory=dict)
    tgt_gaps: dict[int, list[Bead]] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)


@dataclass
class _Texts:
    """What every pass needs to know about the two texts."""

    src_lengths: list[int]
    tgt_lengths: list[int]
    src_tokens: list[list[str]]
    tgt_tokens: list[list[str]]
    length_model: LengthModel
    src_texts: Sequence[str] = ()
    tgt_texts: Sequence[str] = ()

    @classmethod
    def of(cls, src: Sequence[str], tgt: Sequence[str], settings: Settings) -> "_Texts":
        src_lengths = [char_length(text) for text in src]
        tgt_lengths = [char_length(text) for text in tgt]
        return cls(
            src_lengths,
            tgt_lengths,
            content_tokens([tokens(text) for text in src], settings.common_share),
            content_tokens([tokens(text) for text in tgt], settings.common_share),
            LengthModel.for_texts(src_lengths, tgt_lengths),
            src,
            tgt,
        )


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str = "fr",
    tgt_lang: str = "en",
    constraints: Sequence[Bead] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> list[Bead]:
    """Align two sequences of units; every unit appears in exactly one bead, in order.

    `constraints` are confirmed beads, in order and disjoint, that the result keeps unchanged
    (a ValueError says which one is out of order, overlaps or leaves the texts). The
    languages are recorded for callers' sake: the method learns what it needs from the texts.
    """
    return align_with_stats(
        src,
        tgt,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        constraints=constraints,
        settings=settings,
        progress=progress,
    ).beads


def align_with_stats(
    src: Sequence[str],
    tgt: Sequence[str],
    *,
    src_lang: str = "fr",
    tgt_lang: str = "en",
    constraints: Sequence[Bead] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> AlignmentResult:
    """`align`, also returning how much searching it took (`SearchStats`)."""
    settings = settings or Settings()
    plan = _plan(list(constraints or ()), len(src), len(tgt))
    stretches = [part for part in plan if isinstance(part, _Stretch)]
    confirmed = [part for part in plan if isinstance(part, Bead)]
    stats = _align_stretches(
        _Texts.of(src, tgt, settings), stretches, confirmed, settings, _Steps(progress, stretches)
    )
    beads: list[Bead] = []
    for part in plan:
        beads.extend(_stretch_beads(part) if isinstance(part, _Stretch) else [part])
    return AlignmentResult(beads, stats)


def _check(bead: Bead, n: int, m: int) -> None:
    if not bead.src and not bead.tgt:
        raise ValueError(f"constraint {bead} is empty on both sides")
    for side, indices, size in (("source", bead.src, n), ("target", bead.tgt, m)):
        if any(not 0 <= index < size for index in indices):
            raise ValueError(f"constraint {bead} has a {side} index outside 0..{size - 1}")
        if list(indices) != list(range(indices[0], indices[0] + len(indices)) if indices else []):
            raise ValueError(f"constraint {bead} has non-consecutive {side} indices")


def _plan(constraints: list[Bead], n: int, m: int) -> list["_Stretch | Bead"]:
    """Stretches between the confirmed beads that have both sides, and those beads."""
    plan: list[_Stretch | Bead] = []
    stretch = _Stretch([], [])
    next_src = next_tgt = 0
    for bead in constraints:
        _check(bead, n, m)
        if (bead.src and bead.src[0] < next_src) or (bead.tgt and bead.tgt[0] < next_tgt):
            raise ValueError(f"constraint {bead} overlaps or precedes the one before it")
        src_end = bead.src[0] if bead.src else next_src
        tgt_end = bead.tgt[0] if bead.tgt else next_tgt
        stretch.src.extend(range(next_src, src_end))
        stretch.tgt.extend(range(next_tgt, tgt_end))
        next_src = bead.src[-1] + 1 if bead.src else next_src
        next_tgt = bead.tgt[-1] + 1 if bead.tgt else next_tgt
        if bead.src and bead.tgt:
            plan.extend([stretch, bead])
            stretch = _Stretch([], [])
        elif bead.src:
            stretch.src_gaps.setdefault(len(stretch.src), []).append(bead)
        else:
            stretch.tgt_gaps.setdefault(len(stretch.tgt), []).append(bead)
    stretch.src.extend(range(next_src, n))
    stretch.tgt.extend(range(next_tgt, m))
    plan.append(stretch)
    return plan


def _scorer(
    texts: _Texts,
    stretch: _Stretch,
    settings: Settings,
    matcher: LexicalMatcher,
    rates: MatchRates,
    max_units: int,
    semantic: SemanticEvidence | None = None,
) -> BeadScorer:
    return BeadScorer(
        [texts.src_lengths[i] for i in stretch.src],
        [texts.tgt_lengths[j] for j in stretch.tgt],
        texts.length_model,
        types=bead_types(max_units),
        lexical=matcher,
        rates=rates,
        lexical_weight=settings.lexical_weight,
        src_walls=stretch.src_gaps,
        tgt_walls=stretch.tgt_gaps,
        gap_extension=settings.gap_extension,
        semantic=semantic,
    )


def _matcher(texts: _Texts, stretch: _Stretch, links: Links) -> LexicalMatcher:
    return LexicalMatcher(
        [texts.src_tokens[i] for i in stretch.src],
        [texts.tgt_tokens[j] for j in stretch.tgt],
        links,
    )


def _beads_of(path: Path) -> list[tuple[int, int, int, int]]:
    return [(i0, i1, j0, j1) for (i0, j0), (i1, j1) in zip(path, path[1:], strict=False)]


def _pooled(counts: list[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*counts, strict=True)] if counts else [0, 0, 0, 0]


def _rates(
    matchers: list[LexicalMatcher], stretches: list[_Stretch], settings: Settings
) -> MatchRates:
    """Match rates on the 1-1 beads of the latest paths, against unrelated pairs."""
    ones = [
        [b for b in _beads_of(stretch.paths[-1]) if b[1] - b[0] == 1 == b[3] - b[2]]
        for stretch in stretches
    ]
    aligned = _pooled([m.bead_counts(beads) for m, beads in zip(matchers, ones, strict=True)])
    return match_rates(aligned, _chance(matchers), settings.prior_aligned_rate)


def _chance(matchers: list[LexicalMatcher]) -> list[int]:
    share = max(1, CHANCE_SAMPLES // max(1, len(matchers)))
    return _pooled([matcher.chance_counts(share) for matcher in matchers])


class _Steps:
    """Counts the passes over stretches as they end, for a `Progress` callback."""

    def __init__(self, progress: Progress | None, stretches: list[_Stretch]) -> None:
        self.progress, self.done, self.total = progress, 0, 2 * len(stretches)

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total)


def _first_pass(
    texts: _Texts,
    stretches: list[_Stretch],
    links: Links,
    settings: Settings,
    stats: SearchStats,
    steps: _Steps,
) -> None:
    """Spelling anchors weighed by a prior aligned match rate, coarse to fine."""
    matchers = [_matcher(texts, stretch, links) for stretch in stretches]
    rates = match_rates([0, 0, 0, 0], _chance(matchers), settings.prior_aligned_rate)
    for matcher, stretch in zip(matchers, stretches, strict=True):
        scorer = _scorer(texts, stretch, settings, matcher, rates, settings.guide_units)
        path = coarse_to_fine(
            scorer, stats, margin=settings.margin, full_search_cells=settings.full_search_cells
        )
        stretch.paths.append(path)
        steps.step()


def _lexical_pass(
    texts: _Texts,
    stretches: list[_Stretch],
    links: Links,
    settings: Settings,
    stats: SearchStats,
    steps: _Steps,
    *,
    last: bool,
) -> None:
    """A pass near the latest paths, with measured rates; on the last, the confidences too."""
    matchers = [_matcher(texts, stretch, links) for stretch in stretches]
    rates = _rates(matchers, stretches, settings)
    semantics = _semantics(texts, stretches, settings)
    for matcher, stretch, semantic in zip(matchers, stretches, semantics, strict=True):
        scorer = _scorer(texts, stretch, settings, matcher, rates, settings.max_units, semantic)
        path, lattice = refine(
            scorer, stretch.paths[-1], settings.refine_margin, stats, keep_costs=last
        )
        stretch.paths.append(path)
        if last:
            stretch.confidences = posteriors(lattice, path, settings.temperature)
        steps.step()


def _semantics(
    texts: _Texts, stretches: list[_Stretch], settings: Settings
) -> list[SemanticEvidence | None]:
    """Per stretch, the embedding evidence calibrated on its first pass, if asked for."""
    if not settings.semantic:
        return [None] * len(stretches)
    whole = SemanticMatcher.encode(texts.src_texts, texts.tgt_texts)
    evidence: list[SemanticEvidence | None] = []
    for stretch in stretches:
        matcher = whole.subset(stretch.src, stretch.tgt)
        aligned, chance = matcher.mean_cosines(_beads_of(stretch.paths[-1]))
        evidence.append(SemanticEvidence(matcher, chance, aligned, settings.semantic_weight))
    return evidence


def _global_beads(stretches: list[_Stretch], confirmed: list[Bead]) -> list[tuple[list, list]]:
    beads = [(list(b.src), list(b.tgt)) for b in confirmed if b.src and b.tgt]
    for stretch in stretches:
        for i0, i1, j0, j1 in _beads_of(stretch.paths[-1]):
            if i1 > i0 and j1 > j0:
                beads.append((stretch.src[i0:i1], stretch.tgt[j0:j1]))
    return beads


def _align_stretches(
    texts: _Texts,
    stretches: list[_Stretch],
    confirmed: list[Bead],
    settings: Settings,
    steps: _Steps | None = None,
) -> SearchStats:
    stats = SearchStats()
    spelling = spelling_links(
        {t for unit in texts.src_tokens for t in unit},
        {t for unit in texts.tgt_tokens for t in unit},
    )
    steps = steps or _Steps(None, stretches)
    _first_pass(texts, stretches, spelling, settings, stats, steps)
    beads = _global_beads(stretches, confirmed)
    learned = learned_links(texts.src_tokens, texts.tgt_tokens, beads)
    texts.length_model = texts.length_model.refit(
        (texts.src_lengths[src[0]], texts.tgt_lengths[tgt[0]])
        for src, tgt in beads
        if len(src) == 1 == len(tgt)
    )
    links = merge_links(spelling, learned)
    _lexical_pass(texts, stretches, links, settings, stats, steps, last=True)
    return stats


def _stretch_beads(stretch: _Stretch) -> list[Bead]:
    """The stretch's final path as global beads, with its confirmed 1-0/0-1 beads in place."""
    beads: list[Bead] = []
    path = stretch.paths[-1] if stretch.paths else [(0, 0)]
    confidences = stretch.confidences or [1.0] * (len(path) - 1)
    for index, (i, j) in enumerate(path):
        beads.extend(stretch.src_gaps.pop(i, []))
        beads.extend(stretch.tgt_gaps.pop(j, []))
        if index + 1 < len(path):
            i1, j1 = path[index + 1]
            beads.append(
                Bead(
                    tuple(stretch.src[i:i1]),
                    tuple(stretch.tgt[j:j1]),
                    round(confidences[index], 4),
                )
            )
    return beads


@dataclass(frozen=True)
class ParagraphPair:
    """A paragraph bead, the sentences on each side, and the sentence beads between them.

    Sentence indices in `sentences` count within `src_sentences` and `tgt_sentences`.
    """

    paragraphs: Bead
    src_sentences: list[str]
    tgt_sentences: list[str]
    sentences: list[Bead]


@dataclass
class _Split:
    """The sentences of every paragraph of one side, and which paragraph owns each."""

    sentences: list[str] = field(default_factory=list)
    owner: list[int] = field(default_factory=list)
    of_paragraph: list[list[int]] = field(default_factory=list)

    @classmethod
    def of(cls, paragraphs: Sequence[str], lang: str) -> "_Split":
        split = cls()
        for number, paragraph in enumerate(paragraphs):
            found = split_sentences(paragraph, lang)
            split.of_paragraph.append(
                list(range(len(split.sentences), len(split.sentences) + len(found)))
            )
            split.sentences.extend(found)
            split.owner.extend([number] * len(found))
        return split


def align_paragraphs_then_sentences(
    src_paragraphs: Sequence[str],
    tgt_paragraphs: Sequence[str],
    *,
    src_lang: str = "fr",
    tgt_lang: str = "en",
    constraints: Sequence[Bead] | None = None,
    settings: Settings | None = None,
) -> list[ParagraphPair]:
    """Align paragraphs, then the sentences inside each paragraph bead.

    Paragraph beads bound the sentence search, so a sentence never strays into another
    paragraph, and the sentence lexicon is learnt over the whole text at once. (Letting
    sentences cross paragraph breaks and merging the paragraph beads they tie, as gold
    corpora do, was measured: sentence errors at the breaks outnumber the true crossings.)
    """
    settings = settings or Settings()
    paragraph_beads = align(
        src_paragraphs,
        tgt_paragraphs,
        src_lang=src_lang,
        tgt_lang=tgt_lang,
        constraints=constraints,
        settings=settings,
    )
    src, tgt = _Split.of(src_paragraphs, src_lang), _Split.of(tgt_paragraphs, tgt_lang)
    stretches = [
        _Stretch(
            [i for number in bead.src for i in src.of_paragraph[number]],
            [j for number in bead.tgt for j in tgt.of_paragraph[number]],
        )
        for bead in paragraph_beads
    ]
    _align_stretches(_Texts.of(src.sentences, tgt.sentences, settings), stretches, [], settings)
    return [
        _paragraph_pair(bead, stretch, src, tgt)
        for bead, stretch in zip(paragraph_beads, stretches, strict=True)
    ]


def _paragraph_pair(bead: Bead, stretch: _Stretch, src: _Split, tgt: _Split) -> ParagraphPair:
    """The bead with its sentences, their indices counted within the bead."""
    src_local = {i: local for local, i in enumerate(stretch.src)}
    tgt_local = {j: local for local, j in enumerate(stretch.tgt)}
    sentences = [
        replace(
            sentence_bead,
            src=tuple(src_local[i] for i in sentence_bead.src),
            tgt=tuple(tgt_local[j] for j in sentence_bead.tgt),
        )
        for sentence_bead in _stretch_beads(stretch)
    ]
    return ParagraphPair(
        bead,
        [src.sentences[i] for i in stretch.src],
        [tgt.sentences[j] for j in stretch.tgt],
        sentences,
    )
