"""Importing through the browser: upload or paste, preview, then save (or be told why not)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from editions.models import Document, Segment, Witness

from .conftest import FIXTURES, edition_url

FRENCH = (
    "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs "
    "de rester dans son bureau.\n\n"
    "M. Rusk a souligné que la surveillance aérienne avait montré que les bases cubaines "
    "continuaient à être construites à un rythme accéléré.\n"
)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_preview_shows_what_was_parsed_and_saves_nothing(client_as, edition):
    seed = (FIXTURES / "cvce-alphand-1962-10-26.txt").read_bytes()
    response = client_as("editor").post(
        edition_url(edition, "import_record"), {"file": _upload("cvce.txt", seed), "preview": "1"}
    )
    assert response.status_code == 200
    assert "T. Nos 5983 to 5985" in response.text
    assert "Priority, Secret, Limited circulation" in response.text
    assert "Save this document" in response.text
    assert Document.objects.count() == 0


def test_the_preview_answers_htmx_with_its_fragment(client_as, edition):
    response = client_as("editor").post(
        edition_url(edition, "import_record"),
        {"text": FRENCH, "preview": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.text.lstrip().startswith('<section id="preview"')
    assert "2 segments" in response.text


def test_saving_the_preview_creates_the_document_and_its_witness(client_as, edition):
    seed = (FIXTURES / "wilson-circular-96-1962-11-10.md").read_text()
    response = client_as("editor").post(
        edition_url(edition, "import_record"), {"text": seed, "filename": "wilson.md", "save": "1"}
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response.url == document.get_absolute_url()
    assert document.reference_numbers == "Circular Telegram No. 96"
    witness = document.witnesses.get()
    assert witness.translator == "Garret J. Martin"
    assert witness.source_filename == "wilson.md"
    assert witness.segments.filter(kind="footnote").count() == 7


def test_an_htmx_save_redirects_the_browser(client_as, edition):
    response = client_as("editor").post(
        edition_url(edition, "import_record"),
        {"text": FRENCH, "save": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.headers["HX-Redirect"] == Document.objects.get().get_absolute_url()


def test_a_french_original_is_added_to_an_existing_document(client_as, document):
    url = reverse("editions:witness_add", args=[document.edition.slug, document.slug])
    client = client_as("editor")
    client.post(url, {"text": FRENCH, "language": "fr", "role": "original", "save": "1"})
    original = document.witnesses.get(role="original")
    assert original.language == "fr"
    assert original.segments.count() == 2
    page = client.get(document.get_absolute_url()).text
    assert page.index("Après la réunion") < page.index("Mr Rusk stressed it.")


def test_a_second_original_is_refused_and_nothing_is_saved(client_as, document):
    url = reverse("editions:witness_add", args=[document.edition.slug, document.slug])
    client = client_as("editor")
    client.post(url, {"text": FRENCH, "language": "fr", "role": "original", "save": "1"})
    before = (Witness.objects.count(), Segment.objects.count())
    response = client.post(url, {"text": FRENCH, "language": "fr", "role": "original", "save": "1"})
    assert "already has an original" in response.text
    assert (Witness.objects.count(), Segment.objects.count()) == before


def test_a_binary_upload_is_refused_with_a_message(client_as, edition):
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 4
    response = client_as("editor").post(
        edition_url(edition, "import_record"), {"file": _upload("scan.pdf", pdf), "preview": "1"}
    )
    assert "binary file" in response.text
    assert "Nothing was saved." in response.text
    assert Document.objects.count() == 0


def test_an_oversized_upload_is_refused(client_as, edition, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = client_as("editor").post(
        edition_url(edition, "import_record"),
        {"file": _upload("big.txt", b"word " * 400), "preview": "1"},
    )
    assert "the limit is 1000 bytes" in response.text
    assert Document.objects.count() == 0


def test_an_oversized_paste_is_refused(client_as, edition, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = client_as("editor").post(
        edition_url(edition, "import_record"), {"text": "word " * 400, "save": "1"}
    )
    assert "limit is 1000 bytes" in response.text
    assert Document.objects.count() == 0


def test_a_latin1_upload_keeps_its_accents(client_as, edition):
    response = client_as("editor").post(
        edition_url(edition, "import_record"),
        {"file": _upload("fr.txt", FRENCH.encode("latin-1")), "save": "1"},
    )
    assert response.status_code == 302
    assert Segment.objects.filter(text__startswith="Après la réunion").exists()


def test_nothing_to_import_says_so(client_as, edition):
    response = client_as("editor").post(
        edition_url(edition, "import_record"), {"text": "   ", "preview": "1"}
    )
    assert "Choose a file or paste a text." in response.text
