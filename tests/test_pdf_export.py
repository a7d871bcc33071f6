"""The PDF as its readers get it: tagged for accessibility, in its language, note numbers
apart from footnote calls, and no near-blank page in a three-text landscape edition."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from pypdf import PdfReader

from editions.alignment_store import create_alignment
from editions.annotating import Span, create_annotation
from editions.exporters import export_document
from editions.exporters import pdf as pdf_exporter
from editions.exporters.data import load
from editions.importers import parse_record, save_record
from editions.models import Document

from .export_fixtures import _user, annotated_fixture  # noqa: F401

# Slow: WeasyPrint lays out each PDF: over ten seconds a test.
pytestmark = pytest.mark.slow

BASE = "http://example.org/"


def _pdf(document) -> PdfReader:
    return PdfReader(io.BytesIO(export_document(document, "pdf", BASE).data))


def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_title(annotated):
    pdf = _pdf(annotated.document)
    catalog = pdf.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    kinds = set()

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            kinds.add(node.get("/S"))
            children = node.get("/K", [])
            for child in children if isinstance(children, list) else [children]:
                if hasattr(child, "get_object"):
                    walk(child)

    walk(catalog["/StructTreeRoot"])
    assert {"/H1", "/Table", "/TH", "/TD", "/L"} <= kinds  # headings, the synopsis, notes
    metadata = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in metadata


def test_a_note_number_meeting_a_footnote_call_stands_apart(annotated):
    p2 = annotated.english.segments.get(sid="p2")  # "In my telegram Nos 5978–5982,¹ I set out."
    create_annotation(
        user=_user("annotator"), document=annotated.document, spans=[Span(p2, 15, 29)], body="Nos."
    )
    text = "\n".join(page.extract_text() for page in _pdf(annotated.document).pages)
    match = re.search(r"Nos 5978–5982,(\d+)(\s*)1 I set out\.", text)
    assert match, text
    assert match[2]  # "5982,⁶ ¹", not "5982,⁶¹"


@pytest.fixture
def three_texts(edition, shared_dir) -> Document:
    """Chapter I of Verne's novel in French and its two English translations, aligned, with
    a summary that makes the front matter run a little past page 1."""
    corpus = shared_dir / "corpora" / "verne-voyage"
    readme = (corpus / "README.md").read_text().split("\n\n")
    document = Document.objects.create(
        edition=edition,
        slug="voyage-chapter-1",
        title="Voyage au centre de la Terre, chapter I",
        author="Jules Verne",
        place="Paris",
        summary="\n\n".join(readme[1:4]),
    )
    user = get_user_model().objects.get(username="editor")

    def chapter_one(name: str, **kind):
        text = "\n\n".join((corpus / name).read_text().split("\n\n")[:14])
        return save_record(parse_record(text), edition=edition, document=document, **kind)

    french = chapter_one("fr-1864-hetzel.txt", language="fr", role="original")
    for name in ("en-1871-griffith-farran.txt", "en-1877-malleson.txt"):
        english = chapter_one(name, language="en", role="translation")
        create_alignment(document, french, english, user)
    return document


def test_three_texts_lie_on_landscape_pages_none_of_them_near_blank(three_texts):
    pdf = _pdf(three_texts)
    assert all(page.mediabox.width > page.mediabox.height for page in pdf.pages)
    lengths = [len(page.extract_text()) for page in pdf.pages]
    fullest = max(lengths)
    # Every page but the last holds at least a quarter of what the fullest one does (the
    # front matter's overflow used to sit alone on page 2, with a page break after it).
    assert all(n > fullest / 4 for n in lengths[:-1]), lengths


def test_the_received_note_is_labelled_once_in_the_html_and_pdf(annotated):
    document = annotated.document
    document.received_note = "Received: 27 October. 2.20 a.m."
    document.save()
    html = export_document(document, "html", BASE).data.decode()
    assert "<dt>Received</dt><dd>27 October. 2.20 a.m.</dd>" in html
    assert "Received: Received" not in _pdf(document).pages[0].extract_text()


# -- A long edition, laid out in parts and joined ----------------------------------------


@pytest.fixture
def in_parts(monkeypatch):
    """Parts of one row and two notes: the fixtures' short documents are laid out as a
    book is (the Verne book in parts of a few hundred rows and notes)."""
    monkeypatch.setattr(pdf_exporter, "WHOLE_ROWS", 1)
    monkeypatch.setattr(pdf_exporter, "PART_ROWS", 1)
    monkeypatch.setattr(pdf_exporter, "PART_NOTES", 2)


@pytest.fixture
def by_four_rows(monkeypatch):
    monkeypatch.setattr(pdf_exporter, "WHOLE_ROWS", 4)
    monkeypatch.setattr(pdf_exporter, "PART_ROWS", 4)


def _joined(document, steps: list | None = None) -> PdfReader:
    export = load(document, BASE)
    report = None if steps is None else (lambda done, total: steps.append((done, total)))
    return PdfReader(io.BytesIO(pdf_exporter.export_pdf(export, progress=report)))


def _texts(pdf: PdfReader) -> list[str]:
    return [page.extract_text() for page in pdf.pages]


def _links(pdf: PdfReader) -> dict[str, list[int]]:
    """Each internal link's destination name, with the pages its links stand on."""
    links: dict[str, list[int]] = {}
    for number, page in enumerate(pdf.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                links.setdefault(str(annotation["/Dest"]), []).append(number)
    return links


@pytest.mark.slow  # several layouts by WeasyPrint
def test_a_long_edition_is_laid_out_in_parts_reporting_each(three_texts, by_four_rows):
    steps: list = []
    pdf = _joined(three_texts, steps)
    rows = len(load(three_texts, BASE).synopsis.rows)
    # The rows by four, the back matter (no annotation: one part), then the joining.
    expected = -(-rows // 4) + 1 + 1
    assert steps == [(n, expected) for n in range(1, expected + 1)]
    text = "\n".join(_texts(pdf))
    for witness in three_texts.witnesses.all():
        for segment in witness.segments.all():
            # Every row's text, in every text (words, as lines are broken differently).
            assert " ".join(segment.text.split()[:4]) in " ".join(text.split()), segment.sid
    # The rows' numbers run on from part to part.
    assert re.search(rf"^{rows} ", text, re.M)


@pytest.mark.slow  # several layouts by WeasyPrint
def test_the_joined_pages_are_numbered_through_with_running_heads(three_texts, by_four_rows):
    texts = _texts(_joined(three_texts))
    count = len(texts)
    assert count > 3
    for number, text in enumerate(texts, start=1):
        assert f"{number} / {count}" in text, (number, text[-200:])
    # The running heads, from the second page on: the edition's and the document's titles
    # (the rows' pages hold neither otherwise).
    for text in texts[1:]:
        assert three_texts.edition.title in text and three_texts.title in text, text[:300]


@pytest.mark.slow  # several layouts by WeasyPrint
def test_notes_and_their_calls_link_each_other_across_parts(annotated, in_parts):
    pdf = _joined(annotated.document)
    links = _links(pdf)
    destinations = pdf.named_destinations
    assert set(links) <= set(destinations)  # no link points nowhere
    numbered = {f"note-{n}" for n in range(1, 5)}  # the anchored notes (5 is the orphan)
    assert numbered <= set(links)
    assert {"ref-1", "ref-2", "ref-3", "ref-4"} <= set(links)  # and back from the notes
    assert any(name.startswith("fn-") for name in links)  # a footnote call
    texts = _texts(pdf)
    for name in numbered:
        page = pdf.get_destination_page_number(destinations[name])
        # The note is in the back matter, a part of its own, after the page calling it.
        assert page > max(links[name]) or page > min(links[name])
        assert "Annotations" in "".join(texts[: page + 1])
    # Note 1 (in reading order: the French text's) is where its link lands.
    notes_page = pdf.get_destination_page_number(destinations["note-1"])
    assert "Both texts name him the same way." in texts[notes_page]
    # And the text's note number 1 is where the note links back to.
    text_page = pdf.get_destination_page_number(destinations["ref-1"])
    assert text_page in links["note-1"] and text_page < notes_page


@pytest.mark.slow  # several layouts by WeasyPrint
def test_the_joined_pdf_keeps_language_title_and_outline_but_not_the_tags(annotated, in_parts):
    pdf = _joined(annotated.document)
    catalog = pdf.trailer["/Root"]
    assert catalog["/Lang"] == "en"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert annotated.document.title in pdf.metadata.title
    # The structure tree cannot be joined: a book-size PDF says it is not tagged.
    assert "/StructTreeRoot" not in catalog
    assert "/MarkInfo" not in catalog
    outline = pdf.outline
    assert outline[0].title == annotated.document.title
    children = [item.title for item in outline[1] if not isinstance(item, list)]
    # The parts' headings under the document's, as in a whole layout.
    assert children[0] == "Texts"
    assert "Annotations" in children
    assert "Footnotes" in children


def test_a_short_edition_is_laid_out_whole_and_tagged(annotated):
    steps: list = []
    pdf = _joined(annotated.document, steps)
    assert steps == [(1, 1)]
    assert "/StructTreeRoot" in pdf.trailer["/Root"]
