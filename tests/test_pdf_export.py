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
