"""Hostile input to every form and JSON endpoint: NUL, sizes past the limits, deep nesting,
wrong types, unknown ids. Each is refused (4xx, or a redirect carrying an error message) with
a message, and the database is left as it was; nothing answers 500. Property-based
(Hypothesis), with few examples per endpoint so that the suite stays fast."""

import json

import pytest
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editions.annotating import Span, create_annotation, ensure_categories
from editions.models import Witness, WitnessRole

from .conftest import doc_url

EXAMPLES = 8
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Small limits, so that "past the limit" stays small enough to generate quickly.
SMALL = {
    "ANNOTATION_BODY_MAX_CHARS": 200,
    "SEGMENT_MAX_CHARS": 200,
    "JSON_MAX_BYTES": 4000,
    "JSON_MAX_DEPTH": 8,
    "ANNOTATION_MAX_TAGS": 5,
    "TAG_MAX_CHARS": 20,
    "ANNOTATION_MAX_SPANS": 5,
    "ANNOTATION_MAX_TARGETS": 5,
}


SHORT_TEXT = st.text(max_size=10)


def with_nul(text: st.SearchStrategy = SHORT_TEXT) -> st.SearchStrategy:
    return st.tuples(text, text).map(lambda pair: f"{pair[0]}\x00{pair[1]}")


def longer_than(limit: int) -> st.SearchStrategy:
    return st.integers(1, 40).map(lambda extra: "é" * (limit + extra))


def hostile_text(limit: int) -> st.SearchStrategy:
    return st.one_of(with_nul(), longer_than(limit))


HOSTILE_ID = st.one_of(
    st.sampled_from(["abc", "1.5", "0x10", "-1", "0", "1e5", "٣", str(10**30), "99999999"]),
    st.integers(2**31, 10**40).map(str),
    with_nul(st.sampled_from(["", "1"])),
)
NOT_A_POSITION = st.one_of(
    st.sampled_from(["abc", "1.5", "0x10", "-1", "1e5", ""]), st.integers(2**31, 10**40).map(str)
)
NESTED = st.integers(9, 3000).map(lambda n: "[" * n + "]" * n)
WRONG_JSON = st.one_of(
    NESTED,
    st.sampled_from(["", "{", "null", "1", '"x"', "{}", '{"segment": 1}', "[1, 2]", "[[]]"]),
    st.lists(
        st.fixed_dictionaries(
            {
                "segment": st.one_of(HOSTILE_ID, st.none(), st.lists(st.integers())),
                "start": st.one_of(st.integers(-(2**70), 2**70), st.text(max_size=3)),
                "end": st.one_of(st.integers(-(2**70), 2**70), st.none()),
            }
        ),
        min_size=1,
        max_size=3,
    ).map(json.dumps),
    st.integers(6, 30).map(lambda n: json.dumps([{"segment": 1, "start": 0, "end": 1}] * n)),
)
HOSTILE_TAGS = st.one_of(
    with_nul(),
    st.integers(6, 40).map(lambda n: " ".join(f"t{k}" for k in range(n))),
    longer_than(20),
)


def snapshot() -> dict[str, int]:
    """Rows per table, and the versions of what is edited in place."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    counts.pop("sessions.Session", None)  # signing in writes sessions, not the user's data
    for label in ("editions.Segment", "editions.Annotation"):
        model = apps.get_model(label)
        counts[label + ".versions"] = sum(model.objects.values_list("version", flat=True))
    return counts


def refused(response) -> bool:
    """4xx with a message, or a redirect that carries an error message."""
    if 400 <= response.status_code < 500:
        return bool(response.content.strip())
    if response.status_code == 302:
        stored = get_messages(response.wsgi_request)
        return any(m.level == constants.ERROR for m in stored)
    return False


@pytest.fixture
def place(document):
    """The document, its witness and segment, and an annotation of the annotator's."""
    from django.contrib.auth import get_user_model

    ensure_categories(document.edition)
    witness = document.witnesses.get()
    segment = witness.segments.get(sid="p1")
    annotation = create_annotation(
        user=get_user_model().objects.get(username="annotator"),
        document=document,
        spans=[Span(segment, 3, 7)],
        body="Rusk",
    )
    Witness.objects.create(
        document=document, slug="fr", label="FR", language="fr", role=WitnessRole.ORIGINAL
    )
    return document, witness, segment, annotation


_CLIENTS: dict[str, Client] = {}


def client_for(username: str) -> Client:
    """A signed-in client per user, kept for the test's examples (signing in writes)."""
    from django.contrib.auth import get_user_model

    if username not in _CLIENTS:
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        _CLIENTS[username] = client
    return _CLIENTS[username]


@pytest.fixture(autouse=True)
def fresh_clients():
    _CLIENTS.clear()
    yield
    _CLIENTS.clear()


def post_refused(client, url, data, **extra):
    before = snapshot()
    with override_settings(**SMALL):
        response = client.post(url, data, **extra)
    assert response.status_code < 500
    assert refused(response), (response.status_code, response.content[:300])
    assert snapshot() == before


# -- The annotation forms -----------------------------------------------------------------------


def annotation_form(segment, **fields):
    valid = json.dumps([{"segment": segment.pk, "start": 3, "end": 7}])
    return {"spans": valid, "body": "Dean Rusk", "tags": "people", **fields}


@fuzz
@given(
    st.one_of(
        WRONG_JSON.map(lambda v: {"spans": v}),
        hostile_text(200).map(lambda v: {"body": v}),
        HOSTILE_ID.map(lambda v: {"category": v}),
        HOSTILE_TAGS.map(lambda v: {"tags": v}),
    )
)
@pytest.mark.slow
def test_the_annotation_form_refuses_hostile_values(place, fields):
    document, _witness, segment, _annotation = place
    url = doc_url(document, "annotation_create")
    post_refused(client_for("annotator"), url, annotation_form(segment, **fields))


@fuzz
@given(
    st.one_of(
        hostile_text(200).map(lambda v: {"body": v}),
        HOSTILE_ID.map(lambda v: {"category": v}),
        HOSTILE_TAGS.map(lambda v: {"tags": v}),
        HOSTILE_ID.map(lambda v: {"version": v}),
    )
)
def test_the_annotation_edit_form_refuses_hostile_values(place, fields):
    document, _witness, _segment, annotation = place
    data = {"body": "Changed", "version": annotation.version, **fields}
    url = doc_url(document, "annotation_edit", annotation.pk)
    post_refused(client_for("annotator"), url, data, headers={"HX-Request": "true"})


@fuzz
@given(hostile_text(200))
def test_a_reply_refuses_hostile_text(place, body):
    document, _witness, _segment, annotation = place
    url = doc_url(document, "reply_create", annotation.pk)
    post_refused(client_for("annotator"), url, {"body": body}, headers={"HX-Request": "true"})


@fuzz
@given(WRONG_JSON)
def test_reattaching_refuses_hostile_selections(place, spans):
    document, _witness, _segment, annotation = place
    url = doc_url(document, "target_reattach", annotation.targets.get().pk)
    post_refused(client_for("annotator"), url, {"spans": spans}, headers={"HX-Request": "true"})


# -- Texts, structure, membership ------------------------------------------------------------


@fuzz
@given(
    st.one_of(
        hostile_text(200).map(lambda v: {"text": v}),
        HOSTILE_ID.map(lambda v: {"version": v, "text": "A new text."}),
    )
)
def test_a_segment_edit_refuses_hostile_values(place, fields):
    document, witness, _segment, _annotation = place
    url = doc_url(document, "segment_edit", witness.slug, "p1")
    post_refused(client_for("editor"), url, {"version": 1, "reason": "", **fields})


@fuzz
@given(st.one_of(with_nul(), longer_than(200)))
def test_a_revision_refuses_a_hostile_label(place, label):
    document, witness, _segment, _annotation = place
    url = doc_url(document, "revision_create", witness.slug)
    post_refused(client_for("editor"), url, {"label": label})


@fuzz
@given(HOSTILE_ID, st.booleans())
def test_an_alignment_refuses_unknown_witnesses(place, raw, as_source):
    document, witness, _segment, _annotation = place
    data = {"source": raw, "target": witness.pk} if as_source else {"source": witness.pk}
    if not as_source:
        data["target"] = raw
    post_refused(client_for("editor"), doc_url(document, "alignment_create"), data)


@fuzz
@given(
    st.one_of(
        hostile_text(300).map(lambda v: {"title": v}),
        with_nul().map(lambda v: {"title": "Fine", "slug": v}),
        longer_than(100).map(lambda v: {"title": "Fine", "slug": v}),
    )
)
def test_a_new_edition_refuses_hostile_values(place, fields):
    post_refused(client_for("owner"), reverse("editions:edition_create"), fields)


@fuzz
@given(
    st.one_of(
        st.one_of(with_nul(), longer_than(150), st.just("nobody-here")).map(
            lambda v: {"username": v, "role": "reader"}
        ),
        st.one_of(with_nul(), st.sampled_from(["god", "", "0"])).map(
            lambda v: {"username": "outsider", "role": v}
        ),
    )
)
def test_adding_a_member_refuses_hostile_values(place, fields):
    document = place[0]
    url = reverse("editions:members", args=[document.edition.slug])
    post_refused(client_for("owner"), url, fields)


@fuzz
@given(
    st.one_of(
        st.one_of(with_nul(), longer_than(100)).map(lambda v: {"name": v, "color": "#123456"}),
        NOT_A_POSITION.map(lambda v: {"name": "Fine", "color": "#123456", "position": v}),
        with_nul().map(lambda v: {"name": "Fine", "color": v}),
    )
)
def test_a_new_category_refuses_hostile_values(place, fields):
    document = place[0]
    url = reverse("editions:categories", args=[document.edition.slug])
    post_refused(client_for("owner"), url, {"position": 0, **fields})


# -- The W3C protocol --------------------------------------------------------------------------

MEDIA = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def w3c_bodies(segment_source: str) -> st.SearchStrategy:
    target = {"source": segment_source, "selector": {"type": "TextQuoteSelector", "exact": "Rusk"}}
    valid_body = [{"type": "TextualBody", "value": "Who?"}]
    return st.one_of(
        NESTED,
        st.sampled_from(["", "{", "null", "[]", "1", '"x"', "{}", '{"target": 1}']),
        st.integers(6, 20).map(lambda n: json.dumps({"body": valid_body, "target": [target] * n})),
        with_nul().map(lambda v: json.dumps({"body": [{"value": v}], "target": target})),
        longer_than(4000).map(lambda v: json.dumps({"body": [{"value": v}], "target": target})),
        st.sampled_from([1, "x", [{"value": 1}], [None]]).map(
            lambda v: json.dumps({"body": v, "target": target})
        ),
        HOSTILE_ID.map(lambda v: json.dumps({"body": valid_body, "target": {"source": v}})),
    )


@fuzz
@given(st.data())
def test_the_w3c_container_refuses_hostile_annotations(place, data):
    document, witness, _segment, _annotation = place
    body = data.draw(w3c_bodies(f"http://testserver/x#{witness.slug}-p1"))
    url = doc_url(document, "w3c_container", witness.slug)
    post_refused(client_for("annotator"), url, body, content_type=MEDIA)


@fuzz
@given(st.data())
def test_the_w3c_resource_refuses_hostile_replacements(place, data):
    document, witness, _segment, annotation = place
    client = client_for("annotator")
    url = doc_url(document, "w3c_annotation", witness.slug, annotation.pk)
    etag = client.get(url)["ETag"]
    body = data.draw(w3c_bodies(f"http://testserver/x#{witness.slug}-p1"))
    before = snapshot()
    with override_settings(**SMALL):
        response = client.put(url, body, content_type=MEDIA, headers={"If-Match": etag})
    assert 400 <= response.status_code < 500 and response.content.strip()
    assert snapshot() == before


# -- Pages read with hostile parameters --------------------------------------------------------

HOSTILE_PARAMETER = st.one_of(with_nul(), HOSTILE_ID, longer_than(300), st.text(max_size=20))


@fuzz
@given(
    st.sampled_from(["search", "concordance", "concordance_csv", "panel", "container"]),
    st.dictionaries(
        st.sampled_from(
            ["q", "page", "offset", "mode", "language", "sort", "edition", "author", "tag"]
        ),
        HOSTILE_PARAMETER,
        min_size=1,
        max_size=4,
    ),
)
@pytest.mark.slow
def test_pages_read_with_hostile_parameters_never_fail(place, page, parameters):
    document, witness, _segment, _annotation = place
    url = {
        "search": reverse("editions:search"),
        "concordance": reverse("editions:concordance"),
        "concordance_csv": reverse("editions:concordance_csv"),
        "panel": doc_url(document, "annotation_panel"),
        "container": doc_url(document, "w3c_container", witness.slug),
    }[page]
    before = snapshot()
    response = client_for("annotator").get(url, parameters)
    assert response.status_code < 500, (page, parameters)
    assert snapshot() == before
