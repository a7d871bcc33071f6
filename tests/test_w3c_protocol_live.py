"""The W3C Web Annotation Protocol (Recommendation, 23 February 2017), MUST by MUST.

Each test is a server requirement of the Recommendation, section by section, checked
against the project served by uvicorn, as a generic client speaks to it: over HTTP with a
member's personal API token, no browser session, no CSRF token.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from editions.annotating import Span, create_annotation, ensure_categories
from editions.models import Annotation, ApiToken
from tests.live import call, serve_asgi

ANNO = "http://www.w3.org/ns/anno.jsonld"
MEDIA = f'application/ld+json; profile="{ANNO}"'
BASIC_CONTAINER = '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"'
CONSTRAINED_BY = (
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
RESOURCE = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"


@pytest.fixture(scope="module")
def server():
    """One server for the module: starting and stopping uvicorn costs more than a request."""
    with serve_asgi() as url:
        yield url


@pytest.fixture
def site(server, transactional_db):
    return server


@pytest.fixture
def token(document):
    user = get_user_model().objects.get(username="annotator")
    return ApiToken.issue(user, "test client")[1]


@pytest.fixture
def container(site, document):
    ensure_categories(document.edition)
    path = reverse("editions:w3c_container", args=[document.edition.slug, document.slug, "cvce-en"])
    return f"{site}{path}"


def _auth(token: str, **more) -> dict:
    extra = {name.replace("_", "-"): value for name, value in more.items()}
    return {"Authorization": f"Bearer {token}", "Accept": MEDIA} | extra


def _annotation(container: str, exact: str = "Rusk", **more) -> dict:
    return {
        "@context": ANNO,
        "type": "Annotation",
        "body": {"type": "TextualBody", "value": "Who is meant?", "purpose": "commenting"},
        "target": {
            "source": f"{container.split('/e/')[0]}/anything#cvce-en-p1",
            "selector": {"type": "TextQuoteSelector", "exact": exact},
        },
    } | more


def _post(container, token, body=None, **headers):
    body = body or _annotation(container)
    return call("POST", container, body, _auth(token, Content_Type=MEDIA, **headers))


def _annotate(document, n: int = 1) -> list[Annotation]:
    user = get_user_model().objects.get(username="annotator")
    p1 = document.witnesses.get(slug="cvce-en").segments.get(sid="p1")
    return [
        create_annotation(user=user, document=document, spans=[Span(p1, 3, 7)], body=f"n{i}")
        for i in range(n)
    ]


def _links(answer) -> str:
    return answer.header("Link")


# -- Authentication (what a generic client needs before any MUST can be met) ----------


def test_without_a_token_the_client_gets_401_with_json_not_a_login_page(container):
    answer = call("GET", container, headers={"Accept": MEDIA})
    assert answer.status == 401 and "login" not in answer.header("Location")
    assert answer.json()["status"] == 401 and "Bearer" in answer.header("WWW-Authenticate")
    assert BASIC_CONTAINER in _links(answer)


def test_an_unknown_or_revoked_token_gets_401(container, token):
    assert call("GET", container, headers=_auth("wbt_not-a-token")).status == 401
    assert call("GET", container, headers=_auth(token)).status == 200
    ApiToken.objects.all().delete()
    assert call("GET", container, headers=_auth(token)).status == 401


def test_a_token_writes_without_a_csrf_token_and_acts_as_its_member(container, token):
    answer = _post(container, token)
    assert answer.status == 201, answer.text
    assert Annotation.objects.get().author.username == "annotator"


def test_a_token_has_its_members_role_only(container, document):
    reader = get_user_model().objects.get(username="reader")
    secret = ApiToken.issue(reader, "read only")[1]
    assert call("GET", container, headers=_auth(secret)).status == 200
    refused = _post(container, secret)
    assert refused.status == 403 and refused.json()["status"] == 403
    assert CONSTRAINED_BY in _links(refused)


# -- 4. Annotation Retrieval -----------------------------------------------------------


def test_4_an_annotation_supports_get_head_and_options(container, token, document):
    url = f"{container}{_annotate(document)[0].pk}"
    got = call("GET", url, headers=_auth(token))
    assert got.status == 200 and got.json()["type"] == "Annotation"
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in got.header("Allow").split(",")}
    head = call("HEAD", url, headers=_auth(token))
    assert head.status == 200 and head.text == "" and head.header("ETag") == got.header("ETag")
    options = call("OPTIONS", url, headers=_auth(token))
    assert options.status == 200 and "GET" in options.header("Allow")


def test_4_an_annotation_is_json_ld_with_the_anno_profile(container, token, document):
    url = f"{container}{_annotate(document)[0].pk}"
    got = call("GET", url, headers=_auth(token))
    assert got.header("Content-Type") == MEDIA
    assert got.json()["@context"] == ANNO


def test_4_json_ld_is_the_default_when_the_client_names_no_type(container, token, document):
    url = f"{container}{_annotate(document)[0].pk}"
    got = call("GET", url, headers={"Authorization": f"Bearer {token}"})
    assert got.status == 200 and got.header("Content-Type") == MEDIA
    container_answer = call("GET", container, headers={"Authorization": f"Bearer {token}"})
    assert container_answer.header("Content-Type") == MEDIA


def test_4_an_annotation_has_the_ldp_resource_link_an_etag_and_vary_accept(
    container, token, document
):
    url = f"{container}{_annotate(document)[0].pk}"
    got = call("GET", url, headers=_auth(token))
    assert RESOURCE in _links(got)
    assert got.header("ETag").startswith('"')
    assert "Accept" in got.header("Vary")
    assert RESOURCE in _links(call("OPTIONS", url, headers=_auth(token)))


# -- 5. Annotation Containers ----------------------------------------------------------


def test_5_1_the_container_links_its_type_and_its_constraints_on_every_answer(
    container, token, document
):
    _annotate(document)
    answers = {
        "GET": call("GET", container, headers=_auth(token)),
        "HEAD": call("HEAD", container, headers=_auth(token)),
        "OPTIONS": call("OPTIONS", container, headers=_auth(token)),
        "page": call("GET", f"{container}?page=0", headers=_auth(token)),
        "error": call("GET", f"{container}?page=9", headers=_auth(token)),
        "bad request": _post(container, token, body={"type": "Annotation"}),
    }
    for name, answer in answers.items():
        assert BASIC_CONTAINER in _links(answer), name
        assert CONSTRAINED_BY in _links(answer), name
    assert answers["OPTIONS"].status == 200
    assert answers["error"].status == 404 and answers["bad request"].status == 400


def test_5_1_the_container_has_an_etag_allow_accept_post_and_vary(container, token):
    got = call("GET", container, headers=_auth(token))
    assert got.status == 200 and got.header("Content-Type") == MEDIA
    assert got.header("ETag")
    assert {"GET", "HEAD", "POST", "OPTIONS"} <= {m.strip() for m in got.header("Allow").split(",")}
    assert got.header("Accept-Post") == MEDIA
    assert "Accept" in got.header("Vary") and "Prefer" in got.header("Vary")
    assert got.header("Content-Location") == container
    options = call("OPTIONS", container, headers=_auth(token))
    assert "POST" in options.header("Allow") and options.header("Accept-Post") == MEDIA


def test_5_1_the_container_is_a_basic_container_and_collection_with_first_and_last(
    container, token, document
):
    _annotate(document, 2)
    data = call("GET", container, headers=_auth(token)).json()
    assert data["@context"] == [ANNO, "http://www.w3.org/ns/ldp.jsonld"]
    assert data["id"] == container
    assert set(data["type"]) == {"BasicContainer", "AnnotationCollection"}
    assert data["total"] == 2 and data["first"]["items"] and data["last"]


def _prefer(token, include: str) -> dict:
    return _auth(token, Prefer=f'return=representation;include="{include}"')


def test_5_2_prefer_minimal_container_gives_no_annotations(container, token, document):
    _annotate(document, 2)
    answer = call("GET", container, headers=_prefer(token, MINIMAL))
    data = answer.json()
    assert isinstance(data["first"], str) and data["first"].startswith(container)
    assert "items" not in str(data) and data["total"] == 2
    assert answer.header("Preference-Applied") == "return=representation"


def test_5_2_prefer_contained_iris_gives_the_annotations_iris(container, token, document):
    made = _annotate(document, 2)
    data = call("GET", container, headers=_prefer(token, IRIS)).json()
    assert data["first"]["items"] == [f"{container}{a.pk}" for a in made]
    page = call("GET", f"{container}?page=0", headers=_prefer(token, IRIS)).json()
    assert page["items"] == [f"{container}{a.pk}" for a in made]


def test_5_2_prefer_contained_descriptions_gives_the_annotations_whole(container, token, document):
    _annotate(document, 2)
    data = call("GET", container, headers=_prefer(token, DESCRIPTIONS)).json()
    assert [item["type"] for item in data["first"]["items"]] == ["Annotation", "Annotation"]


def test_5_3_pages_link_their_container_and_their_neighbours(
    container, token, document, monkeypatch
):
    monkeypatch.setattr("editions.w3c.PAGE_SIZE", 2)
    monkeypatch.setattr("editions.views.annotation_protocol.PAGE_SIZE", 2)
    _annotate(document, 5)
    first = call("GET", f"{container}?page=0", headers=_auth(token))
    middle = call("GET", f"{container}?page=1", headers=_auth(token)).json()
    last = call("GET", f"{container}?page=2", headers=_auth(token)).json()
    assert first.json()["type"] == "AnnotationPage"
    assert first.json()["partOf"]["id"] == container and first.json()["partOf"]["total"] == 5
    assert first.json()["next"] == f"{container}?page=1" and "prev" not in first.json()
    assert middle["prev"] == f"{container}?page=0" and middle["next"] == f"{container}?page=2"
    assert "next" not in last and middle["startIndex"] == 2 and len(last["items"]) == 1
    assert first.header("Content-Location") == f"{container}?page=0"
    collection = call("GET", container, headers=_auth(token)).json()
    assert collection["last"] == f"{container}?page=2"


# -- 6. Creation -----------------------------------------------------------------------


def test_6_a_post_creates_with_201_location_and_the_new_representation(container, token):
    answer = _post(container, token)
    created = Annotation.objects.get()
    assert answer.status == 201
    assert answer.header("Location") == f"{container}{created.pk}"
    assert answer.header("Content-Location") == answer.header("Location")
    assert answer.json()["id"] == answer.header("Location")
    assert RESOURCE in _links(answer) and answer.header("ETag")


def test_6_the_server_keeps_canonical_puts_a_client_id_in_via_and_its_motivation(container, token):
    body = _annotation(
        container,
        id="http://client.example/anno/7",
        canonical="urn:uuid:1d8ab7c5-b4c2-4b21-8d0f-8a1ef8fcd0a1",
        motivation="highlighting",
    )
    del body["body"]  # a highlight has no body
    data = _post(container, token, body).json()
    assert data["id"].startswith(container) and data["id"] != body["id"]
    assert data["canonical"] == body["canonical"]
    assert data["via"] == body["id"]
    assert data["motivation"] == "highlighting"
    again = call("GET", data["id"], headers=_auth(token)).json()
    assert again["canonical"] == body["canonical"] and again["motivation"] == "highlighting"


def test_6_the_server_names_the_annotation_from_the_slug(container, token):
    first = _post(container, token, Slug="rusk-note")
    assert first.header("Location") == f"{container}rusk-note"
    assert call("GET", f"{container}rusk-note", headers=_auth(token)).status == 200
    taken = _post(container, token, Slug="rusk-note")  # taken: the server names it
    assert taken.status == 201 and taken.header("Location") != first.header("Location")


# -- 7. Update ---------------------------------------------------------------------------


def test_7_a_put_replaces_the_annotation_target_included(container, token):
    url = _post(container, token).header("Location")
    current = call("GET", url, headers=_auth(token))
    changed = current.json()
    changed["target"] = _annotation(container, exact="stressed")["target"]
    changed["body"]["value"] = "The verb."
    answer = call(
        "PUT", url, changed, _auth(token, Content_Type=MEDIA, If_Match=current.header("ETag"))
    )
    assert answer.status == 200, answer.text
    target = Annotation.objects.get().targets.get()
    assert target.quote == "stressed" and Annotation.objects.get().body == "The verb."
    assert answer.json()["target"][0]["selector"][0]["exact"] == "stressed"
    assert answer.header("Content-Location") == url


def test_7_a_put_with_a_stale_etag_fails_and_if_match_star_succeeds(container, token):
    url = _post(container, token).header("Location")
    data = call("GET", url, headers=_auth(token)).json()
    headers = _auth(token, Content_Type=MEDIA)
    assert call("PUT", url, data, headers | {"If-Match": '"stale"'}).status == 412
    assert call("PUT", url, data, headers | {"If-Match": "*"}).status == 200


# -- 8. Deletion -------------------------------------------------------------------------


def test_8_a_delete_answers_204_and_the_annotation_is_gone(container, token):
    url = _post(container, token).header("Location")
    etag = call("GET", url, headers=_auth(token)).header("ETag")
    assert call("DELETE", url, headers=_auth(token, If_Match=etag)).status == 204
    gone = call("GET", url, headers=_auth(token))
    assert gone.status == 404 and gone.json()["status"] == 404 and RESOURCE in _links(gone)
