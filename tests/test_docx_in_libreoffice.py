"""The Word export read by LibreOffice: footnotes and comments survive, whatever shares a line.

LibreOffice (7.4, Debian's) lost or swapped the text of the footnotes whose calls shared a
paragraph with comments in the DOCX we wrote. These tests convert the export with
LibreOffice headless and read the footnote and comment texts back from its HTML.
"""

import html
import io
import re
from pathlib import Path

import docx
import pytest

from editions.alignment_store import create_alignment
from editions.annotating import Span, create_annotation
from editions.exporters import export_document
from tests.conftest import add_text
from tests.office import convert

from .export_fixtures import _user, annotated_fixture  # noqa: F401

# Slow: LibreOffice headless reads each file back: about 20 s a test.
pytestmark = pytest.mark.slow

BASE = "http://example.org/"
SECOND_FRENCH = (
    "M. Rusk l'a souligné.\n\n"
    "Dans mon télégramme nos 5978-5982[^1], j'ai exposé les objectifs américains.\n\n"
    "[^1]: Télégramme du même jour.\n"
)
SECOND_ENGLISH = (
    "Mr Rusk underlined it.\n\n"
    "In my telegrams 5978-5982[^1] I described the American aims.\n\n"
    "[^1]: Telegram of the same day.\n"
)
COMMENTS = ("Whole line.", "Before the call.", "Across the call.", "Spans two texts.", "French.")


def _plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<!--.*?-->|<[^>]+>", "", fragment, flags=re.S)).split())


def _read_back(document, tmp_path: Path) -> tuple[list[str], list[str], str]:
    """The footnote texts, the comment texts and the body text, as LibreOffice reads them."""
    path = tmp_path / "edition.docx"
    path.write_bytes(export_document(document, "docx", BASE).data)
    page = convert(path, "html", tmp_path).read_text(errors="replace")
    body = page.split("<body", 1)[1]
    footnote = re.compile(r'<div id="sdfootnote\d+">(.*?)</div>', re.S)
    notes = [_plain(n) for n in footnote.findall(body)]
    comments = [" ".join(html.unescape(c).split()) for c in re.findall(r"<!--(.*?)-->", body, re.S)]
    return notes, comments, _plain(footnote.sub("", body))


@pytest.fixture
def crowded(annotated):
    """Three texts, footnotes in two, each call inside or beside overlapping comments."""
    document = annotated.document
    document.received_note = "Received: 27 October. 2.20 a.m."
    document.save()
    french = add_text(document, SECOND_FRENCH, "fr", "translation")
    p2 = annotated.english.segments.get(sid="p2")
    fr_p2 = french.segments.get(sid="p2")
    spans = [
        [Span(p2, 0, 40)],
        [Span(p2, 15, 29)],  # ends at the call
        [Span(p2, 28, 35)],  # runs across it
        [Span(fr_p2, 0, 20), Span(p2, 3, 14)],
        [Span(fr_p2, 10, 40)],
    ]
    for body, where in zip(COMMENTS, spans, strict=True):
        create_annotation(user=_user("annotator"), document=document, spans=where, body=body)
    return document


def test_libreoffice_reads_each_footnote_at_its_own_call(crowded, tmp_path):
    notes, _comments, _body = _read_back(crowded, tmp_path)
    # Numbered once, by the word processor: no "11" (a printed label beside its own number).
    assert notes == ["1 This telegram of the same date.", "2 Télégramme du même jour."]


def test_libreoffice_reads_every_comment_on_the_texts(crowded, tmp_path):
    _notes, comments, _body = _read_back(crowded, tmp_path)
    for text in COMMENTS:
        assert any(text in c for c in comments), (text, comments)
    spanning = [c for c in comments if "Spans two texts." in c]
    assert len(spanning) == 2  # one comment on each text it spans
    assert any("Dean Rusk, Secretary of State." in c for c in comments)


def test_labels_are_printed_once_and_the_page_is_a4(crowded, tmp_path):
    _notes, _comments, body = _read_back(crowded, tmp_path)
    assert "Received: 27 October. 2.20 a.m." in body and "Received: Received" not in body
    word = docx.Document(io.BytesIO(export_document(crowded, "docx", BASE).data))
    section = word.sections[0]
    # Two texts in the aligned table (the third is not aligned): portrait A4.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


@pytest.fixture
def three_texts_with_notes(document):
    """A French original and two English translations, aligned, a footnote in each, each
    call inside a comment, beside another that ends at it and another that spans texts."""
    user = _user("editor")
    french = add_text(document, SECOND_FRENCH, "fr", "original")
    second = add_text(document, SECOND_ENGLISH, "en", "translation")
    english = document.witnesses.get(slug="cvce-en")
    for translation in (english, second):
        create_alignment(document, french, translation, user)
    calls = {w: w.segments.get(footnote_refs__isnull=False) for w in (french, english, second)}
    for witness, segment in calls.items():
        call = segment.footnote_refs.get().offset
        for body, start, end in [("Around", 0, call + 3), ("Up to", 3, call)]:
            create_annotation(
                user=_user("annotator"),
                document=document,
                spans=[Span(segment, start, end)],
                body=f"{body} the call in {witness.label}.",
            )
    create_annotation(
        user=_user("annotator"),
        document=document,
        spans=[Span(s, 0, 5) for s in calls.values()],
        body="Across the three texts.",
    )
    return document


def test_libreoffice_reads_the_notes_of_three_aligned_texts(three_texts_with_notes, tmp_path):
    notes, comments, _body = _read_back(three_texts_with_notes, tmp_path)
    assert [n.split(" ", 1)[1] for n in notes] == [
        "Télégramme du même jour.",
        "This telegram of the same date.",
        "Telegram of the same day.",
    ]
    assert [n.split(" ", 1)[0] for n in notes] == ["1", "2", "3"]
    assert len([c for c in comments if "Across the three texts." in c]) == 3
    assert len([c for c in comments if " the call in " in c]) == 6
    word = docx.Document(io.BytesIO(export_document(three_texts_with_notes, "docx", BASE).data))
    section = word.sections[0]  # three texts face each other: landscape A4
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
