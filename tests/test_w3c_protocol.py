"""The W3C Web Annotation Protocol container, checked with the W3C test schemas."""

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from editions.annotating import Span, create_annotation, ensure_categories
from editions.models import Annotation

MEDIA = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def witness(document):
    ensure_categories(document.edition)
    return document.witnesses.get()


def _container(witness) -> str:
    d = witness.document
    return reverse("editions:w3c_container", args=[d.edition.slug, d.slug, witness.slug])


def _annotate(witness, author):
    from django.contrib.auth import get_user_model

    segment = witness.segments.get(sid="p1")
    return create_annotation(
        user=get_user_model().objects.get(username=author),
        document=witness.document,
        spans=[Span(segment, 0, 7)],
        body="Rusk, *Secretary of State*.",
        category=witness.document.edition.categories.get(slug="historical-context"),
        tags=["people"],
    )


def _validate(shared_dir, tmp_path, data, *tests) -> subprocess.CompletedProcess:
    path = tmp_path / "out.json"
    path.write_text(json.dumps(data))
    tool = shared_dir / "tools" / "validate_w3c_annotation.py"
    return subprocess.run(
        [sys.executable, str(tool), str(path), *tests], capture_output=True, text=True
    )


def test_an_annotation_posted_to_the_container_is_created_with_its_location(client_as, witness):
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "Who is meant?", "purpose": "commenting"},
            {"type": "TextualBody", "value": "historical context", "purpose": "classifying"},
        ],
        "target": {
            "source": f"http://testserver/whatever#{witness.slug}-p1",
            "selector": {"type": "TextQuoteSelector", "exact": "Rusk stressed"},
        },
    }
    response = client_as("annotator").post(
        _container(witness), json.dumps(body), content_type=MEDIA
    )
    assert response.status_code == 201
    annotation = Annotation.objects.get()
    assert response["Location"].endswith(f"/annotations/{annotation.pk}")
    assert response["Content-Type"] == MEDIA
    assert annotation.targets.get().quote == "Rusk stressed"
    assert annotation.category.slug == "historical-context"


@pytest.mark.parametrize("where", ["source", "category", "selector"])
def test_a_nul_character_anywhere_in_a_posted_annotation_is_a_400(client_as, witness, where):
    nul = "\x00"
    body = {
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "value": "Note", "purpose": "commenting"},
            {
                "type": "TextualBody",
                "value": f"history{nul}" if where == "category" else "history",
                "purpose": "classifying",
            },
        ],
        "target": {
            "source": f"http://testserver/x#{witness.slug}-p1{nul if where == 'source' else ''}",
            "selector": {
                "type": "TextQuoteSelector",
                "exact": f"Rusk{nul}" if where == "selector" else "Rusk",
            },
        },
    }
    response = client_as("annotator").post(
        _container(witness), json.dumps(body), content_type=MEDIA
    )
    assert response.status_code == 400 and not Annotation.objects.exists()
    assert "NUL character" in response.text


def test_readers_may_not_post(client_as, witness):
    response = client_as("reader").post(_container(witness), "{}", content_type=MEDIA)
    assert response.status_code == 403


def test_the_container_answers_with_a_paged_collection_and_protocol_headers(client_as, witness):
    _annotate(witness, "annotator")
    response = client_as("reader").get(_container(witness))
    data = response.json()
    assert response["Content-Type"] == MEDIA
    assert "ldp#BasicContainer" in response["Link"]
    assert response["Allow"].startswith("GET")
    assert "Accept" in response["Vary"] and response["ETag"]
    assert data["type"] == ["BasicContainer", "AnnotationCollection"]
    assert data["total"] == 1 and data["first"]["items"][0]["type"] == "Annotation"


def test_put_needs_the_current_etag_and_delete_removes(client_as, witness):
    annotation = _annotate(witness, "annotator")
    client = client_as("annotator")
    url = _container(witness) + str(annotation.pk)
    current = client.get(url)
    data = current.json()
    data["body"][0]["value"] = "Dean Rusk, Secretary of State."
    assert client.put(url, json.dumps(data), content_type=MEDIA).status_code == 428
    stale = client.put(url, json.dumps(data), content_type=MEDIA, headers={"If-Match": '"x"'})
    assert stale.status_code == 412
    ok = client.put(
        url, json.dumps(data), content_type=MEDIA, headers={"If-Match": current["ETag"]}
    )
    assert ok.status_code == 200
    annotation.refresh_from_db()
    assert annotation.body == "Dean Rusk, Secretary of State."
    assert client_as("reader").delete(url).status_code == 403
    assert client_as("annotator").delete(url).status_code == 204
    assert not Annotation.objects.exists()


def test_private_annotations_stay_out_of_other_peoples_collections(client_as, witness):
    annotation = _annotate(witness, "annotator")
    annotation.visibility = "private"
    annotation.save()
    assert client_as("reader").get(_container(witness)).json()["total"] == 0
    assert client_as("annotator").get(_container(witness)).json()["total"] == 1


def test_the_output_passes_the_w3c_test_schemas(client_as, witness, shared_dir, tmp_path):
    annotation = _annotate(witness, "annotator")
    client = client_as("reader")
    single = client.get(_container(witness) + str(annotation.pk)).json()
    result = _validate(shared_dir, tmp_path, single)
    assert result.returncode == 0, result.stdout + result.stderr
    collection = client.get(_container(witness)).json()
    result = _validate(shared_dir, tmp_path, collection, "collections/collectionMusts.test")
    assert result.returncode == 0, result.stdout + result.stderr
    page = client.get(_container(witness) + "?page=0").json()
    assert page["type"] == "AnnotationPage" and page["partOf"]["total"] == 1
    result = _validate(shared_dir, tmp_path, page["items"][0])
    assert result.returncode == 0, result.stdout + result.stderr
