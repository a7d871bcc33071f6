"""The pages, as a signed-in user uses them."""

import pytest
from django.urls import reverse

from editions.models import Document, Edition, Membership, Role


def test_a_user_creates_an_edition_and_becomes_its_owner(client_as, edition):
    client = client_as("reader")
    response = client.post(
        reverse("editions:edition_create"), {"title": "Berlin 1961", "description": "Wall."}
    )
    created = Edition.objects.get(slug="berlin-1961")
    assert response.status_code == 302
    assert Membership.objects.get(edition=created, user__username="reader").role == Role.OWNER


def test_an_edition_slug_must_be_free(client_as, edition):
    response = client_as("reader").post(
        reverse("editions:edition_create"), {"title": "Test edition"}
    )
    assert response.status_code == 400
    assert Edition.objects.filter(slug="test-edition").count() == 1


def test_the_edition_page_lists_documents_and_their_witnesses(client_as, document):
    page = client_as("reader").get(reverse("editions:edition_detail", args=["test-edition"]))
    assert "Letter from Hervé Alphand" in page.text
    assert "CVCE translation" in page.text
    assert "T. Nos 5983 to 5985" in page.text


def test_the_document_page_shows_metadata_columns_ids_and_linked_footnotes(client_as, document):
    page = client_as("reader").get(document.get_absolute_url()).text
    assert "Hervé Alphand" in page
    assert 'id="cvce-en-p1"' in page and ">p1</a>" in page
    # The marker stands where it stood in the published text and links to its note.
    assert "Nos 5978–5982" in page
    assert '<a href="#cvce-en-n3"' in page
    assert 'id="cvce-en-n3"' in page
    assert "This telegram of the same date." in page


def test_readers_see_no_edit_buttons(client_as, document):
    page = client_as("reader").get(document.get_absolute_url()).text
    assert "Edit metadata" not in page
    assert "Edit metadata" in client_as("editor").get(document.get_absolute_url()).text


def test_hostile_text_is_escaped(client_as, document):
    segment = document.witnesses.get().segments.get(sid="p1")
    segment.text = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    segment.save()
    document.title = "<b>bold</b>"
    document.save()
    page = client_as("reader").get(document.get_absolute_url()).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page


def _metadata(document: Document, **changes) -> dict:
    data = {
        "title": document.title,
        "date": "1962-10-26",
        "time": "",
        "author": document.author,
        "recipient": "Maurice Couve de Murville",
        "place": "Washington",
        "classification": "Priority, Secret, Limited circulation",
        "reference_numbers": document.reference_numbers,
        "received_note": "Received: 27 October. 2.20 a.m.",
        "source_series": "Documents diplomatiques français",
        "source_volume": "1962, vol. II",
        "source_pages": "335-336",
        "source_publication": "Paris: Imprimerie nationale, 1999",
        "summary": "",
        "version": document.version,
    }
    data.update(changes)
    return data


def test_an_editor_edits_the_metadata(client_as, document):
    url = reverse("editions:document_edit", args=[document.edition.slug, document.slug])
    response = client_as("editor").post(url, _metadata(document, place="Washington D.C."))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.place == "Washington D.C."
    assert document.version == 2
    assert str(document.date) == "1962-10-26"


def test_it_rejects_a_stale_version_and_shows_both(client_as, document):
    url = reverse("editions:document_edit", args=[document.edition.slug, document.slug])
    stale = _metadata(document, place="Paris")
    client_as("owner").post(url, _metadata(document, place="Washington"))
    response = client_as("editor").post(url, stale)
    assert response.status_code == 409
    assert "Someone else saved this document" in response.text
    assert "Washington" in response.text and "Paris" in response.text
    document.refresh_from_db()
    assert document.place == "Washington"


def test_invalid_metadata_changes_nothing(client_as, document):
    url = reverse("editions:document_edit", args=[document.edition.slug, document.slug])
    response = client_as("editor").post(url, _metadata(document, date="26/26/1962"))
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.version == 1


def test_an_owner_adds_changes_and_removes_a_member(client_as, document):
    from tests.conftest import make_user

    make_user("newcomer")
    client = client_as("owner")
    slug = document.edition.slug
    client.post(
        reverse("editions:members", args=[slug]), {"username": "newcomer", "role": "editor"}
    )
    membership = Membership.objects.get(user__username="newcomer")
    assert membership.role == Role.EDITOR
    client.post(reverse("editions:member_update", args=[slug, membership.pk]), {"role": "reader"})
    membership.refresh_from_db()
    assert membership.role == Role.READER
    client.post(reverse("editions:member_remove", args=[slug, membership.pk]))
    assert not Membership.objects.filter(user__username="newcomer").exists()


def test_adding_an_unknown_user_says_so(client_as, document):
    response = client_as("owner").post(
        reverse("editions:members", args=[document.edition.slug]),
        {"username": "nobody", "role": "editor"},
    )
    assert "No user is called nobody." in response.text


def test_the_members_form_answers_htmx_with_the_fragment(client_as, document):
    response = client_as("owner").post(
        reverse("editions:members", args=[document.edition.slug]),
        {"username": "nobody", "role": "editor"},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith('<div id="member-list">')


@pytest.mark.parametrize("action", ["demote", "remove"])
def test_the_last_owner_stays(client_as, document, action):
    owner = Membership.objects.get(edition=document.edition, role=Role.OWNER)
    slug = document.edition.slug
    client = client_as("owner")
    if action == "demote":
        client.post(reverse("editions:member_update", args=[slug, owner.pk]), {"role": "reader"})
    else:
        client.post(reverse("editions:member_remove", args=[slug, owner.pk]))
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_the_interface_speaks_french(client_as, document):
    client = client_as("reader")
    page = client.get(document.get_absolute_url(), headers={"Accept-Language": "fr"}).text
    assert "Éditions" in page
    assert "Se déconnecter" in page


def test_an_owner_sets_the_search_equivalents(client_as, edition):
    url = reverse("editions:edition_edit", args=[edition.slug])
    data = {"title": edition.title, "slug": edition.slug, "description": ""}
    equivalents = "  Khrushchev, Khrouchtchev  \r\n\r\nNATO, OTAN\r\n"
    response = client_as("owner").post(url, {**data, "search_equivalents": equivalents})
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.search_equivalents == "Khrushchev, Khrouchtchev\nNATO, OTAN"


def test_a_line_with_one_spelling_is_refused_and_nothing_changes(client_as, edition):
    url = reverse("editions:edition_edit", args=[edition.slug])
    data = {
        "title": "Renamed",
        "slug": edition.slug,
        "search_equivalents": "NATO, OTAN\nKhrushchev",
    }
    response = client_as("owner").post(url, data)
    assert response.status_code == 200
    assert "Line 2 names one spelling only" in response.text
    edition.refresh_from_db()
    assert edition.title != "Renamed" and edition.search_equivalents == ""
