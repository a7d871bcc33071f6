"""The automatic aligner: splitter, anchors, beads, constraints, linear search, scoring."""

import importlib.util
import random
from pathlib import Path

import pytest

from editions.alignment import (
    Bead,
    Settings,
    align,
    align_paragraphs_then_sentences,
    align_with_stats,
    split_sentences,
)
from editions.alignment.anchors import anchors, is_cognate, tokens
from editions.alignment.banded import Band
from editions.alignment.scoring import read_beads, score
from editions.text import fold

# --- sentence splitting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "M. Rusk a reçu MM. Gromyko et Dobrynine. Il est parti.",
            ["M. Rusk a reçu MM. Gromyko et Dobrynine.", "Il est parti."],
        ),
        (
            "en",
            "Mr. Rusk met Dr. Smith at St. Paul. Then he left.",
            ["Mr. Rusk met Dr. Smith at St. Paul.", "Then he left."],
        ),
        (
            "en",
            "See telegram No. 5983, p. 12. Nos. 5978 to 5982 follow.",
            ["See telegram No. 5983, p. 12.", "Nos. 5978 to 5982 follow."],
        ),
        (
            "en",
            "U. Thant wrote to J. F. Kennedy. The U.S. Government agreed.",
            ["U. Thant wrote to J. F. Kennedy.", "The U.S. Government agreed."],
        ),
        (
            "en",
            'It rose by 3.5 per cent... Prices fell. He said: "No." Then silence.',
            ["It rose by 3.5 per cent...", "Prices fell.", 'He said: "No."', "Then silence."],
        ),
        (
            "fr",
            "« Partez ! » Il obéit. (C'était vrai.) Enfin, av. J.-C. Rome tomba.",
            ["« Partez ! »", "Il obéit.", "(C'était vrai.)", "Enfin, av. J.-C. Rome tomba."],
        ),
        (
            "fr",
            "« Quoi ? » dit-il. Le 1er mai. Fin.",
            ["« Quoi ? » dit-il.", "Le 1er mai.", "Fin."],
        ),
        (
            "de",
            "Am 9. September 1988 stiegen wir auf. Die ca. 600 m hohe Wand, z. B. die Nordwand.",
            [
                "Am 9. September 1988 stiegen wir auf.",
                "Die ca. 600 m hohe Wand, z. B. die Nordwand.",
            ],
        ),
    ],
)
def test_splitter_knows_abbreviations(lang: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text, lang) == expected


def test_splitter_drops_outer_white_space() -> None:
    assert split_sentences("  One here.   Two there.  \n", "en") == ["One here.", "Two there."]
    assert split_sentences("   ", "en") == []


# --- anchors --------------------------------------------------------------------------------


def test_anchors_find_numbers_dates_names_and_marks() -> None:
    french = anchors("Le 26 octobre 1962, M. Rusk a dit à U Thant : « Télégramme n° 5983 ».")
    english = anchors('On 26 October 1962, Mr Rusk told U Thant: "Telegram No. 5983".')
    for shared in ("#26", "@10", "#1962", "rusk", "thant", "#5983", '!"'):
        assert shared in french
        assert shared in english
    assert "le" not in french  # a capital that opens the sentence is no name


def test_numbers_are_normalised_across_conventions() -> None:
    assert tokens("1 000 hommes, 3,5 %") == ["#1000", "hommes", "#3.5"]
    assert tokens("1,000 men, 3.5%") == ["#1000", "men", "#3.5"]
    assert tokens("CHAPITRE XIV") == ["chapitre", "#14"]
    assert tokens("le 1er mai") == ["le", "#1", "@5"]


def test_footnote_calls_are_anchors() -> None:
    assert "^1" in anchors("In my telegram Nos 5978–5982 ⁽¹⁾, I set out the goals.")
    assert "^12" in anchors("as reported[12] yesterday")


def test_cognates_need_most_letters_in_order() -> None:
    assert is_cognate(fold("négociation"), fold("negotiation"))
    assert is_cognate(fold("télégramme"), fold("telegram"))
    assert not is_cognate(fold("blocus"), fold("blockade"))
    assert not is_cognate("pas", "pat")


# --- beads ----------------------------------------------------------------------------------


def covers_in_order(beads: list[Bead], n: int, m: int) -> bool:
    """Every unit in exactly one bead, beads in reading order on both sides."""
    src = [i for bead in beads for i in bead.src]
    tgt = [j for bead in beads for j in bead.tgt]
    return src == list(range(n)) and tgt == list(range(m))


FRENCH = [
    "Le 22 octobre 1962, le président Kennedy annonça la quarantaine de Cuba, et M. Rusk "
    "convoqua les ambassadeurs de France, de Grande-Bretagne et d'Allemagne dans son bureau.",
    "Ils arrivèrent à 18 heures précises.",
    "La réunion dura une heure et demie.",
    "Le secrétaire d'État expliqua la position du gouvernement américain.",
]
ENGLISH = [
    "On 22 October 1962, President Kennedy announced the quarantine of Cuba.",
    "Mr Rusk summoned the ambassadors of France, Great Britain and Germany to his office.",
    "They arrived at precisely 18 hours.",
    "The meeting lasted an hour and a half.",
    "The Secretary of State explained the position of the American government.",
]


def test_a_sentence_translated_by_two_makes_a_1_2_bead() -> None:
    beads = align(FRENCH, ENGLISH)
    assert [(b.src, b.tgt) for b in beads] == [
        ((0,), (0, 1)),
        ((1,), (2,)),
        ((2,), (3,)),
        ((3,), (4,)),
    ]
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)
    assert beads[0].confidence > 0.5


PARAGRAPHS_FR = [
    "Le 26 octobre 1962, M. Alphand écrivit à M. Couve de Murville au sujet de la réunion "
    "tenue la veille au département d'État avec les ambassadeurs alliés.",
    "Le blocus continuait. Les navires soviétiques faisaient demi-tour dans l'Atlantique "
    "et aucun incident n'avait été signalé depuis mercredi.",
    "M. Rusk parla de la réunion du Conseil de sécurité des Nations unies et des propositions "
    "de U Thant, qu'il jugeait insuffisantes.",
    "Il ajouta que les bases de Cuba continuaient d'être construites à un rythme accéléré, "
    "selon les photographies aériennes du 25 octobre.",
    "L'ambassadeur conclut que la situation restait très sérieuse.",
]
PARAGRAPHS_EN = [
    "On 26 October 1962, Mr Alphand wrote to Mr Couve de Murville about the meeting held the "
    "day before at the State Department with the allied ambassadors.",
    "The blockade continued. The Soviet ships were turning back in the Atlantic and no "
    "incident had been reported since Wednesday.",
    "Translator's note: the original telegram is damaged here, and several lines of the "
    "typescript can no longer be read.",
    "Mr Rusk spoke of the meeting of the United Nations Security Council and of U Thant's "
    "proposals, which he considered inadequate.",
    "He added that the Cuban bases were still being built at a faster rate, according to the "
    "aerial photographs of 25 October.",
    "The Ambassador concluded that the situation remained very serious.",
]


def test_an_inserted_paragraph_makes_a_0_1_bead() -> None:
    beads = align(PARAGRAPHS_FR, PARAGRAPHS_EN)
    assert Bead((), (2,), beads[2].confidence) in beads
    assert [(b.src, b.tgt) for b in beads if b.src] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), (3,)),
        ((3,), (4,)),
        ((4,), (5,)),
    ]


def test_paragraphs_then_sentences() -> None:
    pairs = align_paragraphs_then_sentences(PARAGRAPHS_FR, PARAGRAPHS_EN)
    assert [(p.paragraphs.src, p.paragraphs.tgt) for p in pairs][:3] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),
    ]
    blockade = pairs[1]
    assert blockade.src_sentences[0] == "Le blocus continuait."
    assert [(b.src, b.tgt) for b in blockade.sentences] == [((0,), (0,)), ((1,), (1,))]
    for pair in pairs:
        assert covers_in_order(pair.sentences, len(pair.src_sentences), len(pair.tgt_sentences))


def test_empty_and_one_sided_texts() -> None:
    assert align([], []) == []
    assert [(b.src, b.tgt) for b in align(["Un.", "Deux."], [])] == [((0,), ()), ((1,), ())]
    assert [(b.src, b.tgt) for b in align([], ["One."])] == [((), (0,))]


# --- constraints ----------------------------------------------------------------------------


def test_constraints_are_kept_and_the_rest_aligned() -> None:
    # Force a pairing the aligner would not choose, and a 0-1 bead in the middle.
    constraints = [Bead((0,), (0,)), Bead((), (2,)), Bead((3,), (4,))]
    beads = align(PARAGRAPHS_FR, PARAGRAPHS_EN, constraints=constraints)
    for constraint in constraints:
        assert constraint in beads
    assert covers_in_order(beads, len(PARAGRAPHS_FR), len(PARAGRAPHS_EN))
    assert ((1,), (1,)) in [(b.src, b.tgt) for b in beads]


def test_a_constraint_overrides_the_best_alignment() -> None:
    beads = align(FRENCH, ENGLISH, constraints=[Bead((0,), (0,))])
    assert beads[0] == Bead((0,), (0,))
    assert covers_in_order(beads, len(FRENCH), len(ENGLISH))


@pytest.mark.parametrize(
    "constraints",
    [
        [Bead((2,), (2,)), Bead((1,), (1,))],  # out of order
        [Bead((1,), (1,)), Bead((1,), (2,))],  # overlapping
        [Bead((0, 1), (0,)), Bead((1, 2), (1,))],  # overlapping ranges
        [Bead((), ())],  # empty
        [Bead((0, 2), (0,))],  # not consecutive
        [Bead((9,), (0,))],  # outside the text
    ],
)
def test_bad_constraints_raise(constraints: list[Bead]) -> None:
    with pytest.raises(ValueError, match="constraint"):
        align(FRENCH, ENGLISH, constraints=constraints)


# --- linear search --------------------------------------------------------------------------


def generated_pair(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """n source sentences and their "translations" (reversed words), every tenth cut in two."""
    rng = random.Random(seed)
    letters = "abcdefghilmnoprstu"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(3000)]
    src: list[str] = []
    tgt: list[str] = []
    for index in range(n):
        words = rng.choices(vocabulary, k=rng.randint(4, 25))
        if rng.random() < 0.2:
            words.append(str(rng.randint(1, 2000)))
        src.append(" ".join(words).capitalize() + ".")
        translated = [word[::-1] for word in words]
        if index % 10 == 9:
            half = len(translated) // 2
            tgt.extend([" ".join(translated[:half]) + ".", " ".join(translated[half:]) + "."])
        else:
            tgt.append(" ".join(translated) + ".")
    return src, tgt


@pytest.mark.slow  # 3 s: a scale test, run in CI
def test_search_grows_linearly_with_the_texts() -> None:
    # 1,000 sentences are enough to tell: a full grid would be n x m = 1.1 million nodes, 13
    # times the bound below (the book-size run is benchmarks/align_book.py).
    src, tgt = generated_pair(1000)
    n, m = len(src), len(tgt)
    result = align_with_stats(src, tgt)
    assert covers_in_order(result.beads, n, m)
    stats = result.stats
    # The bands visit a few dozen nodes per unit, and no pass holds more than a band of bounded
    # width.
    assert stats.cells < 40 * (n + m)
    assert stats.largest_band < 12 * (n + m)
    assert stats.widest_row <= 128
    split = [(b.src, b.tgt) for b in result.beads if len(b.tgt) == 2]
    assert len(split) >= 90  # the 100 sentences cut in two are found


def test_band_around_a_path() -> None:
    band = Band.around([(0, 0), (1, 1), (3, 2), (4, 4)], 4, 4, margin=1)
    # Rows 0-1 hold the first bead's columns 0-1, rows 1-3 the second's 1-2, rows 3-4 the
    # third's 2-4; one column more on each side.
    assert band.lo == [0, 0, 0, 0, 1]
    assert band.hi == [2, 3, 3, 4, 4]
    assert band.cells == 20


# --- scoring --------------------------------------------------------------------------------


def test_scorer_matches_the_shared_script(shared_dir: Path) -> None:
    script = shared_dir / "tools" / "score_alignment.py"
    spec = importlib.util.spec_from_file_location("score_alignment", script)
    assert spec is not None and spec.loader is not None
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    pairs = []
    for name in ("transread-fr-en/les-confessions", "textberg-de-fr/test4"):
        gold = read_beads(shared_dir / "gold" / name / "gold.idx")
        pairs.append((gold, perturbed(gold)))
    mine = score(pairs)
    theirs = reference.score(pairs)
    assert mine == pytest.approx(theirs)
    assert 0.3 < mine["f1_strict"] < 0.95


def perturbed(gold: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> list:
    """Merge some neighbouring beads, split others, and make some sentences unaligned."""
    rng = random.Random(3)
    predicted: list = []
    for src, tgt in gold:
        roll = rng.random()
        if roll < 0.1 and predicted and predicted[-1][0] and src:
            last_src, last_tgt = predicted.pop()
            predicted.append((last_src + src, last_tgt + tgt))
        elif roll < 0.2 and src and tgt:
            predicted.extend([(src, ()), ((), tgt)])
        elif roll < 0.25 and len(tgt) > 1:
            predicted.extend([(src, tgt[:1]), ((), tgt[1:])])
        else:
            predicted.append((src, tgt))
    return predicted


# --- the optional semantic signal -----------------------------------------------------------


class LetterEncoder:
    """A stand-in for USE: unit vectors of letter counts (cognates point the same way)."""

    def encode(self, texts: list[str]):
        numpy = pytest.importorskip("numpy")
        vectors = numpy.zeros((len(texts), 26), dtype=numpy.float32)
        for row, text in enumerate(texts):
            for char in fold(text):
                if "a" <= char <= "z":
                    vectors[row, ord(char) - 97] += 1
        return vectors / numpy.maximum(numpy.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_semantic_signal_joins_the_costs(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("numpy")
    from editions.alignment import semantic

    monkeypatch.setattr(semantic, "_ENCODER", [LetterEncoder()])
    beads = align(PARAGRAPHS_FR, PARAGRAPHS_EN, settings=Settings(semantic=True))
    assert [(b.src, b.tgt) for b in beads] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),
        ((2,), (3,)),
        ((3,), (4,)),
        ((4,), (5,)),
    ]


def test_semantic_cosines_of_multi_unit_beads() -> None:
    numpy = pytest.importorskip("numpy")
    from editions.alignment.semantic import SemanticMatcher

    rng = numpy.random.default_rng(1)
    src = rng.normal(size=(5, 8)).astype(numpy.float32)
    tgt = rng.normal(size=(6, 8)).astype(numpy.float32)
    src /= numpy.linalg.norm(src, axis=1, keepdims=True)
    tgt /= numpy.linalg.norm(tgt, axis=1, keepdims=True)
    cosines = SemanticMatcher(src, tgt).corner_cosines(5, 6, [0, 3, 3, 2])
    for k, q in [(1, 1), (2, 3), (3, 2)]:
        a, b = src[5 - k :].sum(axis=0), tgt[6 - q :].sum(axis=0)
        expected = float(a @ b / numpy.linalg.norm(a) / numpy.linalg.norm(b))
        assert cosines[k][q] == pytest.approx(expected, abs=1e-5)
