"""The fields the parameter forms share, and the forms of a page's parameters."""

from django import forms

from editions.forms.fields import (
    FlagField,
    ParamsForm,
    SmallIntField,
    TextAsTypedField,
    first_error,
)
from editions.limits import MAX_ID


class Numbers(forms.Form):
    id = SmallIntField()
    offset = SmallIntField(minimum=0)


def test_a_small_integer_is_read_from_ascii_digits():
    form = Numbers({"id": " 42 ", "offset": "0"})
    assert form.is_valid() and form.cleaned_data == {"id": 42, "offset": 0}


def test_a_missing_small_integer_is_none():
    form = Numbers({})
    assert form.is_valid() and form.cleaned_data == {"id": None, "offset": None}


def test_anything_but_a_small_integer_is_refused():
    hostile = ["abc", "1.5", "0x10", "-1", "1e5", "٣", str(MAX_ID + 1), str(10**40), "1\x00"]
    for raw in hostile:
        assert "id" in Numbers({"id": raw}).errors, raw
    assert "id" in Numbers({"id": "0"}).errors and Numbers({"offset": "0"}).is_valid()


def test_the_largest_id_the_database_holds_is_accepted():
    assert Numbers({"id": str(MAX_ID)}).is_valid()


class Typed(forms.Form):
    text = TextAsTypedField()


def test_text_as_typed_keeps_its_spaces_and_its_nul():
    form = Typed({"text": "  a\x00b  "})
    assert form.is_valid() and form.cleaned_data["text"] == "  a\x00b  "


def test_missing_text_as_typed_is_empty():
    assert Typed({}).is_valid()


class Page(ParamsForm):
    page = SmallIntField(initial=1)
    flag = FlagField(initial=True)
    mode = forms.ChoiceField(choices=[("side", "side"), ("inline", "inline")], initial="side")


def test_a_page_takes_its_parameters_as_given():
    assert Page({"page": "3", "flag": "0", "mode": "inline"}).values() == {
        "page": 3,
        "flag": False,
        "mode": "inline",
    }


def test_missing_or_unusable_parameters_take_their_defaults():
    defaults = {"page": 1, "flag": True, "mode": "side"}
    assert Page().values() == defaults
    assert Page({"page": str(10**25), "flag": "yes", "mode": "x" * 10_000}).values() == defaults
    assert Page({"page": "", "flag": "", "mode": "\x00"}).values() == defaults


def test_one_unusable_parameter_leaves_the_others():
    assert Page({"page": "abc", "mode": "inline"}).values()["mode"] == "inline"


def test_the_first_error_follows_the_order_of_the_fields():
    form = Numbers({"id": "x", "offset": "-1"})
    assert not form.is_valid() and first_error(form) == "Enter a whole number."
    assert first_error(Numbers({"id": "1"})) == ""
