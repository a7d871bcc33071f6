"""What a page of the document's text shows (``DocumentPageForm``)."""

import pytest

from editions.forms import DocumentPageForm
from editions.forms.documents import MAX_FIND
from editions.models import Witness

EN, FR, DE = (Witness(pk=n, slug=s) for n, s in enumerate(["en", "fr", "de"], start=1))


def _wanted(query: dict) -> dict:
    return DocumentPageForm(query, witnesses=[EN, FR, DE]).values()


def test_a_page_without_parameters_shows_every_witness_from_the_start():
    assert _wanted({}) == {
        "w": [EN, FR, DE],
        "at": None,
        "row": None,
        "fragment": "",
        "start": None,
        "end": None,
        "q": "",
    }


def test_the_witnesses_chosen_are_shown_in_their_order_once_each():
    assert _wanted({"w": "de,en,de"})["w"] == [DE, EN]


def test_witnesses_may_be_chosen_in_several_parameters():
    from django.http import QueryDict

    query = QueryDict("w=fr&w=de,en")
    assert DocumentPageForm(query, witnesses=[EN, FR, DE]).values()["w"] == [FR, DE, EN]


@pytest.mark.parametrize("raw", ["it", ",,,", "", "en\x00", "x" * 5000])
def test_no_known_witness_chosen_shows_them_all(raw):
    assert _wanted({"w": raw})["w"] == [EN, FR, DE]


def test_an_anchor_names_a_witness_and_a_segment():
    assert _wanted({"at": "fr-p12"})["at"] == (FR, "p12")


@pytest.mark.parametrize("raw", ["p1", "it-p1", "en-", "-p1", "en\x00-p1", "fr-p1\x00"])
def test_an_anchor_that_names_no_witness_of_the_page_is_none(raw):
    assert _wanted({"at": raw})["at"] is None


def test_rows_are_read_as_numbers():
    wanted = _wanted({"row": "120", "start": "51", "end": "100", "fragment": "body"})
    assert (wanted["row"], wanted["start"], wanted["end"], wanted["fragment"]) == (
        120,
        51,
        100,
        "body",
    )


@pytest.mark.parametrize("raw", ["0", "-5", "abc", "1.5", str(10**25), "\x00"])
def test_an_unusable_row_number_is_none(raw):
    wanted = _wanted({"row": raw, "start": raw, "end": raw})
    assert (wanted["row"], wanted["start"], wanted["end"]) == (None, None, None)


def test_an_unknown_fragment_is_the_whole_page():
    assert _wanted({"fragment": "head"})["fragment"] == ""


def test_the_search_is_trimmed_and_cut_to_its_limit():
    assert _wanted({"q": "  Rusk  "})["q"] == "Rusk"
    assert _wanted({"q": "é" * (MAX_FIND + 50)})["q"] == "é" * MAX_FIND


def test_a_search_with_a_nul_looks_for_nothing():
    assert _wanted({"q": "Rusk\x00"})["q"] == ""
