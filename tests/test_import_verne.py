"""The three Verne texts of ../shared (a French novel and two English translations, as Project
Gutenberg publishes them) imported into one document, as a user would from the command line.

The counts are the texts' own: the French has 45 chapters numbered "I" to "XLV" and 14 notes
(13 written "  [1] ...", and one written "  1.  L'angle facial ..." under the paragraph that
calls it in chapter XXXVIII); the 1871 translation has 44 chapters ("CHAPTER 1" and a title
line) and 5 notes numbered through the book; the 1877 one 45 chapters ("CHAPTER I." and a
title line) and 16 notes (a line that opens "[1] above the level of..." is a call wrapped to
the start of its line, inside a paragraph, not a note).
"""

import pytest
from django.core.management import call_command

from editions.importers import parse_record
from editions.models import Document, Edition, FootnoteRef, SegmentKind

VERNE = "corpora/verne-voyage"
TEXTS = [
    # file, options, headings, footnotes, first heading, last heading
    ("fr-1864-hetzel.txt", ["--language", "fr", "--role", "original"], 45, 14, "I", "XLV"),
    (
        "en-1871-griffith-farran.txt",
        [],
        44,
        5,
        "CHAPTER 1\nMY UNCLE MAKES A GREAT DISCOVERY",
        "CHAPTER 44\nTHE JOURNEY ENDED",
    ),
    (
        "en-1877-malleson.txt",
        [],
        45,
        16,
        "CHAPTER I.\nTHE PROFESSOR AND HIS FAMILY",
        "CHAPTER XLV.\nALL'S WELL THAT ENDS WELL",
    ),
]


@pytest.fixture
def verne(shared_dir, db):
    Edition.objects.create(slug="verne", title="Verne")
    for name, options, *_rest in TEXTS:
        path = shared_dir / VERNE / name
        call_command(
            "import_document", str(path), "--edition", "verne", "--document", "voyage", *options
        )
    return Document.objects.get(edition__slug="verne", slug="voyage")


def test_the_three_texts_import_into_one_document_with_their_chapters_and_notes(verne):
    witnesses = list(verne.witnesses.order_by("pk"))
    assert [(w.language, w.role) for w in witnesses] == [
        ("fr", "original"),
        ("en", "translation"),
        ("en", "translation"),
    ]
    for witness, (_name, _options, headings, notes, first, last) in zip(
        witnesses, TEXTS, strict=True
    ):
        segments = list(witness.segments.order_by("position"))
        heading_texts = [s.text for s in segments if s.kind == SegmentKind.HEADING]
        assert len(heading_texts) == headings
        assert (heading_texts[0], heading_texts[-1]) == (first, last)
        footnotes = [s for s in segments if s.kind == SegmentKind.FOOTNOTE]
        assert len(footnotes) == notes
        # Every note is called, each by its own marker, and no text is swallowed.
        links = FootnoteRef.objects.filter(segment__witness=witness)
        assert links.count() == notes
        assert set(links.values_list("note_id", flat=True)) == {n.pk for n in footnotes}
        assert max(len(s.text) for s in segments) < 5000


@pytest.fixture(scope="module")
def french():
    """The French text parsed (no database): what the import would save."""
    from .conftest import SHARED, need_or_skip

    path = SHARED / VERNE / "fr-1864-hetzel.txt"
    need_or_skip(path.is_file(), f"{path} is absent: the shared data is not here")
    return parse_record(path.read_bytes(), path.name)


def test_each_note_is_the_note_its_call_expects(french):
    clouds = next(s for s in french.body for r in s.refs if r.note.text.startswith("Nuages"))
    ref = clouds.refs[0]
    assert ref.note.text == "Nuages de formes arrondies."
    assert clouds.text[: ref.offset].endswith("Les «cumulus")
    # The paragraph after the note is the novel again, not part of the note.
    after = french.segments[french.segments.index(clouds) + 1]
    assert after.kind == "paragraph"
    assert after.text.startswith("Au loin les nuages ressemblent à de grosses balles")
    facial = next(s for s in french.body for r in s.refs if r.note.text.startswith("L'angle"))
    assert facial.text[: facial.refs[0].offset].endswith("prognathisme qui modifie l'angle facial")


def test_dialogue_dashes_guillemets_and_italics_stand_as_printed(french):
    texts = [s.text for s in french.body]
    assert any(t.startswith("--Oui, Marthe; mais le dîner a le droit") for t in texts)
    assert any(t.startswith("«Bon, me dis-je, s'il a faim, mon oncle") for t in texts)
    assert any("corvette française _la Recherche_, et dernièrement" in t for t in texts)
