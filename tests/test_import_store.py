"""Saving parsed records: documents found or created, blank fields filled, witnesses with
their segments (stable sids) and footnote links, all or nothing."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import FieldDoesNotExist

from editions.importers import parse_record, save_record
from editions.importers.base import ParsedNoteRef, ParsedRecord, ParsedSegment, RecordError
from editions.importers.store import field_label
from editions.models import Document, Edition, FootnoteRef, Segment, Witness

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CVCE_NAME = "cvce-alphand-1962-10-26.txt"
WILSON_NAME = "wilson-circular-96-1962-11-10.md"
CVCE_SLUG = "letter-from-herve-alphand-to-maurice-couve-de-murville-washington-26-october-1962"
FRENCH = """\
T. nos 5983 à 5985. Priorité. Secret. Diffusion restreinte.

Washington, le 26 octobre 1962, 20 h.

À l'issue de la réunion du 22 octobre, le secrétaire d'État a demandé aux trois \
ambassadeurs de rester dans son bureau.

Dans mes télégrammes nos 5978 à 5982 (1), j'ai indiqué les objectifs des États-Unis.

(1) Ce télégramme de même date n'est pas reproduit.
"""

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Edition:
    return Edition.objects.create(title="The Cuban crisis", slug="cuban-crisis-1962")


def seed(name: str) -> ParsedRecord:
    return parse_record((FIXTURES / name).read_bytes(), name)


def row_counts() -> dict[str, int]:
    models = (Edition, Document, Witness, Segment, FootnoteRef)
    return {model.__name__: model.objects.count() for model in models}


def test_it_saves_the_cvce_record_as_a_new_document(edition):
    witness = save_record(seed(CVCE_NAME), edition=edition, filename=CVCE_NAME)
    document = witness.document
    assert document.edition == edition
    assert document.slug == CVCE_SLUG
    assert document.title.startswith("Letter from Hervé Alphand")
    assert document.author == "Hervé Alphand"
    assert document.date == datetime.date(1962, 10, 26)
    assert document.time is None
    assert document.classification == "Priority, Secret, Limited circulation"
    assert document.reference_numbers == "T. Nos 5983 to 5985"
    assert document.source_pages == "335-336"
    assert document.printed_source.endswith("Paris: Imprimerie nationale, 1999, pp. 335-336")


def test_it_saves_the_cvce_witness_with_its_fields(edition):
    witness = save_record(seed(CVCE_NAME), edition=edition, filename=f"/tmp/upload/{CVCE_NAME}")
    assert witness.slug == "cvce-en"
    assert witness.label == "CVCE translation"
    assert witness.language == "en"
    assert witness.role == "translation"
    assert witness.translator == "CVCE.EU by UNI.LU"
    assert witness.last_updated == datetime.date(2016, 7, 6)
    assert witness.source_url.endswith(
        "murville_washington_26_october_1962-en-6a5a1c25-1e8d-4ff3-8331-34e1dcd77c13.html"
    )
    assert witness.source_format == "cvce"
    assert witness.source_filename == CVCE_NAME


def test_it_numbers_segments_with_one_counter_for_all_kinds(edition):
    witness = save_record(seed(CVCE_NAME), edition=edition)
    segments = list(witness.segments.order_by("position"))
    assert [s.position for s in segments] == [0, 1, 2, 3, 4]
    assert [s.sid for s in segments] == ["p1", "p2", "p3", "p4", "n5"]
    assert segments[4].label == "1"
    witness.refresh_from_db()
    assert witness.next_serial == 6


def test_it_links_the_cvce_marker_to_its_footnote(edition):
    witness = save_record(seed(CVCE_NAME), edition=edition)
    [link] = FootnoteRef.objects.filter(segment__witness=witness)
    assert (link.segment.sid, link.note.sid, link.label) == ("p3", "n5", "1")
    assert link.segment.text[: link.offset].endswith("In my telegram Nos 5978–5982")


def test_it_saves_the_wilson_record_with_headings_and_seven_linked_footnotes(edition):
    witness = save_record(seed(WILSON_NAME), edition=edition, filename=WILSON_NAME)
    assert witness.slug == "wilson-en"
    assert witness.label == "Wilson Center translation (Garret J. Martin)"
    segments = list(witness.segments.order_by("position"))
    assert segments[0].sid == "h1" and segments[0].kind == "heading"
    assert segments[1].sid == "p2"
    assert segments[2].sid == "h3"
    assert [s.sid for s in segments if s.kind == "footnote"] == [f"n{n}" for n in range(28, 35)]
    links = FootnoteRef.objects.filter(segment__witness=witness)
    assert sorted(link.note.label for link in links) == ["1", "2", "3", "4", "5", "6", "7"]
    assert all(link.note.label == link.label for link in links)
    assert links.get(label="1").segment.sid == "h1"
    assert witness.document.recipient == "French Diplomatic Posts"


def test_a_french_text_added_to_a_document_becomes_its_original(edition):
    translation = save_record(seed(CVCE_NAME), edition=edition)
    original = save_record(
        parse_record(FRENCH), edition=edition, document=translation.document, filename="fr.txt"
    )
    assert original.document == translation.document
    assert original.role == "original"
    assert original.language == "fr"
    assert original.slug == "fr"
    assert original.label == "French original"
    assert [s.sid for s in original.segments.order_by("position")] == ["p1", "p2", "n3"]
    assert original.segments.get(sid="p2").footnote_refs.get().note.sid == "n3"


def test_it_fills_only_the_blank_fields_of_an_existing_document(edition):
    document = Document.objects.create(
        edition=edition, slug="alphand", title="Alphand to Couve", author="H. Alphand (editor's)"
    )
    save_record(parse_record(FRENCH), edition=edition, document=document)
    document.refresh_from_db()
    assert document.title == "Alphand to Couve"
    assert document.author == "H. Alphand (editor's)"
    assert document.classification == "Priorité, Secret, Diffusion restreinte"
    assert document.time == datetime.time(20, 0)
    assert document.version == 2


def test_an_import_that_fills_nothing_leaves_the_document_version_alone(edition):
    witness = save_record(seed(CVCE_NAME), edition=edition)
    save_record(seed(CVCE_NAME), edition=edition, document=witness.document)
    witness.document.refresh_from_db()
    assert witness.document.version == 1


def test_it_finds_the_document_by_slug_and_gives_the_second_witness_a_free_slug(edition):
    first = save_record(seed(CVCE_NAME), edition=edition)
    second = save_record(seed(CVCE_NAME), edition=edition, document_slug=CVCE_SLUG)
    assert second.document == first.document
    assert second.slug == "cvce-en-2"
    assert Document.objects.count() == 1


def test_it_creates_the_document_with_the_slug_given(edition):
    witness = save_record(parse_record(FRENCH), edition=edition, document_slug="alphand-26-10")
    assert witness.document.slug == "alphand-26-10"


def test_it_makes_the_document_slug_unique_in_the_edition(edition):
    save_record(seed(CVCE_NAME), edition=edition)
    again = save_record(seed(CVCE_NAME), edition=edition)
    assert again.document.slug == f"{CVCE_SLUG}-2"


def test_language_role_and_label_arguments_override_the_record(edition):
    witness = save_record(
        parse_record(FRENCH),
        edition=edition,
        language="fr-FR",
        role="translation",
        label="A French retranslation",
    )
    assert (witness.language, witness.role, witness.label) == (
        "fr-FR",
        "translation",
        "A French retranslation",
    )


def test_a_regional_language_tag_still_makes_a_french_original(edition):
    witness = save_record(parse_record(FRENCH), edition=edition, language="fr-CA")
    assert (witness.language, witness.role, witness.label) == (
        "fr-CA",
        "original",
        "French original",
    )


def test_a_language_given_by_name_is_stored_as_its_code(edition):
    assert save_record(parse_record(FRENCH), edition=edition, language="Français").language == "fr"


def test_a_language_that_is_no_code_is_refused(edition):
    with pytest.raises(RecordError, match="not a language code"):
        save_record(parse_record(FRENCH), edition=edition, language="the French one")
    assert Document.objects.count() == 0


def test_a_document_without_a_title_is_named_after_its_first_words(edition):
    record = parse_record(
        "Le secrétaire d'État a demandé aux ambassadeurs de rester dans son bureau."
    )
    witness = save_record(record, edition=edition)
    assert (
        witness.document.title == "Le secrétaire d'État a demandé aux ambassadeurs de rester dans…"
    )
    assert any("has no title" in w for w in record.warnings)


def test_a_second_original_is_refused_and_nothing_is_saved(edition):
    document = save_record(parse_record(FRENCH), edition=edition).document
    before = row_counts()
    with pytest.raises(RecordError, match="already has an original"):
        save_record(parse_record(FRENCH), edition=edition, document=document, role="original")
    assert row_counts() == before


def test_a_record_that_fails_after_the_document_was_created_leaves_no_rows(edition):
    record = parse_record(FRENCH)
    record.segments.append(ParsedSegment(kind="sidebar", text="Not a kind of segment."))
    before = row_counts()
    with pytest.raises(RecordError, match="not a segment kind"):
        save_record(record, edition=edition)
    assert row_counts() == before


def test_a_field_too_long_for_the_model_is_refused_with_its_name(edition):
    record = parse_record(FRENCH)
    record.document["place"] = "W" * 250
    before = row_counts()
    with pytest.raises(RecordError, match="place"):
        save_record(record, edition=edition)
    assert row_counts() == before


def test_a_text_whose_language_is_unknown_is_refused_until_one_is_chosen(edition):
    record = parse_record("Kuba\n\nKrise im Oktober, Raketen, Blockade, Verhandlungen.")
    with pytest.raises(RecordError, match="language"):
        save_record(record, edition=edition)
    assert save_record(record, edition=edition, language="de").language == "de"


def test_markers_without_notes_and_notes_never_called_are_warnings(edition):
    record = ParsedRecord(
        format="text",
        document={"title": "Test"},
        witness={"language": "en"},
        segments=[
            ParsedSegment(
                "paragraph", "Text.", refs=[ParsedNoteRef("1", 4), ParsedNoteRef("9", 5)]
            ),
            ParsedSegment("footnote", "Called.", label="1"),
            ParsedSegment("footnote", "Never called.", label="2"),
        ],
    )
    witness = save_record(record, edition=edition)
    assert [link.label for link in FootnoteRef.objects.filter(segment__witness=witness)] == ["1"]
    assert any("marker 9" in w for w in record.warnings)
    assert "Footnote 2 is never called in the text." in record.warnings


def test_a_marker_outside_its_paragraph_is_refused(edition):
    record = ParsedRecord(
        format="text",
        document={"title": "Test"},
        witness={"language": "en"},
        segments=[
            ParsedSegment("paragraph", "Short.", refs=[ParsedNoteRef("1", 60)]),
            ParsedSegment("footnote", "Note.", label="1"),
        ],
    )
    with pytest.raises(RecordError, match="outside"):
        save_record(record, edition=edition)
    assert Document.objects.count() == 0


def test_a_document_of_another_edition_is_a_programming_error(edition):
    other = Edition.objects.create(title="Other", slug="other")
    document = Document.objects.create(edition=other, slug="d", title="D")
    with pytest.raises(ValueError):
        save_record(parse_record(FRENCH), edition=edition, document=document)


def test_a_field_label_is_its_verbose_name_and_a_reverse_relation_has_none():
    assert field_label(Document, "reference_numbers") == str(
        Document._meta.get_field("reference_numbers").verbose_name
    )
    with pytest.raises(FieldDoesNotExist):
        field_label(Document, "witnesses")  # the other side of Witness.document
