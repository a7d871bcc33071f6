"""Annotating through the pages, role by role, and the live event stream."""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from editions import events
from editions.annotating import Span, create_annotation, ensure_categories, reanchor_segment
from editions.models import Annotation, Event

from .conftest import doc_url


@pytest.fixture
def segment(document):
    ensure_categories(document.edition)
    return document.witnesses.get().segments.get(sid="p1")


def _post_annotation(client, segment, **fields):
    data = {
        "spans": json.dumps([{"segment": segment.pk, "start": 3, "end": 7}]),
        "body": "Dean **Rusk**",
        "category": segment.witness.document.edition.categories.get(slug="editorial-note").pk,
        "tags": "people, #usa",
        **fields,
    }
    document = segment.witness.document
    return client.post(doc_url(document, "annotation_create"), data, headers={"HX-Request": "true"})


def _made_by(username, segment, **kwargs) -> Annotation:
    return create_annotation(
        user=get_user_model().objects.get(username=username),
        document=segment.witness.document,
        spans=[Span(segment, 3, 7)],
        body=kwargs.pop("body", "A note"),
        **kwargs,
    )


@pytest.mark.parametrize(
    ("user", "status"),
    [("annotator", 200), ("editor", 200), ("owner", 200), ("reader", 403), ("outsider", 404)],
)
def test_annotators_and_above_annotate(client_as, segment, user, status):
    response = _post_annotation(client_as(user), segment)
    assert response.status_code == status
    assert Annotation.objects.count() == (1 if status == 200 else 0)


def test_a_new_annotation_comes_back_as_its_thread_and_tells_the_page(client_as, segment):
    response = _post_annotation(client_as("annotator"), segment)
    annotation = Annotation.objects.get()
    assert f'id="thread-{annotation.pk}"' in response.text
    assert "<strong>Rusk</strong>" in response.text
    assert "annotations-changed" in response.headers["HX-Trigger"]
    assert annotation.tags == ["people", "usa"]
    assert annotation.targets.get().quote == "Rusk"


def test_one_annotation_ties_a_french_phrase_to_its_rendering(client_as, segment):
    from editions.models import Segment, Witness

    document = segment.witness.document
    original = Witness.objects.create(document=document, slug="fr", language="fr", role="original")
    french = Segment.objects.create(
        witness=original, sid="p1", position=1, text="M. Rusk a souligné"
    )
    spans = json.dumps(
        [
            {"segment": french.pk, "start": 3, "end": 7},
            {"segment": segment.pk, "start": 3, "end": 7},
        ]
    )
    assert _post_annotation(client_as("annotator"), segment, spans=spans).status_code == 200
    annotation = Annotation.objects.get()
    targets = {t.witness.slug: t.quote for t in annotation.targets.all()}
    assert targets == {"fr": "Rusk", segment.witness.slug: "Rusk"}
    page = client_as("reader").get(document.get_absolute_url()).text
    assert page.count(f'<mark class="anno" data-annotations="{annotation.pk}"') == 2


def test_a_selection_outside_the_text_is_refused(client_as, segment):
    spans = json.dumps([{"segment": segment.pk, "start": 3, "end": 999}])
    response = _post_annotation(client_as("annotator"), segment, spans=spans)
    assert response.status_code == 400
    assert not Annotation.objects.exists()


def test_the_body_is_sanitized_on_the_page(client_as, segment):
    _made_by("annotator", segment, body='<script>alert(1)</script><a href="javascript:x">y</a>')
    annotation = Annotation.objects.get()
    page = client_as("reader").get(annotation.get_absolute_url()).text
    assert "<script>alert(1)" not in page
    assert '<a href="javascript' not in page
    assert "&lt;script&gt;alert(1)" in page


def test_private_annotations_are_hidden_from_others(client_as, segment):
    annotation = _made_by("annotator", segment, visibility="private")
    assert client_as("owner").get(annotation.get_absolute_url()).status_code == 404
    assert client_as("annotator").get(annotation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("user", "allowed"), [("annotator", True), ("owner", True), ("editor", False)]
)
def test_authors_edit_their_own_and_owners_moderate(client_as, segment, user, allowed):
    annotation = _made_by("annotator", segment)
    url = doc_url(segment.witness.document, "annotation_edit", annotation.pk)
    client_as(user).post(url, {"body": "Changed", "version": 1})
    annotation.refresh_from_db()
    assert (annotation.body == "Changed") is allowed


def test_a_stale_edit_gets_409_and_both_versions(client_as, segment):
    annotation = _made_by("annotator", segment, body="Original")
    url = doc_url(segment.witness.document, "annotation_edit", annotation.pk)
    client_as("owner").post(url, {"body": "Theirs", "version": 1})
    response = client_as("annotator").post(url, {"body": "Mine", "version": 1})
    assert response.status_code == 409
    assert "Theirs" in response.text and "Mine" in response.text
    annotation.refresh_from_db()
    assert annotation.body == "Theirs"


def test_an_edit_the_database_cannot_store_keeps_what_was_typed(client_as, segment):
    annotation = _made_by("annotator", segment, body="Original")
    url = doc_url(segment.witness.document, "annotation_edit", annotation.pk)
    response = client_as("annotator").post(
        url, {"body": "Better\x00", "tags": "people, usa", "version": 1}
    )
    assert response.status_code == 400 and "NUL character" in response.text
    assert ">Better\x00</textarea>" in response.text and 'value="people, usa"' in response.text
    assert "Someone else saved" not in response.text
    annotation.refresh_from_db()
    assert annotation.body == "Original"


def test_threads_take_replies_and_resolve_and_reopen(client_as, segment):
    annotation = _made_by("annotator", segment)
    document = segment.witness.document
    client = client_as("editor")
    client.post(doc_url(document, "reply_create", annotation.pk), {"body": "Yes, @annotator."})
    client.post(doc_url(document, "annotation_status", annotation.pk), {"status": "resolved"})
    annotation.refresh_from_db()
    assert annotation.status == "resolved"
    assert annotation.replies.get().mentions == ["annotator"]
    client.post(doc_url(document, "annotation_status", annotation.pk), {"status": "open"})
    annotation.refresh_from_db()
    assert annotation.status == "open"


def test_readers_cannot_reply(client_as, segment):
    annotation = _made_by("annotator", segment)
    url = doc_url(segment.witness.document, "reply_create", annotation.pk)
    assert client_as("reader").post(url, {"body": "Hi"}).status_code == 403


def test_an_empty_reply_is_explained_in_the_thread(client_as, segment):
    annotation = _made_by("annotator", segment)
    url = doc_url(segment.witness.document, "reply_create", annotation.pk)
    response = client_as("editor").post(url, {"body": "   "}, headers={"HX-Request": "true"})
    assert response.status_code == 400  # swapped by htmx (see htmx-config in base.html)
    assert (
        "Write a reply first." in response.text and f'id="thread-{annotation.pk}"' in response.text
    )


def test_delete_by_author_or_owner_only(client_as, segment):
    annotation = _made_by("annotator", segment)
    url = doc_url(segment.witness.document, "annotation_delete", annotation.pk)
    assert client_as("editor").post(url).status_code == 404
    assert client_as("owner").post(url).status_code == 302
    assert not Annotation.objects.exists()


def test_the_panel_filters_and_lists_orphans(client_as, segment):
    kept = _made_by("annotator", segment, body="kept")
    lost = _made_by("editor", segment, body="lost")
    segment.text = "Mr Dean stressed it."
    segment.save()
    lost.targets.update(selectors=[{"type": "TextQuoteSelector", "exact": "vanished words"}])
    reanchor_segment(segment)
    panel = doc_url(segment.witness.document, "annotation_panel")
    client = client_as("reader")
    page = client.get(panel, {"author": "annotator"}).text
    assert f'data-annotation="{kept.pk}"' in page and f'data-annotation="{lost.pk}"' not in page
    assert "Unanchored" in client.get(panel).text


def test_the_panel_filters_by_tag_and_keeps_every_author_and_tag_on_offer(client_as, segment):
    people = _made_by("annotator", segment, body="people", tags=["people", "Élysée"])
    places = _made_by("editor", segment, body="places", tags=["places"])
    private = _made_by("editor", segment, body="mine", tags=["secret-tag"], visibility="private")
    panel = doc_url(segment.witness.document, "annotation_panel")
    client = client_as("reader")
    page = client.get(panel, {"tag": "Élysée"}).text
    assert f'data-annotation="{people.pk}"' in page
    assert f'data-annotation="{places.pk}"' not in page
    assert '<option value="places" >#places</option>' in page  # still on offer
    assert '<option value="editor" >editor</option>' in page
    assert "secret-tag" not in page and f'data-annotation="{private.pk}"' not in page
    only_people = client.get(panel, {"author": "annotator"}).text
    assert '<option value="editor" >editor</option>' in only_people
    assert '<span class="tag">#Élysée</span>' in only_people


def test_a_nul_character_is_refused_with_a_message_and_nothing_saved(client_as, segment):
    # PostgreSQL cannot store U+0000: the note, its tags and replies are checked first.
    response = _post_annotation(client_as("annotator"), segment, body="Dean\x00Rusk")
    assert response.status_code == 400 and "NUL character" in response.text
    response = _post_annotation(client_as("annotator"), segment, tags="usa, bad\x00tag")
    assert response.status_code == 400 and not Annotation.objects.exists()
    annotation = _made_by("annotator", segment)
    document = segment.witness.document
    reply = client_as("editor").post(
        doc_url(document, "reply_create", annotation.pk),
        {"body": "Yes\x00"},
        headers={"HX-Request": "true"},
    )
    assert reply.status_code == 400 and not annotation.replies.exists()
    assert '<p class="error" role="alert">' in reply.text and "NUL character" in reply.text
    assert ">Yes\x00</textarea>" in reply.text  # what was typed, kept to correct


def test_an_orphan_is_reattached_by_selecting_new_text(client_as, segment):
    annotation = _made_by("annotator", segment)
    target = annotation.targets.get()
    target.start = target.end = None
    target.save()
    url = doc_url(segment.witness.document, "target_reattach", target.pk)
    spans = json.dumps([{"segment": segment.pk, "start": 0, "end": 2}])
    response = client_as("annotator").post(url, {"spans": spans}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    target.refresh_from_db()
    assert (target.start, target.end, target.quote) == (0, 2, "Mr")


@pytest.mark.django_db(transaction=True)
def test_the_stream_replays_events_after_the_last_id_it_was_given(edition, segment):
    annotator = get_user_model().objects.get(username="annotator")
    first = _made_by("annotator", segment)
    after = Event.objects.get().pk
    second = _made_by("annotator", segment)

    async def read(n):
        stream = events.stream(segment.witness.document_id, annotator.pk, after)
        chunks = []
        async for chunk in stream:
            chunks.append(chunk)
            if len(chunks) == n:
                break
        await stream.aclose()
        return chunks

    # A thread of its own: Playwright's sync API may hold an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        chunks = pool.submit(asyncio.run, read(3)).result(timeout=30)
    assert chunks[0].startswith("retry:")
    text = "".join(chunks)
    assert f'"annotation": {second.pk}' in text
    assert f'"annotation": {first.pk}' not in text
    assert "event: changed" in text or "event: presence" in text


def test_under_wsgi_the_stream_answers_at_once_with_what_happened_since_the_last_id(
    client_as, segment
):
    first = _made_by("annotator", segment)
    second = _made_by("annotator", segment)
    after = Event.objects.get(data__annotation=first.pk).pk
    url = doc_url(segment.witness.document, "document_events")
    response = client_as("reader").get(url, headers={"Last-Event-ID": str(after)})
    assert response["Content-Type"] == "text/event-stream"
    assert not response.streaming
    text = response.content.decode()
    assert text.startswith("retry: 2000")
    assert f'"annotation": {second.pk}' in text
    assert f'"annotation": {first.pk}' not in text


def test_under_wsgi_a_quiet_answer_still_carries_the_id_to_resume_from(client_as, segment):
    _made_by("annotator", segment)
    last = Event.objects.order_by("-pk").first().pk
    url = doc_url(segment.witness.document, "document_events")
    text = client_as("reader").get(url).content.decode()
    assert f"id: {last}\n\n" in text
    assert "event: changed" not in text


def test_the_event_stream_refuses_strangers(client_as, segment):
    url = doc_url(segment.witness.document, "document_events")
    assert client_as("outsider").get(url).status_code == 404


@pytest.mark.parametrize(("user", "status"), [("owner", 200), ("editor", 403), ("outsider", 404)])
def test_only_owners_edit_the_taxonomy(client_as, edition, user, status):
    url = reverse("editions:categories", args=[edition.slug])
    assert client_as(user).get(url).status_code == status


def test_an_owner_adds_recolours_and_removes_a_category(client_as, segment):
    edition = segment.witness.document.edition
    client = client_as("owner")
    url = reverse("editions:categories", args=[edition.slug])
    client.post(url, {"name": "Diplomatic formula", "color": "#123456", "position": 9})
    category = edition.categories.get(slug="diplomatic-formula")
    update = reverse("editions:category_update", args=[edition.slug, category.pk])
    bad = {
        f"{category.pk}-name": "X",
        f"{category.pk}-color": "red;x",
        f"{category.pk}-position": 1,
    }
    client.post(update, bad)
    category.refresh_from_db()
    assert category.color == "#123456"  # not a colour: refused
    annotation = _made_by("annotator", segment, category=category)
    client.post(update, {"delete": "1"})
    annotation.refresh_from_db()
    assert annotation.category is None


def test_default_category_names_show_in_the_readers_language(client_as, segment):
    document = segment.witness.document
    ensure_categories(document.edition)
    client = client_as("annotator")
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    page = client.get(document.get_absolute_url())
    assert ">note éditoriale</option>" in page.text and ">editorial note<" not in page.text
    renamed = document.edition.categories.get(slug="omission")
    renamed.name = "lacune"
    renamed.save()
    assert ">lacune</option>" in client.get(document.get_absolute_url()).text


def test_empty_states_lead_to_the_next_step(client_as, segment):
    document = segment.witness.document
    page = client_as("editor").get(document.get_absolute_url()).text
    assert "Next: add the French original" in page
    assert "?role=original&amp;language=fr" in page
    edition_page = client_as("editor").get(document.edition.get_absolute_url()).text
    assert "No annotation yet" in edition_page
    _made_by("annotator", segment)
    assert (
        "No annotation yet" not in client_as("editor").get(document.edition.get_absolute_url()).text
    )
    reader_page = client_as("reader").get(document.get_absolute_url()).text
    assert "An editor of this edition can add it." in reader_page


def test_the_add_witness_page_takes_the_suggested_language_and_role(client_as, segment):
    document = segment.witness.document
    url = reverse("editions:witness_add", args=[document.edition.slug, document.slug])
    page = client_as("editor").get(f"{url}?role=original&language=fr").text
    assert '<option value="original" selected>' in page
