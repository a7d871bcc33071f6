"""Every size a client chooses has a limit, checked before the work, answered 400 or 413 with
a message naming it; malformed values (ids that are no small integers, NUL) get a message too."""

import json

import pytest
from django.urls import reverse
from lxml import etree

from editions import limits
from editions.annotating import ensure_categories
from editions.importers.base import RecordError
from editions.importers.tmx import parse_tmx
from editions.models import Annotation

from .conftest import doc_url

MEDIA = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
NESTED = "[" * 100_000


@pytest.fixture
def segment(document):
    ensure_categories(document.edition)
    return document.witnesses.get().segments.get(sid="p1")


def container(segment) -> str:
    return doc_url(segment.witness.document, "w3c_container", segment.witness.slug)


def w3c_annotation(segment, targets=1, **extra):
    target = {
        "source": f"http://testserver/x#{segment.witness.slug}-{segment.sid}",
        "selector": {"type": "TextQuoteSelector", "exact": "Rusk"},
    }
    return {
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "Who?", "purpose": "commenting"}],
        "target": [target] * targets,
        **extra,
    }


def post_form(client, segment, **fields):
    data = {
        "spans": json.dumps([{"segment": segment.pk, "start": 3, "end": 7}]),
        "body": "Dean Rusk",
        "tags": "people",
        **fields,
    }
    url = doc_url(segment.witness.document, "annotation_create")
    return client.post(url, data, headers={"HX-Request": "true"})


# -- The helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "depth"),
    [("1", 0), ("[]", 1), ('{"a": [1, {"b": []}]}', 4), ('["[[[[", "]]"]', 1), (r'["\"[["]', 1)],
)
def test_json_depth_counts_brackets_outside_strings(text, depth):
    assert limits.json_depth(text) == depth


def test_json_nested_past_the_limit_is_refused_before_parsing():
    with pytest.raises(limits.LimitExceeded, match="JSON_MAX_DEPTH"):
        limits.load_json(NESTED, "The selection")


@pytest.mark.parametrize(
    ("raw", "value"),
    [("7", 7), (7, 7), ("0", None), ("-3", None), ("abc", None), ("10" * 15, None)]
    + [(str(10**30), None), (2**31, None), (True, None), (None, None), ("٣", None)],
)
def test_only_small_positive_integers_are_ids(raw, value):
    assert limits.small_int(raw) == value


# -- The W3C protocol -------------------------------------------------------------------------


def test_a_w3c_post_nested_100000_deep_is_a_400_naming_the_limit(client_as, segment):
    response = client_as("annotator").post(container(segment), NESTED, content_type=MEDIA)
    assert response.status_code == 400
    assert "JSON_MAX_DEPTH" in response.text
    assert not Annotation.objects.exists()


def test_a_w3c_put_nested_100000_deep_is_a_400_naming_the_limit(client_as, segment):
    client = client_as("annotator")
    made = client.post(container(segment), json.dumps(w3c_annotation(segment)), content_type=MEDIA)
    url, etag = made["Location"], made["ETag"]
    response = client.put(url, NESTED, content_type=MEDIA, headers={"If-Match": etag})
    assert response.status_code == 400
    assert "JSON_MAX_DEPTH" in response.text
    assert Annotation.objects.get().body == "Who?"


def test_a_w3c_post_with_too_many_targets_is_refused(client_as, segment, settings):
    settings.ANNOTATION_MAX_TARGETS = 5
    body = json.dumps(w3c_annotation(segment, targets=6))
    response = client_as("annotator").post(container(segment), body, content_type=MEDIA)
    assert response.status_code == 400
    assert "ANNOTATION_MAX_TARGETS" in response.text
    assert not Annotation.objects.exists()


def test_a_w3c_body_over_the_byte_limit_is_a_413(client_as, segment, settings):
    settings.JSON_MAX_BYTES = 1000
    body = json.dumps(w3c_annotation(segment, note="x" * 2000))
    response = client_as("annotator").post(container(segment), body, content_type=MEDIA)
    assert response.status_code == 413
    assert "JSON_MAX_BYTES" in response.text


@pytest.mark.parametrize("page", ["abc", str(10**25), "-1"])
def test_a_container_page_that_is_no_small_number_is_a_400(client_as, segment, page):
    response = client_as("reader").get(container(segment), {"page": page})
    assert response.status_code == 400


# -- The annotation form ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"spans": NESTED}, "JSON_MAX_DEPTH"),
        ({"body": "x" * 20_001}, "ANNOTATION_BODY_MAX_CHARS"),
        ({"tags": " ".join(f"t{n}" for n in range(21))}, "ANNOTATION_MAX_TAGS"),
        ({"tags": "t" * 51}, "TAG_MAX_CHARS"),
        ({"category": "abc"}, "Unknown category"),
        ({"category": str(10**30)}, "Unknown category"),
        ({"spans": '[{"segment": "x", "start": 0, "end": 2}]'}, "Select some text"),
        ({"spans": '{"segment": 1}'}, "Select some text"),
        ({"spans": "not json"}, "not valid JSON"),
    ],
)
def test_the_annotation_form_refuses_what_is_over_a_limit_or_malformed(
    client_as, segment, fields, named
):
    response = post_form(client_as("annotator"), segment, **fields)
    assert response.status_code == 400
    assert named in response.text
    assert not Annotation.objects.exists()


def test_more_passages_than_the_limit_are_refused(client_as, segment, settings):
    settings.ANNOTATION_MAX_SPANS = 3
    spans = json.dumps([{"segment": segment.pk, "start": 0, "end": 2}] * 4)
    response = post_form(client_as("annotator"), segment, spans=spans)
    assert response.status_code == 400
    assert "ANNOTATION_MAX_SPANS" in response.text


def test_an_edit_with_a_category_that_is_no_id_keeps_the_typed_text(client_as, segment):
    client = client_as("annotator")
    post_form(client, segment)
    annotation = Annotation.objects.get()
    url = doc_url(segment.witness.document, "annotation_edit", annotation.pk)
    data = {"body": "Changed", "category": "abc", "version": annotation.version}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert "Unknown category" in response.text
    response = client.post(url, {**data, "category": "", "version": str(10**30)})
    assert response.status_code == 409
    assert Annotation.objects.get().body == "Dean Rusk"


def test_a_panel_offset_that_is_no_small_number_starts_from_the_first(client_as, segment):
    url = doc_url(segment.witness.document, "annotation_panel")
    for offset in (str(10**25), "abc", "-5"):
        assert client_as("annotator").get(url, {"offset": offset}).status_code == 200


def test_a_nul_in_the_panel_s_filters_matches_nothing(client_as, segment):
    post_form(client_as("annotator"), segment)
    url = doc_url(segment.witness.document, "annotation_panel")
    for key in ("author", "tag", "category", "witness", "status"):
        response = client_as("annotator").get(url, {key: "\x00"})
        assert response.status_code == 200


# -- Texts, search, imports -------------------------------------------------------------------


def test_a_segment_text_over_the_limit_is_refused_naming_it(client_as, document, settings):
    settings.SEGMENT_MAX_CHARS = 100
    witness = document.witnesses.get()
    url = reverse(
        "editions:segment_edit",
        args=[document.edition.slug, document.slug, witness.slug, "p1"],
    )
    response = client_as("editor").post(url, {"text": "x" * 101, "version": 1})
    assert response.status_code == 400
    assert "SEGMENT_MAX_CHARS" in response.text
    assert witness.segments.get(sid="p1").text == "Mr Rusk stressed it."


def test_a_search_page_number_past_any_page_shows_a_page(client_as, document):
    response = client_as("reader").get(reverse("editions:search"), {"q": "the", "page": 10**25})
    assert response.status_code == 200


def test_a_translation_memory_over_the_unit_limit_is_refused_naming_it(settings):
    settings.TMX_MAX_UNITS = 3
    units = '<tu><tuv xml:lang="fr"><seg>Un.</seg></tuv></tu>' * 4
    root = etree.fromstring(f'<tmx version="1.4"><header srclang="fr"/><body>{units}</body></tmx>')
    with pytest.raises(RecordError, match="TMX_MAX_UNITS"):
        parse_tmx(root)


def test_an_imported_paragraph_over_the_segment_limit_is_refused(client_as, edition, settings):
    settings.SEGMENT_MAX_CHARS = 100
    url = reverse("editions:import_record", args=[edition.slug])
    text = "A short paragraph.\n\n" + "word " * 40
    response = client_as("editor").post(url, {"text": text, "save": "1"})
    assert response.status_code == 400
    assert "SEGMENT_MAX_CHARS" in response.text
    assert not edition.documents.exists()
