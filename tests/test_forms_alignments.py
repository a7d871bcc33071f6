"""The alignment forms: the pair to align, the editor's row, a row operation."""

import pytest

from editions.forms import AlignmentEditorForm, AlignmentPairForm, RowOperationForm
from editions.models import Witness

EN, FR = Witness(pk=7, slug="en"), Witness(pk=8, slug="fr")


def _pair(data: dict) -> AlignmentPairForm:
    return AlignmentPairForm(data, witnesses=[EN, FR])


def test_a_pair_names_two_witnesses_of_the_document_by_id():
    form = _pair({"source": "7", "target": "8"})
    assert form.is_valid() and form.cleaned_data == {"source": EN, "target": FR}


@pytest.mark.parametrize(
    "raw", ["", "9", "0", "-7", "7.0", " 7", "en", "7\x00", str(10**40), "x" * 5000]
)
@pytest.mark.parametrize("side", ["source", "target"])
def test_a_pair_with_a_witness_not_of_the_document_is_refused(raw, side):
    assert not _pair({"source": "7", "target": "8", side: raw}).is_valid()


def test_a_pair_without_its_witnesses_is_refused():
    assert set(_pair({}).errors) == {"source", "target"}


def test_the_editor_opens_at_the_row_asked_for():
    wanted = AlignmentEditorForm({"row": "41", "fragment": "rows", "next": "1"}).values()
    assert wanted == {"row": 41, "fragment": "rows", "next": True}


def test_the_editor_opens_at_its_first_row_by_default():
    assert AlignmentEditorForm({}).values() == {"row": 0, "fragment": "", "next": False}


@pytest.mark.parametrize("raw", ["abc", "1e5", "\x00", "9" * 5000])
def test_a_row_that_is_no_number_is_the_first(raw):
    assert AlignmentEditorForm({"row": raw}).values()["row"] == 0


def test_a_row_out_of_range_is_left_for_the_editor_to_bring_within_its_rows():
    assert AlignmentEditorForm({"row": "-3"}).values()["row"] == -3
    assert AlignmentEditorForm({"row": str(10**30)}).values()["row"] == 10**30


def test_an_operation_reads_its_row_version_and_segments():
    data = {"op": "link", "row": "3", "version": "12", "source_sid": "p1", "target_sid": "p2"}
    assert RowOperationForm(data).values() == {
        "op": "link",
        "row": 3,
        "version": 12,
        "source_sid": "p1",
        "target_sid": "p2",
    }


def test_a_negative_row_reaches_the_alignment_which_says_there_is_no_such_row():
    assert RowOperationForm({"op": "merge", "row": "-1"}).values()["row"] == -1


@pytest.mark.parametrize("raw", ["", "abc", "-1", str(2**31), "1\x00"])
def test_an_unusable_version_is_none_the_alignment_ever_had(raw):
    assert RowOperationForm({"version": raw}).values()["version"] == 0


def test_an_operation_with_a_nul_is_no_operation():
    assert RowOperationForm({"op": "merge\x00"}).values()["op"] == ""
