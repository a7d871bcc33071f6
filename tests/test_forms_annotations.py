"""The annotation forms: what annotating posts, the panel's filters, a container's page."""

import json

import pytest
from django.test import override_settings

from editions.annotating import ensure_categories
from editions.forms import (
    AnnotationEditForm,
    ContainerPageForm,
    NewAnnotationForm,
    PanelForm,
    ReplyForm,
    SelectionForm,
    StatusForm,
)
from editions.models import Document, Status, Visibility


@pytest.fixture
def segment(document):
    ensure_categories(document.edition)
    return document.witnesses.get().segments.get(sid="p1")


def _spans(*items) -> str:
    return json.dumps(list(items))


def _selection(segment, raw: str) -> SelectionForm:
    return SelectionForm({"spans": raw}, document=segment.witness.document)


def test_a_selection_gives_its_passages(segment):
    form = _selection(segment, _spans({"segment": segment.pk, "start": 3, "end": 7}))
    assert form.is_valid()
    [span] = form.cleaned_data["spans"]
    assert (span.segment, span.start, span.end) == (segment, 3, 7)


def test_no_selection_is_no_passage(segment):
    form = SelectionForm({}, document=segment.witness.document)
    assert form.is_valid() and form.cleaned_data["spans"] == []


@pytest.mark.parametrize(
    "raw",
    ["{", "null", "1", '"x"', "{}", "[1, 2]", "[[]]", '[{"segment": 1}]', "[" * 50 + "]" * 50],
)
def test_a_selection_that_is_not_passages_is_refused(segment, raw):
    form = _selection(segment, raw)
    assert not form.is_valid() and form.errors["spans"]


@pytest.mark.parametrize("number", ["-1", "1.5", "٣", 2**40, None, [1]])
def test_passages_with_numbers_that_are_not_positions_are_refused(segment, number):
    form = _selection(segment, _spans({"segment": segment.pk, "start": number, "end": 7}))
    assert form.errors["spans"] == ["Select some text to annotate."]


def test_a_passage_of_another_document_is_refused(segment, edition):
    other = Document.objects.create(edition=edition, slug="other", title="Other")
    form = SelectionForm(
        {"spans": _spans({"segment": segment.pk, "start": 0, "end": 1})}, document=other
    )
    assert form.errors["spans"] == ["The selected text is not in this document."]


def test_a_passage_of_no_segment_is_refused(segment):
    form = _selection(segment, _spans({"segment": 2**31 - 1, "start": 0, "end": 1}))
    assert form.errors["spans"] == ["The selected text is not in this document."]


@override_settings(ANNOTATION_MAX_SPANS=2)
def test_too_many_passages_are_refused_with_the_setting_named(segment):
    passage = {"segment": segment.pk, "start": 0, "end": 1}
    form = _selection(segment, _spans(passage, passage, passage))
    assert "ANNOTATION_MAX_SPANS" in form.errors["spans"][0]


@override_settings(JSON_MAX_BYTES=100)
def test_an_oversized_selection_is_refused_before_it_is_parsed(segment):
    form = _selection(segment, " " * 101 + "[]")
    assert "JSON_MAX_BYTES" in form.errors["spans"][0]


def _new(segment, **fields) -> NewAnnotationForm:
    data = {"spans": _spans({"segment": segment.pk, "start": 3, "end": 7}), **fields}
    document = segment.witness.document
    return NewAnnotationForm(data, edition=document.edition, document=document)


def test_a_new_annotation_reads_its_category_tags_and_visibility(segment):
    category = segment.witness.document.edition.categories.first()
    form = _new(
        segment, body=" Dean ", category=str(category.pk), tags="#people, usa", visibility="private"
    )
    assert form.is_valid()
    data = form.cleaned_data
    assert (data["body"], data["category"], data["tags"]) == (" Dean ", category, ["people", "usa"])
    assert data["visibility"] == Visibility.PRIVATE


def test_a_new_annotation_without_category_or_visibility_is_the_editions(segment):
    form = _new(segment)
    assert form.is_valid()
    data = form.cleaned_data
    assert data["category"] is None and data["visibility"] == Visibility.EDITION
    assert data["tags"] == [] and data["body"] == ""


def test_an_unknown_visibility_is_the_editions(segment):
    for raw in ["everyone", "\x00", "x" * 1000]:
        form = _new(segment, visibility=raw)
        assert form.is_valid() and form.cleaned_data["visibility"] == Visibility.EDITION


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "1.5", "٣", str(10**30), "99999999", "1\x00"])
def test_a_category_not_of_the_edition_is_unknown(segment, raw):
    assert _new(segment, category=raw).errors["category"] == ["Unknown category."]


def test_a_category_of_another_edition_is_unknown(segment):
    from editions.models import Category, Edition

    elsewhere = Edition.objects.create(slug="elsewhere", title="Elsewhere")
    theirs = Category.objects.create(edition=elsewhere, slug="theirs", name="Theirs")
    assert _new(segment, category=str(theirs.pk)).errors["category"] == ["Unknown category."]


def test_the_selection_is_said_wrong_before_the_category(segment):
    form = _new(segment, spans="{", category="abc")
    assert not form.is_valid() and list(form.errors) == ["spans", "category"]


def test_text_is_kept_as_typed_for_the_annotating_layer_to_judge(segment):
    form = _new(segment, body="Dean\x00Rusk", tags="bad\x00tag " + "t" * 5000)
    assert form.is_valid()
    assert form.cleaned_data["body"] == "Dean\x00Rusk"
    assert form.cleaned_data["tags"] == ["bad\x00tag", "t" * 5000]


def _edit(segment, **fields) -> AnnotationEditForm:
    form = AnnotationEditForm(fields, edition=segment.witness.document.edition)
    form.is_valid()
    return form


def test_an_edit_reads_its_version(segment):
    assert _edit(segment, version="3").cleaned_data["version"] == 3


@pytest.mark.parametrize("raw", ["", "0", "abc", str(2**31), "-2"])
def test_an_edit_without_a_usable_version_has_none(segment, raw):
    assert _edit(segment, version=raw).cleaned_data.get("version") is None


def test_what_was_typed_comes_back_whatever_the_category(segment):
    form = _edit(segment, body="Mine\x00", tags="a, b", category="abc", visibility="private")
    assert form.typed() == {
        "body": "Mine\x00",
        "category": None,
        "tags": ["a", "b"],
        "visibility": Visibility.PRIVATE,
    }


def test_a_reply_is_kept_as_typed():
    form = ReplyForm({"body": " Yes\x00 "})
    assert form.is_valid() and form.cleaned_data["body"] == " Yes\x00 "


@pytest.mark.parametrize(
    ("raw", "status"),
    [("resolved", Status.RESOLVED), ("open", Status.OPEN), ("", Status.OPEN), ("x\x00", "open")],
)
def test_anything_but_resolved_opens(raw, status):
    assert StatusForm({"status": raw}).values()["status"] == status


def test_the_panel_reads_its_filters_and_offset():
    panel = PanelForm({"author": " editor ", "tag": "Élysée", "offset": "50"})
    assert panel.values()["offset"] == 50
    assert panel.filters() == {
        "category": "",
        "author": " editor ",
        "status": "",
        "witness": "",
        "tag": "Élysée",
        "mine": "",
    }


def test_a_nul_in_a_filter_matches_nothing_rather_than_failing():
    assert PanelForm({"author": "a\x00b"}).filters()["author"] == "a\ufffdb"


@pytest.mark.parametrize("raw", ["-1", "abc", str(10**25), "1\x00", ""])
def test_an_unusable_offset_starts_the_panel_from_the_top(raw):
    assert PanelForm({"offset": raw}).values()["offset"] == 0


def test_a_container_page_is_a_number_from_zero():
    form = ContainerPageForm({"page": "0"})
    assert form.is_valid() and form.cleaned_data["page"] == 0


@pytest.mark.parametrize("raw", ["", "-1", "abc", str(10**25), "1\x00"])
def test_a_container_page_that_is_not_a_number_says_what_it_must_be(raw):
    form = ContainerPageForm({"page": raw})
    assert form.errors["page"] == [f"page must be a number from 0 to {2**31 - 1}"]
