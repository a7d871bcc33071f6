"""Editing texts through the pages: roles, htmx fragments, conflicts, history, reverts."""

import re

import pytest
from django.urls import reverse

from editions.booksize import synthetic_book
from editions.docpage import PAGE_ROWS
from editions.models import FootnoteRef, Segment, SegmentRevision, Witness, WitnessRole
from editions.revisions import save_text

EDIT = {"owner": 200, "editor": 200, "annotator": 403, "reader": 403, "outsider": 404, None: 302}
READ = {"owner": 200, "editor": 200, "annotator": 200, "reader": 200, "outsider": 404, None: 302}
ALL = list(EDIT)
HTMX = {"HX-Request": "true"}


def url(name: str, document, *rest) -> str:
    return reverse(f"editions:{name}", args=[document.edition.slug, document.slug, *rest])


def segment_url(name: str, document, sid: str = "p1") -> str:
    return url(name, document, "cvce-en", sid)


def p1(document) -> Segment:
    return Segment.objects.get(witness__document=document, witness__slug="cvce-en", sid="p1")


def save(client, document, text, version=1, sid="p1", **headers):
    return client.post(
        segment_url("segment_edit", document, sid),
        {"text": text, "version": version, "reason": "typo"},
        headers=headers,
    )


@pytest.mark.parametrize("user", ALL)
def test_only_editors_and_owners_open_the_editor(client_as, document, user):
    response = client_as(user).get(segment_url("segment_edit", document))
    assert response.status_code == EDIT[user]


@pytest.mark.parametrize("user", ALL)
def test_only_editors_and_owners_save_a_text(client_as, document, user):
    response = save(client_as(user), document, "Mr Rusk insisted on it.")
    saved = p1(document).text == "Mr Rusk insisted on it."
    if EDIT[user] == 200:
        assert response.status_code == 302
        assert response.url == f"{document.get_absolute_url()}?at=cvce-en-p1#cvce-en-p1"
        assert saved and SegmentRevision.objects.get().user.username == user
    else:
        assert response.status_code == EDIT[user]
        assert not saved and not SegmentRevision.objects.exists()


@pytest.mark.parametrize("user", ALL)
def test_every_reader_sees_the_histories(client_as, document, user):
    for name, args in [("segment_history", ["cvce-en", "p1"]), ("witness_history", ["cvce-en"])]:
        assert client_as(user).get(url(name, document, *args)).status_code == READ[user]


def test_the_document_page_offers_inline_editing_to_editors_only(client_as, document):
    edit_url = segment_url("segment_edit", document)
    editor_page = client_as("editor").get(document.get_absolute_url()).text
    # Each edit link works with and without JavaScript: the same URL in href and hx-get.
    assert f'href="{edit_url}" hx-get="{edit_url}"' in editor_page
    assert "Create a revision" in editor_page
    reader_page = client_as("reader").get(document.get_absolute_url()).text
    assert edit_url not in reader_page and "Create a revision" not in reader_page


def test_htmx_swaps_the_form_in_and_the_saved_segment_back_from_the_page(client_as, document):
    client = client_as("editor")
    form = client.get(segment_url("segment_edit", document), headers=HTMX)
    assert form.status_code == 200
    assert "<html" not in form.text and 'class="segment-editor"' in form.text
    assert 'name="version" value="1"' in form.text and "Mr Rusk stressed it." in form.text
    # Save and Cancel take the segment from the document page itself (one markup for it).
    assert """hx-select='[id="cvce-en-p1"], [id="edit-cvce-en-p1"]'""" in form.text
    passage = f"{document.get_absolute_url()}?at=cvce-en-p1#cvce-en-p1"
    assert f"""hx-get="{passage}" hx-select='[id="cvce-en-p1"]'""" in form.text
    saved = save(client, document, "Mr Rusk insisted on it.", **HTMX)
    assert saved.status_code == 302
    assert saved.url == f"{document.get_absolute_url()}?at=cvce-en-p1&saved=cvce-en-p1#cvce-en-p1"
    page = client.get(saved.url).text
    segment = page[page.index('id="cvce-en-p1"') :]
    assert segment.index("Mr Rusk insisted on it.") < segment.index("Saved: version 2")
    assert page.count("Saved: version") == 1


def test_a_segment_saved_past_the_first_screen_of_a_book_comes_back_from_its_own_rows(
    client_as, edition
):
    """htmx takes the saved segment from the page it is redirected to: that page must hold it,
    though a book's page shows its first rows only."""
    book = synthetic_book(edition, rows=PAGE_ROWS * 3)
    last = Segment.objects.filter(witness__document=book).order_by("-position").first()
    url = reverse(
        "editions:segment_edit", args=[edition.slug, book.slug, last.witness.slug, last.sid]
    )
    client = client_as("editor")
    data = {"text": "A far paragraph, changed.", "version": last.version}
    saved = client.post(url, data, headers=HTMX)
    page = client.get(saved.url, headers=HTMX).text
    segment = page[page.index(f'id="{last.anchor_id}"') :]
    assert segment.index("A far paragraph, changed.") < segment.index("Saved: version 2")
    cancel = client.get(url, headers=HTMX).text
    back = re.search(r'hx-get="([^"]+)" hx-select', cancel)[1].replace("&amp;", "&")
    assert f'id="{last.anchor_id}"' in client.get(back, headers=HTMX).text


def test_a_saved_text_keeps_its_footnote_marker_on_the_page(client_as, document):
    client = client_as("editor")
    response = save(client, document, "In my telegrams Nos 5978 to 5982, I set out.", sid="p2")
    ref = FootnoteRef.objects.get()
    page = client.get(response.url).text
    assert f'5982,<sup class="fn-ref" id="ref-cvce-en-p2-{ref.pk}">' in page


def test_a_stale_save_gets_409_with_both_texts_and_their_diff_and_changes_nothing(
    client_as, document
):
    save(client_as("owner"), document, "Mr Rusk insisted on it.")
    response = save(client_as("editor"), document, "Mr Rusk stressed it strongly.", **HTMX)
    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this text" in page
    # The diff reads from the current text to yours.
    assert "<del>insisted on it</del>" in page and "<ins>stressed it strongly</ins>" in page
    # The form starts again from yours, based on the current version.
    assert 'name="version" value="2"' in page
    assert ">Mr Rusk stressed it strongly.</textarea>" in page
    assert p1(document).text == "Mr Rusk insisted on it."
    assert SegmentRevision.objects.count() == 1


def test_without_javascript_a_stale_save_gets_the_whole_conflict_page(client_as, document):
    save(client_as("owner"), document, "Mr Rusk insisted on it.")
    response = save(client_as("editor"), document, "Mr Rusk stressed it strongly.")
    assert response.status_code == 409
    assert "<html" in response.text and "Save mine over theirs" in response.text


def test_an_empty_text_is_refused(client_as, document):
    response = save(client_as("editor"), document, "   ")
    assert response.status_code == 400
    assert p1(document).version == 1


def test_the_history_compares_any_two_versions_and_an_editor_reverts(client_as, document):
    client = client_as("editor")
    save(client, document, "Mr Rusk insisted on it.")
    save(client, document, "Mr Rusk insisted on it at length.", version=2)
    history = client.get(segment_url("segment_history", document), {"a": 1, "b": 3})
    assert history.status_code == 200
    assert "<del>stressed it</del>" in history.text
    assert "<ins>insisted on it at length</ins>" in history.text
    assert "Revert to version 1" in history.text
    fragment = client.get(segment_url("segment_history", document), {"a": 2, "b": 3}, headers=HTMX)
    assert "<html" not in fragment.text and 'id="version-diff"' in fragment.text
    assert "<ins> at length</ins>" in fragment.text
    reverted = client.post(segment_url("segment_revert", document), {"to": 1, "version": 3})
    assert reverted.status_code == 302
    assert p1(document).text == "Mr Rusk stressed it."
    assert p1(document).version == 4
    latest = SegmentRevision.objects.order_by("-pk").first()
    assert (latest.reverted_to, latest.text_before) == (1, "Mr Rusk insisted on it at length.")
    assert "reverted to version 1" in client.get(segment_url("segment_history", document)).text


@pytest.mark.parametrize("user", ["annotator", "reader"])
def test_readers_and_annotators_cannot_revert(client_as, document, user):
    save(client_as("editor"), document, "Mr Rusk insisted on it.")
    response = client_as(user).post(
        segment_url("segment_revert", document), {"to": 1, "version": 2}
    )
    assert response.status_code == 403
    assert p1(document).version == 2


def test_a_stale_revert_gets_the_conflict_view(client_as, document):
    client = client_as("editor")
    save(client, document, "Mr Rusk insisted on it.")
    save(client, document, "Mr Rusk insisted.", version=2)
    response = client.post(segment_url("segment_revert", document), {"to": 1, "version": 2})
    assert response.status_code == 409
    assert "Someone else saved this text" in response.text
    assert p1(document).text == "Mr Rusk insisted."


def test_reverting_to_a_version_that_does_not_exist_is_refused(client_as, document):
    client = client_as("editor")
    response = client.post(segment_url("segment_revert", document), {"to": 9, "version": 1})
    assert response.status_code == 302
    assert p1(document).version == 1 and not SegmentRevision.objects.exists()


def test_the_witness_history_lists_every_change_with_its_diff(client_as, document):
    client = client_as("editor")
    save(client, document, "Mr Rusk insisted on it.")
    save(client, document, "In my telegrams Nos 5978–5982, I set out.", sid="p2")
    page = client.get(url("witness_history", document, "cvce-en")).text
    newest_first = [
        "<del>telegram</del><ins>telegrams</ins>",
        "<del>stressed</del><ins>insisted on</ins>",
    ]
    assert page.index(newest_first[0]) < page.index(newest_first[1])
    assert page.count("Undo this change") == 2


@pytest.mark.parametrize(
    ("user", "status"), [("editor", 302), ("owner", 302), ("annotator", 403), ("reader", 403)]
)
def test_editors_create_revision_witnesses(client_as, document, user, status):
    response = client_as(user).post(url("revision_create", document, "cvce-en"))
    assert response.status_code == status
    created = Witness.objects.filter(role=WitnessRole.REVISION)
    assert created.count() == (1 if status == 302 else 0)
    if status == 302:
        assert response.url.endswith("#witness-cvce-en-revision")
        page = client_as(user).get(document.get_absolute_url()).text
        assert "Revision of CVCE translation" in page
        assert "Compare with CVCE translation" in page


def test_an_original_cannot_be_revised(client_as, document):
    witness = document.witnesses.get()
    witness.role = WitnessRole.ORIGINAL
    witness.save()
    client_as("editor").post(url("revision_create", document, "cvce-en"))
    assert not Witness.objects.filter(role=WitnessRole.REVISION).exists()


@pytest.mark.parametrize("label", ["a\x00b", "x" * 201])
def test_a_revision_label_the_database_cannot_store_is_refused(client_as, document, label):
    response = client_as("editor").post(
        url("revision_create", document, "cvce-en"), {"label": label}
    )
    assert response.status_code == 302
    assert not Witness.objects.filter(role=WitnessRole.REVISION).exists()
    page = client_as("editor").get(response.url).text
    assert "Give the revision a shorter label, in plain text." in page


def test_the_admin_shows_revisions_read_only(client, document):
    from django.contrib.auth import get_user_model

    segment = Segment.objects.get(witness__document=document, sid="p1")
    save_text(segment, 1, "Mr Rusk insisted on it.", None)
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-admin-1962")
    client.force_login(admin)
    revision = SegmentRevision.objects.get()
    assert client.get(reverse("admin:editions_segmentrevision_changelist")).status_code == 200
    page = client.get(reverse("admin:editions_segmentrevision_change", args=[revision.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.get(reverse("admin:editions_segmentrevision_add")).status_code == 403
