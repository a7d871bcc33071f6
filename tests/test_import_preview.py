"""The import preview tells the truth about structure: counts, calls, the longest segment,
an outline, what it left out, where each field comes from, and a file already imported."""

import re

from django.urls import reverse

from editions.models import Document, Witness

from .conftest import edition_url
from .test_import_books import BOOK, GUTENBERG


def _structure(page: str) -> dict[str, str]:
    section = page[page.index('id="preview-structure"') :]
    section = section[: section.index("</dl>")]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S)
    return {name: " ".join(re.sub(r"<[^>]+>", "", value).split()) for name, value in pairs}


def _preview(client, edition, text: str) -> str:
    """The import page with the preview of ``text``."""
    return client.post(edition_url(edition, "import_record"), {"text": text, "preview": "1"}).text


def _save(client, edition, text: str) -> None:
    """``text`` imported as a French record, a new document."""
    client.post(
        edition_url(edition, "import_record"), {"text": text, "language": "fr", "save": "1"}
    )


def test_the_preview_counts_headings_paragraphs_notes_and_calls(client_as, edition):
    page = _preview(client_as("editor"), edition, BOOK)
    assert _structure(page) == {
        "Headings": "3",
        "Paragraphs": "6",
        "Footnotes": "2",
        "Footnote calls": "2",
        "Longest segment": "119 characters (paragraph); median 32",
    }
    outline = page[page.index('id="preview-outline"') :]
    assert re.findall(r"<li>(.*?)</li>", outline[: outline.index("</ol>")]) == ["I", "II", "III"]


def test_the_preview_says_which_calls_and_notes_do_not_match(client_as, edition):
    text = "CHAPTER 1\n\nA call[1] and another[2].\n\n[1] Its note.\n\n[3] A stray note.\n\nEnd."
    page = _preview(client_as("editor"), edition, text)
    structure = _structure(page)
    assert structure["Footnotes"] == "2 (1 never called)"
    assert structure["Footnote calls"] == "2 (1 without a note)"
    assert "The marker 2 in “A call and another.…” has no footnote." in page
    assert "Footnote 3 is never called in the text." in page


def test_a_long_text_s_preview_lists_its_first_segments_and_counts_the_rest(client_as, edition):
    text = "\n\n".join(f"Paragraph {n} of a long book, with its words." for n in range(500))
    page = _preview(client_as("editor"), edition, text)
    listed = page[page.index('<ol class="preview-segments">') :]
    listed = listed[: listed.index("</ol>")]
    assert listed.count('<li class="segment-paragraph">') == 60
    assert "Paragraph 59 of a long book" in listed
    assert "Paragraph 60 of a long book" not in listed
    assert "… and 440 more segments, saved with the others." in page


def test_a_long_text_s_notes_are_shown_apart_from_its_first_segments(client_as, edition):
    paragraphs = [f"Paragraph {n} of a long book, with its words." for n in range(100)]
    paragraphs[80] = "The clouds[1] were low over the sea."
    paragraphs.insert(81, "[1] Rounded clouds.")
    text = "\n\n".join(paragraphs)
    page = _preview(client_as("editor"), edition, text)
    notes = page[page.index('id="preview-notes"') :]
    notes = notes[: notes.index("</ol>")]
    assert re.findall(r'<span class="kind">(.*?)</span> (.*?)</li>', notes) == [
        ("footnote 1", "Rounded clouds.")
    ]


def test_the_preview_says_it_left_out_the_gutenberg_header_and_licence(client_as, edition):
    page = _preview(client_as("editor"), edition, GUTENBERG)
    assert "Project Gutenberg file: its header" in page
    listed = page[page.index('<ol class="preview-segments">') :]
    listed = listed[: listed.index("</ol>")]
    assert "CHAPTER I." in listed
    assert "General Terms of Use" not in listed
    assert "Produced by" not in listed
    assert "3 segments" in page


def test_a_text_already_imported_is_offered_to_open_not_saved_again(client_as, edition):
    client = client_as("editor")
    _save(client, edition, BOOK)
    document = Document.objects.get()
    page = _preview(client, edition, BOOK)
    assert 'id="already-imported"' in page
    assert f'href="{document.get_absolute_url()}"' in page
    assert "Import a second copy anyway" in page
    assert "Save this document" not in page
    assert Witness.objects.count() == 1


def test_a_changed_text_is_not_taken_for_the_one_already_imported(client_as, edition):
    client = client_as("editor")
    _save(client, edition, BOOK)
    page = _preview(client, edition, BOOK.replace("trois jours", "deux jours"))
    assert 'id="already-imported"' not in page
    assert "Save this document" in page


def test_adding_a_witness_shows_which_record_each_field_comes_from(client_as, document):
    url = reverse("editions:witness_add", args=[document.edition.slug, document.slug])
    text = (
        "Télégramme de M. Alphand à M. Couve de Murville (Washington, 26 octobre 1962)\n\n"
        "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs "
        "de rester dans son bureau, et la séance fut longue.\n"
    )
    page = client_as("editor").post(url, {"text": text, "preview": "1"}).text
    fields = page[page.index('id="preview-document"') :]
    fields = re.sub(r"\s+", " ", fields[: fields.index("</dl>")])
    # The title stays the document's (from its English record), and the preview says so.
    assert f"{document.title} <span" in fields
    assert "(already in the document, kept)" in fields
    assert "this record says: Télégramme de M. Alphand à M. Couve de Murville" in fields
    # A field the document lacks comes from this record.
    assert "Washington" in fields
    assert "(from this record)" in fields


def test_the_same_text_under_another_number_is_not_taken_for_a_re_import(client_as, edition):
    client = client_as("editor")
    text = "T. nos 5983 à 5985.\n\n" + BOOK
    _save(client, edition, text)
    assert Document.objects.get().reference_numbers == "T. nos 5983 à 5985"
    renumbered = text.replace("5983 à 5985", "6001 à 6003")
    page = _preview(client, edition, renumbered)
    assert 'id="already-imported"' not in page
    page = _preview(client, edition, text)
    assert 'id="already-imported"' in page


def test_a_book_without_a_title_is_given_a_stand_in_that_the_preview_names(client_as, edition):
    page = _preview(client_as("editor"), edition, BOOK)
    assert (
        "No title found: the document will be called “Le 24 mai 1863, mon oncle, le "
        "professeur Lidenbrock, revint…”. Rename it after saving."
    ) in page
