"""``manage.py import_document``: what it imports, what it prints, what it refuses."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from editions.models import Document, Edition, FootnoteRef, Segment, Witness

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CVCE = FIXTURES / "cvce-alphand-1962-10-26.txt"
WILSON = FIXTURES / "wilson-circular-96-1962-11-10.md"
CVCE_SLUG = "letter-from-herve-alphand-to-maurice-couve-de-murville-washington-26-october-1962"
FRENCH = """\
T. nos 5983 à 5985. Priorité. Secret. Diffusion restreinte.

Washington, le 26 octobre 1962.

À l'issue de la réunion du 22 octobre, le secrétaire d'État a demandé aux trois \
ambassadeurs de rester dans son bureau.
"""

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return Edition.objects.create(title="The Cuban crisis", slug="cuban-crisis-1962")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_document", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (Edition, Document, Witness, Segment, FootnoteRef)
    return {model.__name__: model.objects.count() for model in models}


def test_it_imports_the_cvce_seed_into_the_default_edition_and_says_what_it_did(edition):
    output = run(str(CVCE))
    witness = Witness.objects.get()
    assert witness.document.edition == edition
    assert witness.source_filename == CVCE.name
    assert "Imported CVCE translation into cuban-crisis-1962." in output
    assert f"document: {CVCE_SLUG}" in output
    assert "(new document)" in output
    assert "witness: cvce-en — CVCE translation (en, translation, read as cvce)" in output
    assert "segments: 5 (headings: 0, paragraphs: 4, footnotes: 1); footnote links: 1" in output
    assert "warning" not in output


def test_it_imports_the_wilson_seed_into_the_edition_given():
    Edition.objects.create(title="Other", slug="other")
    output = run(str(WILSON), "--edition", "other")
    assert Witness.objects.get().document.edition.slug == "other"
    assert "segments: 34 (headings: 4, paragraphs: 23, footnotes: 7); footnote links: 7" in output


def test_it_adds_a_french_original_to_an_existing_document(edition, tmp_path):
    run(str(CVCE))
    original = tmp_path / "alphand-fr.txt"
    original.write_text(FRENCH, encoding="cp1252")
    output = run(
        str(original),
        "--document",
        CVCE_SLUG,
        "--language",
        "fr",
        "--role",
        "original",
        "--label",
        "Original (DDF)",
    )
    witness = Witness.objects.get(slug="fr")
    assert witness.document.slug == CVCE_SLUG
    assert (witness.role, witness.language, witness.label) == ("original", "fr", "Original (DDF)")
    assert "(existing document)" in output
    assert "warning: The file is not UTF-8" in output


def test_a_missing_edition_is_refused_naming_the_editions_there_are(edition):
    Edition.objects.create(title="Berlin", slug="berlin-1961")
    with pytest.raises(CommandError, match=r"No edition “cuba”.*berlin-1961, cuban-crisis-1962"):
        run(str(CVCE), "--edition", "cuba")
    assert Witness.objects.count() == 0


def test_it_creates_the_edition_when_asked():
    run(str(CVCE), "--edition", "cuba-62", "--create-edition")
    assert Edition.objects.get().slug == "cuba-62"
    assert Witness.objects.count() == 1


def test_a_binary_file_is_refused_with_the_reason_and_nothing_is_saved(tmp_path):
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(CommandError, match=r"scan\.png: This looks like a binary file \(PNG\?\)"):
        run(str(scan), "--create-edition")
    assert row_counts() == dict.fromkeys(row_counts(), 0)


def test_an_empty_file_is_refused(edition, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run(str(empty))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(edition, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(CommandError, match="the limit is 100 bytes"):
        run(str(CVCE))


def test_a_missing_file_is_refused(edition):
    with pytest.raises(CommandError, match="No such file"):
        run("/no/such/record.txt")


def test_a_second_original_is_refused_and_nothing_is_saved(edition, tmp_path):
    original = tmp_path / "fr.txt"
    original.write_text(FRENCH, encoding="utf-8")
    run(str(original), "--document", "alphand", "--role", "original")
    before = row_counts()
    with pytest.raises(CommandError, match="already has an original"):
        run(str(original), "--document", "alphand", "--role", "original")
    assert row_counts() == before


def test_an_unknown_role_is_refused_by_the_argument_parser(edition):
    with pytest.raises(CommandError, match="invalid choice"):
        run(str(CVCE), "--role", "summary")


def test_it_prints_the_records_warnings(edition, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("The base¹ was built in a week.\n\n¹ The note.\n\n² A note never called.")
    output = run(str(text))
    assert "warning: Footnote 2 is never called in the text." in output


def test_a_gutenberg_book_is_imported_with_its_chapters_and_says_what_it_left_out(
    edition, tmp_path
):
    from .test_import_books import GUTENBERG

    book = tmp_path / "journey.txt"
    book.write_bytes(GUTENBERG.encode("latin-1"))
    output = run(str(book))
    document = Document.objects.get()
    assert document.title == "A Journey into the Interior of the Earth"
    assert document.author == "Jules Verne"
    assert "segments: 3 (headings: 1, paragraphs: 2, footnotes: 0)" in output
    assert "note: Project Gutenberg file: its header" in output
    assert Witness.objects.get().translator == "Frederick Amadeus Malleson"


def test_importing_the_same_file_again_says_it_is_a_second_copy(edition):
    run(str(CVCE))
    output = run(str(CVCE))
    assert f"the same text is already in the edition, as CVCE translation of {CVCE_SLUG}" in output
    assert Witness.objects.count() == 2
