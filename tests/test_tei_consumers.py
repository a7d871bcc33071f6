"""The TEI export as TEI users read it: the TEI Consortium's Stylesheets, jing, and back in.

Footnotes stand inline at their calls (``<note place="foot" n="1">``), so the Stylesheets
number each text's notes from 1 and keep each note with its call; ``string-range()``
pointers count the inline notes' text, as TEI's string value does, and read back as the
same spans.
"""

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from lxml import etree, html

from editions.annotating import Span, create_annotation
from editions.exporters import export_document
from editions.exporters.tei import TEI_NS, XML_ID, string_range
from editions.importers.exchange import import_exchange
from editions.models import Annotation, AnnotationTarget, Edition, Membership
from tests.conftest import need_or_skip

from .export_fixtures import align_by_hand_with_a_lone_heading, jing

# Slow: the TEI Consortium's stylesheets (Saxon) and jing: tens of seconds.
pytestmark = pytest.mark.slow

BASE = "http://example.org/"
SAXON = Path("/usr/share/java/Saxon-HE.jar")
NS = {"t": TEI_NS}
FRENCH = (
    "# Lettre de M. Alphand\n\n"
    "M. Rusk l'a souligné[^1].\n\n"
    "Dans mon télégramme nos 5978-5982[^2], j'ai exposé les objectifs américains.\n\n"
    "[^1]: Le secrétaire d'État.\n\n"
    "[^2]: Télégramme du même jour.\n"
)
EXPORT_DATE = re.compile(rb'<date type="export" when="[^"]+">[^<]+</date>')


@pytest.fixture
def noted(document):
    """A French original with two notes beside the English with one; spans around calls."""
    user = get_user_model().objects.get(username="editor")
    french = align_by_hand_with_a_lone_heading(document, FRENCH, "fr")
    english = document.witnesses.get(slug="cvce-en")
    en_p2 = english.segments.get(sid="p2")  # "In my telegram Nos 5978–5982,¹ I set out."
    fr_p3 = french.segments.get(text__startswith="Dans")
    for spans, body in [
        ([Span(en_p2, 30, 39)], "After the call."),
        ([Span(en_p2, 15, 35)], "Across the call."),
        ([Span(en_p2, 3, 29)], "Up to the call."),
        ([Span(fr_p3, 0, 20), Span(en_p2, 0, 14)], "In both texts."),
    ]:
        create_annotation(user=user, document=document, spans=spans, body=body)
    return document


def _tei(document) -> bytes:
    return export_document(document, "tei", BASE).data


def test_each_note_stands_inline_at_its_call_and_the_file_is_valid(noted, shared_dir, tmp_path):
    data = _tei(noted)
    root = etree.fromstring(data)
    for note in root.iterfind(".//t:body//t:note", NS):
        assert etree.QName(note.getparent()).localname in {"p", "head"}
        assert note.get("place") == "foot" and note.get("n")
    assert [n.get("n") for n in root.xpath(".//t:div[@xml:id='fr']//t:note", namespaces=NS)] == [
        "1",
        "2",
    ]
    path = tmp_path / "noted.tei.xml"
    path.write_bytes(data)
    result = jing(shared_dir, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_string_ranges_count_the_inline_notes_and_quote_the_annotated_words(noted):
    root = etree.fromstring(_tei(noted))
    texts = {e.get(XML_ID): "".join(e.itertext()) for e in root.iter() if e.get(XML_ID)}
    pointer = re.compile(r"#string-range\(//\*\[@xml:id='([^']+)'\],(\d+),(\d+)\)")
    quoted = {}
    for annotation in root.iterfind(".//t:listAnnotation/t:annotation", NS):
        body = annotation.findtext("t:note[@type='body']", namespaces=NS)
        for target in annotation.get("target").split():
            match = pointer.fullmatch(target)
            start = int(match[2])
            quoted.setdefault(body, []).append(texts[match[1]][start : start + int(match[3])])
    note = "This telegram of the same date."
    assert quoted["After the call."] == ["I set out"]
    assert quoted["Up to the call."] == ["my telegram Nos 5978–5982,"]
    assert quoted["Across the call."] == [f"Nos 5978–5982,{note} I set"]
    assert quoted["In both texts."] == ["Dans mon télégramme ", "In my telegram"]


def _reimport(data: bytes, like: Edition):
    edition = Edition.objects.create(title=like.title, slug="reimported")
    for membership in like.memberships.all():
        Membership.objects.create(edition=edition, user=membership.user, role=membership.role)
    owner = get_user_model().objects.get(username="owner")
    return import_exchange(data, edition=edition, user=owner, filename="a.tei.xml")[0]


def test_the_round_trip_keeps_the_spans_and_gives_the_same_tei(noted):
    first = _tei(noted)
    copy = _reimport(first, noted.edition)
    assert EXPORT_DATE.sub(b"", _tei(copy)) == EXPORT_DATE.sub(b"", first)

    def spans(document):
        return sorted(
            (a.body, t.segment.witness.slug, t.segment.sid, t.start, t.end, t.quote)
            for a in Annotation.objects.filter(document=document)
            for t in a.targets.all()
        )

    assert spans(copy) == spans(noted)


def test_an_unaligned_unit_is_linked_to_nothing(noted):
    root = etree.fromstring(_tei(noted))
    group = root.find(".//t:linkGrp[@type='alignment']", NS)
    units = {f"#{e.get(XML_ID)}" for e in root.xpath(".//t:body/t:div//*[@xml:id]", namespaces=NS)}
    pointed = []
    for row in group:
        pointers = row.get("target").split()
        assert set(pointers) <= units, pointers  # never a whole text ("#cvce-en")
        sides = {p.split(".")[0] for p in pointers}
        if etree.QName(row).localname == "link":
            assert sides == {"#fr", "#cvce-en"}
        else:
            assert row.get("subtype") == "unaligned" and len(sides) == 1
        pointed += pointers
    assert "#fr.h1" in pointed and len(pointed) == len(set(pointed))
    assert any(etree.QName(row).localname == "ptr" for row in group), etree.tostring(group)


def _stylesheets_html(shared_dir: Path, source: Path, tmp_path: Path) -> html.HtmlElement:
    """TEI -> HTML with the TEI Consortium's Stylesheets, as their USAGE.md says."""
    need_or_skip(
        shutil.which("java") is not None and SAXON.exists(),
        "Saxon-HE is absent (apt-get install libsaxonhe-java)",
    )
    stylesheet = shared_dir / "tools" / "tei-stylesheets" / "profiles" / "default" / "html5"
    out = tmp_path / "edition.html"
    result = subprocess.run(
        ["java", "-jar", str(SAXON), f"-s:{source}", f"-xsl:{stylesheet / 'to.xsl'}", f"-o:{out}"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return html.fromstring(out.read_bytes())


def test_the_tei_stylesheets_number_each_texts_notes_from_one_at_their_calls(
    noted, shared_dir, tmp_path
):
    source = tmp_path / "noted.tei.xml"
    source.write_bytes(_tei(noted))
    page = _stylesheets_html(shared_dir, source, tmp_path)
    notes = {n.get("id"): n for n in page.find_class("note")}
    expected = {
        "fr": [
            ("1", "Le secrétaire d'État.", "M. Rusk l'a souligné"),
            ("2", "Télégramme du même jour.", "Dans mon télégramme nos 5978-5982"),
        ],
        "cvce-en": [("1", "This telegram of the same date.", "In my telegram Nos 5978–5982,")],
    }
    for witness, wanted in expected.items():
        section = page.get_element_by_id(witness)
        found = []
        for call in section.find_class("notelink"):
            note = notes[call.get("href").removeprefix("#")]
            label = note.find_class("noteLabel")[0].text_content().strip().rstrip(".")
            assert call.text_content().strip() == label  # the call reads as its note
            # The call stands in the paragraph that calls the note, not after the text.
            paragraph = next(call.iterancestors("p"), None)
            assert paragraph is not None, f"note {label} of {witness} is cut off from its call"
            body = note.find_class("noteBody")[0].text_content().strip()
            text = paragraph.text_content()
            calling = [start for _l, _b, start in wanted if text.startswith(start)]
            found.append((label, body, calling[0] if calling else text))
        assert found == wanted


def test_the_tei_stylesheets_make_a_docx_with_each_note_at_its_call(noted, shared_dir, tmp_path):
    """TEI -> DOCX as the Stylesheets' teitodocx does: the template unpacked, to.xsl run."""
    source = tmp_path / "noted.tei.xml"
    source.write_bytes(_tei(noted))
    docx_profile = shared_dir / "tools" / "tei-stylesheets" / "profiles" / "default" / "docx"
    word = tmp_path / "word"
    zipfile.ZipFile(docx_profile / "template.docx").extractall(word)
    body = tmp_path / "document.xml"
    need_or_skip(SAXON.exists(), "Saxon-HE is absent (apt-get install libsaxonhe-java)")
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(SAXON),
            f"-s:{source}",
            f"-xsl:{docx_profile / 'to.xsl'}",
            f"-o:{body}",
            f"word-directory={word.as_uri()}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    notes = {
        n.get(f"{w}id"): "".join(n.itertext()).strip()
        for n in etree.parse(str(word / "word" / "footnotes.xml")).iter(f"{w}footnote")
        if not n.get(f"{w}type")
    }
    called = []
    for paragraph in etree.parse(str(body)).iter(f"{w}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{w}t"))
        for reference in paragraph.iter(f"{w}footnoteReference"):
            called.append((text.split(" ")[0], notes.pop(reference.get(f"{w}id"))))
    # Word numbers the notes in the order of their calls: each is called from its paragraph.
    assert called == [
        ("M.", "Le secrétaire d'État."),
        ("Dans", "Télégramme du même jour."),
        ("In", "This telegram of the same date."),
    ]
    assert notes == {}  # no note without its call


def test_an_orphan_target_has_no_string_range():
    orphan = AnnotationTarget(pk=7, start=None, end=None)  # its quote is no longer in the text
    with pytest.raises(ValueError, match="orphan"):
        string_range(orphan, texts=None)  # refused before any text is read
