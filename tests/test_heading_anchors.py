"""Chapter headings anchor the alignment: "XXIV" pairs with "CHAPTER XXIV.", and a
translation that renumbers its chapters is not paired by number."""

import pytest

from editions.alignment.headings import heading_number, heading_pairs
from editions.alignment_store import automatic_rows
from editions.models import Segment, Witness


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("XXIV", 24),
        ("CHAPTER XXIV.\nTHE TITLE", 24),
        ("CHAPTER 12", 12),
        ("Chapitre premier", 1),
        ("Chapter Two", 2),
        ("Introduction", None),
        ("CHAPTER IIII", None),  # not a roman numeral
    ],
)
def test_a_heading_s_number_is_read_as_printed(heading, number):
    assert heading_number(heading) == number


def _book(headings: list[str], paragraphs_per_chapter: list[list[str]]) -> tuple[list, list]:
    units, indices = [], []
    for heading, paragraphs in zip(headings, paragraphs_per_chapter, strict=True):
        indices.append(len(units))
        units += [heading, *paragraphs]
    return units, indices


CHAPTERS = [
    ["Altona, près de Hambourg, et le train de Kiel.", "Le voyage continue vers le Belt."],
    ["Reykjavik et l'Islande, avec Fridriksson.", "Le professeur parle à Hans Bjelke."],
    ["Le Sneffels et le cratère de Scartaris.", "Nous descendons le 28 juin."],
]
ENGLISH = [
    ["Altona, near Hamburg, and the Kiel train.", "The journey goes on towards the Belt."],
    ["Reykjavik and Iceland, with Fridriksson.", "The professor speaks to Hans Bjelke."],
    ["At last, Sneffels and the crater of Scartaris.", "We go down on the 28th of June."],
]


def test_headings_numbered_alike_are_paired():
    src, src_h = _book(["I", "II", "III"], CHAPTERS)
    tgt, tgt_h = _book(["CHAPTER I.\nA", "CHAPTER II.\nB", "CHAPTER III.\nC"], ENGLISH)
    assert heading_pairs(src, tgt, src_h, tgt_h) == [(0, 0), (3, 3), (6, 6)]


def test_a_renumbered_translation_is_paired_by_what_its_chapters_say_not_by_number():
    # The translation merges the original's first two chapters: its "2" is the French "III".
    src, src_h = _book(["I", "II", "III"], CHAPTERS)
    merged = [ENGLISH[0] + ENGLISH[1], ENGLISH[2]]
    tgt, tgt_h = _book(["CHAPTER 1", "CHAPTER 2"], merged)
    pairs = heading_pairs(src, tgt, src_h, tgt_h)
    assert (6, 5) in pairs  # "III" with "CHAPTER 2"
    assert (3, 5) not in pairs  # not "II" with "CHAPTER 2"


def test_an_automatic_alignment_puts_paired_headings_in_rows_of_their_own(document):
    french = Witness.objects.create(document=document, slug="fr", label="French", language="fr")
    english = Witness.objects.create(document=document, slug="en2", label="English", language="en")
    for witness, headings, chapters in (
        (french, ["I", "II", "III"], CHAPTERS),
        (english, ["CHAPTER I.\nA", "CHAPTER II.\nB", "CHAPTER III.\nC"], ENGLISH),
    ):
        units, heading_at = _book(headings, chapters)
        Segment.objects.bulk_create(
            Segment(
                witness=witness,
                sid=f"{'h' if n in heading_at else 'p'}{n + 1}",
                kind="heading" if n in heading_at else "paragraph",
                position=n,
                text=text,
            )
            for n, text in enumerate(units)
        )
    rows = automatic_rows(french, english)
    assert [(r.source, r.target) for r in rows if r.source[0].startswith("h")] == [
        (("h1",), ("h1",)),
        (("h4",), ("h4",)),
        (("h7",), ("h7",)),
    ]


def test_texts_of_thousands_of_headings_get_no_anchors_rather_than_a_long_wait():
    units = [f"{n}" for n in range(1, 1001)]
    indices = list(range(1000))
    assert heading_pairs(units, units, indices, indices) == []
