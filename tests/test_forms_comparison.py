"""The comparison page's parameters: each view of a comparison is its own URL."""

import pytest

from editions.forms import ComparisonForm
from editions.models import Witness

EN, FR, DE = (Witness(pk=n, slug=s) for n, s in enumerate(["en", "fr", "de"], start=1))


def _form(query: dict) -> ComparisonForm:
    return ComparisonForm(query, witnesses=[EN, FR, DE], default_pair=(EN, FR))


def test_a_comparison_without_parameters_shows_its_default_view():
    assert _form({}).values() == {
        "a": EN,
        "b": FR,
        "mode": "side",
        "punct": True,
        "space": False,
        "case": False,
        "changed": False,
        "offset": 0,
        "row": None,
        "fragment": "diff",
    }


def test_a_comparison_shows_what_its_url_asks_for():
    query = {"a": "de", "b": "en", "mode": "inline", "punct": "0", "space": "1", "case": "1"}
    wanted = _form({**query, "changed": "1", "offset": "50", "row": "7", "fragment": "rows"})
    assert wanted.values() == {
        "a": DE,
        "b": EN,
        "mode": "inline",
        "punct": False,
        "space": True,
        "case": True,
        "changed": True,
        "offset": 50,
        "row": 7,
        "fragment": "rows",
    }


@pytest.mark.parametrize("name", ["a", "b"])
@pytest.mark.parametrize("slug", ["it", "en\x00", "x" * 5000, "EN"])
def test_a_witness_the_document_does_not_have_is_unknown(name, slug):
    assert _form({name: slug}).unknown_witness()


def test_an_empty_witness_is_the_default_one():
    form = _form({"a": "", "b": "de"})
    assert not form.unknown_witness() and (form.values()["a"], form.values()["b"]) == (EN, DE)


def test_a_document_without_two_witnesses_has_no_default_pair():
    form = ComparisonForm({}, witnesses=[EN], default_pair=(None, None))
    assert form.values()["a"] is None and form.values()["b"] is None


@pytest.mark.parametrize("raw", ["yes", "2", "", "\x00", "1" * 1000])
def test_a_toggle_that_is_neither_0_nor_1_keeps_its_default(raw):
    wanted = _form({"punct": raw, "space": raw}).values()
    assert (wanted["punct"], wanted["space"]) == (True, False)


@pytest.mark.parametrize("raw", ["-1", "abc", "1.5", str(10**25), "\x00"])
def test_an_unusable_offset_or_row_starts_at_the_top(raw):
    wanted = _form({"offset": raw, "row": raw}).values()
    assert (wanted["offset"], wanted["row"]) == (0, None)


def test_an_unknown_mode_or_fragment_is_the_default():
    wanted = _form({"mode": "3d", "fragment": "page"}).values()
    assert (wanted["mode"], wanted["fragment"]) == ("side", "diff")
