"""The history forms: the versions a history compares, a revert, a revision's label."""

import pytest

from editions.forms import RevertForm, RevisionLabelForm, VersionPairForm


def test_a_history_compares_the_versions_asked_for():
    assert VersionPairForm({"a": "1", "b": "3"}, versions=[1, 2, 3]).values() == {"a": 1, "b": 3}


def test_a_history_compares_the_last_change_by_default():
    assert VersionPairForm({}, versions=[1, 2, 3]).values() == {"a": 2, "b": 3}


def test_a_text_never_changed_is_compared_with_itself():
    assert VersionPairForm({}, versions=[1]).values() == {"a": 1, "b": 1}


@pytest.mark.parametrize("raw", ["4", "0", "-1", "abc", "1.5", "٢", str(10**40), "1\x00", ""])
def test_a_version_the_text_never_had_is_the_default(raw):
    assert VersionPairForm({"a": raw, "b": raw}, versions=[1, 2, 3]).values() == {"a": 2, "b": 3}


def test_a_revert_reads_both_versions():
    form = RevertForm({"to": "1", "version": "4"})
    assert form.is_valid() and form.cleaned_data == {"to": 1, "version": 4}


@pytest.mark.parametrize(
    "data",
    [{}, {"to": "1"}, {"version": "1"}, {"to": "x", "version": "1"}, {"to": "1", "version": "1e5"}],
)
def test_a_revert_without_both_versions_is_refused(data):
    assert not RevertForm(data).is_valid()


@pytest.mark.parametrize("raw", [str(2**31), str(10**40), "-3", "0", "1\x00"])
def test_a_revert_to_a_number_no_version_can_have_is_refused(raw):
    assert not RevertForm({"to": raw, "version": "1"}).is_valid()


def test_a_revision_label_is_kept_as_typed():
    form = RevisionLabelForm({"label": " Corrected "})
    assert form.is_valid() and form.cleaned_data["label"] == " Corrected "


def test_no_label_is_an_empty_one():
    form = RevisionLabelForm({})
    assert form.is_valid() and form.cleaned_data["label"] == ""


@pytest.mark.parametrize("label", ["a\x00b", "x" * 201, " " * 201])
def test_a_label_the_database_cannot_store_is_refused(label):
    assert not RevisionLabelForm({"label": label}).is_valid()


def test_a_label_as_long_as_the_column_is_accepted():
    assert RevisionLabelForm({"label": "x" * 200}).is_valid()
