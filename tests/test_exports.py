"""Each export format, checked by its standard's validator and read back."""

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from pypdf import PdfReader

from editions.alignment_store import create_alignment
from editions.exporters import FORMATS, export_document, unavailable
from editions.exporters.bundle import document_bundle, edition_bundle
from editions.exporters.data import load
from editions.exporters.html import export_html
from editions.exporters.tei import TEI_NS, XML_ID
from editions.importers import parse_record, save_record
from editions.importers.exchange import parse_exchange
from editions.models import Document
from tests.conftest import need_or_skip

from .export_fixtures import (  # noqa: F401
    PRIVATE_NOTE,
    _user,
    annotated_fixture,
    jing,
)

BASE = "http://example.org/"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
NS = {"t": TEI_NS}


def _tei(annotated):
    data = export_document(annotated.document, "tei", BASE).data
    return data, etree.fromstring(data)


@pytest.mark.slow
def test_the_tei_passes_tei_all_with_jing(annotated, shared_dir, tmp_path):
    path = tmp_path / "document.tei.xml"
    path.write_bytes(_tei(annotated)[0])
    result = jing(shared_dir, path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_tei_header_credits_translators_editors_and_sources(annotated):
    _data, root = _tei(annotated)
    resp = {
        (r.findtext("t:resp", namespaces=NS), r.findtext("t:name", namespaces=NS))
        for r in root.iterfind("t:teiHeader/t:fileDesc/t:titleStmt/t:respStmt", NS)
    }
    assert resp == {("translator", "CVCE.EU by UNI.LU"), ("editor", "editor"), ("editor", "owner")}
    witnesses = root.findall(".//t:sourceDesc/t:listWit/t:witness", NS)
    assert [w.get(XML_ID) for w in witnesses] == ["source.fr", "source.cvce-en"]
    assert root.findtext(".//t:correspAction[@type='sent']/t:persName", namespaces=NS) == (
        "Hervé Alphand"
    )


def test_the_tei_keeps_segment_ids_footnotes_and_one_link_per_row(annotated):
    _data, root = _tei(annotated)
    divs = root.findall("t:text/t:body/t:div", NS)
    assert [(d.get(XML_ID), d.get("{http://www.w3.org/XML/1998/namespace}lang")) for d in divs] == [
        ("fr", "fr"),
        ("cvce-en", "en"),
    ]
    assert divs[0].get("source") == "#source.fr"
    ids = [e.get(XML_ID) for e in divs[1].iter() if e.get(XML_ID)]
    assert ids == ["cvce-en", "cvce-en.p1", "cvce-en.p2", "cvce-en.n3"]
    p2 = root.xpath(".//t:p[@xml:id='cvce-en.p2']", namespaces=NS)[0]
    # The note stands inline where it is called, as TEI editions write it.
    note = p2.find("t:note", NS)
    assert note.get(XML_ID) == "cvce-en.n3" and note.get("n") == "1"
    assert note.get("place") == "foot" and note.text == "This telegram of the same date."
    assert p2.text == "In my telegram Nos 5978–5982," and note.tail == " I set out."
    assert divs[1].find("t:note", NS) is None  # not repeated after the paragraphs
    rows = root.find(".//t:linkGrp[@type='alignment']", NS)
    assert len(rows) == annotated.alignment.rows.count()
    # Every link joins units of both texts; a unit nothing renders is linked to nothing.
    for link in rows.iterfind("t:link", NS):
        sides = {p.split(".")[0] for p in link.get("target").split()}
        assert sides == {"#fr", "#cvce-en"}, link.get("target")
    for unaligned in rows.iterfind("t:ptr", NS):
        assert unaligned.get("subtype") == "unaligned" and "." in unaligned.get("target")
    assert root.find(".//t:linkGrp", NS).get("domains") == "#fr #cvce-en"


def test_tei_annotations_point_at_their_exact_spans(annotated):
    _data, root = _tei(annotated)
    listing = root.find("t:standOff/t:listAnnotation", NS)
    texts = {e.get(XML_ID): "".join(e.itertext()) for e in root.iter() if e.get(XML_ID)}
    pointer = re.compile(r"#string-range\(//\*\[@xml:id='([^']+)'\],(\d+),(\d+)\)")
    quotes = []
    for annotation in listing.iterfind("t:annotation", NS):
        for target in annotation.get("target").split():
            if match := pointer.fullmatch(target):
                start = int(match[2])
                quotes.append(texts[match[1]][start : start + int(match[3])])
    assert sorted(quotes) == sorted(["Mr Rusk", "Rusk", "Rusk", "Rusk", "telegram"])
    # Numbered in reading order: the first span of the first note is in the first column.
    first = listing.find("t:annotation", NS)
    assert first.get(XML_ID) == "ann.1" and first.get("ana") == "#cat.terminology"
    assert first.find("t:revisionDesc", NS).get("status") == "resolved"
    replies = [a for a in listing if a.get("motivation") == "replying"]
    assert len(replies) == 1 and replies[0].get("target").startswith("#ann.")
    orphan = listing.find("t:annotation/t:note[@type='quote']", NS)
    assert orphan.text == "telegram" and orphan.get("target") == "#cvce-en.p2"
    assert PRIVATE_NOTE.encode() not in etree.tostring(root)


def test_the_tmx_is_valid_against_the_tmx14_dtd_with_one_unit_per_row(annotated, shared_dir):
    data = export_document(annotated.document, "tmx", BASE).data
    root = etree.fromstring(data)
    dtd = etree.DTD(str(shared_dir / "schemas" / "tmx14.dtd"))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    units = root.findall("body/tu")
    assert len(units) == annotated.alignment.rows.count()
    languages = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert languages == {"fr", "en"}
    header = root.find("header")
    assert header.get("creationtool") == "Translation workbench"
    assert header.get("segtype") == "paragraph" and header.get("srclang") == "fr"
    assert b"<!DOCTYPE tmx SYSTEM" in data


FRENCH_PARAGRAPH = (
    "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs de "
    "rester. M. Rusk a souligné que les bases cubaines étaient construites plus vite. "
    "Partout ailleurs, la situation était calme."
)
ENGLISH_PARAGRAPH = (
    "After the 22 October meeting, the Secretary of State asked the three Ambassadors to "
    "remain. Mr Rusk stressed that Cuban bases were being built at a faster rate. "
    "Everywhere else, the situation was calm."
)


def _sentence_memory(document):
    french, english = (
        save_record(parse_record(text), edition=document.edition, document=document, **kind)
        for text, kind in (
            (FRENCH_PARAGRAPH, {"language": "fr", "role": "original"}),
            (ENGLISH_PARAGRAPH, {"language": "en", "role": "translation"}),
        )
    )
    create_alignment(document, french, english, _user("editor"))
    return export_document(document, "tmx-sentences", BASE).data


def test_the_sentence_memory_pairs_the_sentences_of_each_row_and_is_valid(document, shared_dir):
    data = _sentence_memory(document)
    root = etree.fromstring(data)
    dtd = etree.DTD(str(shared_dir / "schemas" / "tmx14.dtd"))
    assert dtd.validate(root), dtd.error_log.filter_from_errors()
    assert root.find("header").get("segtype") == "sentence"
    pairs = [[seg.text for seg in tu.iter("seg")] for tu in root.findall("body/tu")]
    assert pairs == [
        [
            "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois "
            "ambassadeurs de rester.",
            "After the 22 October meeting, the Secretary of State asked the three "
            "Ambassadors to remain.",
        ],
        [
            "M. Rusk a souligné que les bases cubaines étaient construites plus vite.",
            "Mr Rusk stressed that Cuban bases were being built at a faster rate.",
        ],
        [
            "Partout ailleurs, la situation était calme.",
            "Everywhere else, the situation was calm.",
        ],
    ]
    confidences = [float(p.text) for p in root.iter("prop") if p.get("type") == "x-confidence"]
    assert len(confidences) == 3 and all(0 < c <= 1 for c in confidences)


def test_a_sentence_memory_imports_back_as_texts_of_one_sentence_a_segment(document):
    imported = parse_exchange(_sentence_memory(document), "memory.tmx")
    texts = [[s.text for s in w.segments] for w in imported.witnesses]
    assert [len(t) for t in texts] == [3, 3]
    assert texts[1][2] == "Everywhere else, the situation was calm."


@pytest.mark.slow
def test_the_json_ld_collection_passes_the_w3c_tests_and_matches_the_protocol(
    annotated, shared_dir, tmp_path, client_as
):
    data = json.loads(export_document(annotated.document, "jsonld", "http://testserver/").data)
    assert data["type"] == "AnnotationCollection" and data["total"] == 6  # 5 and a reply
    tool = shared_dir / "tools" / "validate_w3c_annotation.py"

    def validate(instance, *tests):
        path = tmp_path / "out.json"
        path.write_text(json.dumps(instance))
        return subprocess.run(
            [sys.executable, str(tool), str(path), *tests], capture_output=True, text=True
        )

    result = validate(data, "collections/collectionMusts.test")
    assert result.returncode == 0, result.stdout + result.stderr
    for item in data["first"]["items"]:
        result = validate(item)
        assert result.returncode == 0, result.stdout + result.stderr
    # The same code as the protocol endpoint: the annotation reads the same from both.
    served = client_as("reader").get(data["first"]["items"][0]["id"]).json()
    assert served == data["first"]["items"][0]


def test_the_html_edition_is_self_contained_with_notes_keyed_by_category(annotated):
    html = export_html(load(annotated.document, BASE)).decode()
    assert "<script" not in html and "<link" not in html and "@media print" in html
    assert re.search(r"<th lang=\"fr\">French original", html)
    assert 'id="note-1"' in html and 'id="note-5"' in html and 'id="note-6"' not in html
    assert "historical context (1)" in html and "uncategorised (1)" in html
    assert 'href="#fn-cvce-en-n3"' in html  # the footnote marker links to the note
    assert "Agreed, and see the <strong>index</strong>." in html
    assert "no longer in the text" in html  # the orphan is listed, not placed
    assert PRIVATE_NOTE not in html


def test_the_pdf_shows_the_texts_notes_page_numbers_and_running_heads(annotated):
    pdf = PdfReader(io.BytesIO(export_document(annotated.document, "pdf", BASE).data))
    pages = [page.extract_text() for page in pdf.pages]
    text = "\n".join(pages)
    # Note numbers follow the annotated words: "Mr Rusk²³ stressed it."
    assert re.search(r"Mr Rusk[\d,]+ stressed it\.", text)
    assert re.search(r"M\. Rusk[\d,]+ l'a souligné\.", text)
    assert "Dean Rusk, Secretary of State." in text and "Which telegram?" in text
    assert f"1 / {len(pages)}" in pages[0]
    assert all("Letter from Hervé Alphand" in page for page in pages[1:])  # running head
    assert pdf.metadata.title.startswith("Letter from Hervé Alphand")


def test_a_pdf_page_renders_to_an_image(annotated, tmp_path):
    need_or_skip(shutil.which("pdftoppm") is not None, "pdftoppm is absent (poppler-utils)")
    path = tmp_path / "edition.pdf"
    path.write_bytes(export_document(annotated.document, "pdf", BASE).data)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "export-pdf-page-2"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "2", "-l", "2", "-singlefile", path, target],
        check=True,
    )
    assert target.with_suffix(".png").stat().st_size > 10_000


def _commented_text(document) -> dict[int, str]:
    """Comment id -> the text between its range marks, read from the document's XML."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    open_ranges: dict[int, list[str]] = {}
    found: dict[int, str] = {}
    for element in document.element.body.iter():
        if element.tag == f"{w}commentRangeStart":
            open_ranges[int(element.get(f"{w}id"))] = []
        elif element.tag == f"{w}commentRangeEnd":
            key = int(element.get(f"{w}id"))
            found[key] = "".join(open_ranges.pop(key))
        elif element.tag == f"{w}t":
            for parts in open_ranges.values():
                parts.append(element.text or "")
    return found


def test_the_docx_has_comments_on_the_spans_footnotes_and_the_aligned_table(annotated):
    word = docx.Document(io.BytesIO(export_document(annotated.document, "docx", BASE).data))
    comments = {c.comment_id: c for c in word.comments}
    anchored = _commented_text(word)
    by_body = {c.text.split("\n")[1]: anchored[c.comment_id] for c in comments.values()}
    assert by_body["Dean Rusk, Secretary of State. @editor"] == "Rusk"
    assert by_body["“Mr” for “M.”: the English usage."] == "Mr Rusk"
    assert sorted(anchored[c.comment_id] for c in comments.values() if "Both texts" in c.text) == [
        "Rusk",
        "Rusk",
    ]
    people = next(c for c in comments.values() if "Dean Rusk" in c.text)
    assert people.author == "annotator" and "historical context" in people.text
    assert "— editor: Agreed, and see the index." in people.text
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "French original (fr)",
        "CVCE translation (en)",
    ]
    parts = word.part.package.iter_parts()
    footnotes = next(p for p in parts if p.partname == "/word/footnotes.xml")
    assert "This telegram of the same date." in footnotes.blob.decode()
    assert b"footnoteReference" in word.part.blob
    body = "\n".join(p.text for p in word.paragraphs)
    assert "Which telegram?" in body and "The telegram numbers." in body  # not anchorable here
    assert PRIVATE_NOTE not in body and all(PRIVATE_NOTE not in c.text for c in comments.values())


def test_the_csv_has_one_row_per_annotation_with_formulas_quoted(annotated):
    data = export_document(annotated.document, "csv", BASE).data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 5
    people = next(r for r in rows if r["note"].startswith("Dean"))
    assert people["witness"] == "CVCE translation" and people["segment id"] == "p1"
    assert people["quote"] == "Rusk" and people["category"] == "historical context"
    assert people["author"] == "annotator" and people["status"] == "open"
    assert people["tags"] == "'=SUM(A1), people"  # a spreadsheet would run "=SUM(A1)"
    assert people["replies"] == "1"
    orphan = next(r for r in rows if r["note"] == "The telegram numbers.")
    assert orphan["quote"] == "telegram (orphaned)"


def test_several_formats_make_a_zip_and_one_format_its_file(annotated):
    single = document_bundle(annotated.document, ["tei"], BASE)
    assert single.name.endswith(".tei.xml") and single.media_type == "application/tei+xml"
    bundle = document_bundle(annotated.document, list(FORMATS), BASE)
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert bundle.name == f"{annotated.document.slug}.zip"
    assert sorted(n.removeprefix(annotated.document.slug) for n in names) == sorted(
        f.suffix for f in FORMATS.values()
    )


def test_an_edition_bundle_reports_progress_after_each_file(annotated):
    heard = []
    edition = annotated.document.edition
    bundle = edition_bundle(edition, ["csv", "tmx"], BASE, lambda *done: heard.append(done))
    # (files written, files, steps done in the file being written, its steps): these
    # formats are written in one step, and say nothing of steps.
    assert heard == [(1, 2, 0, 0), (2, 2, 0, 0)]
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    assert names == [
        f"test-edition/{annotated.document.slug}.annotations.csv",
        f"test-edition/{annotated.document.slug}.tmx",
    ]


def test_a_tei_file_reports_its_steps_as_it_is_written(annotated):
    heard = []
    edition_bundle(annotated.document.edition, ["tei"], BASE, lambda *done: heard.append(done))
    # The header, each of the two texts, the alignments and annotations, the file written.
    assert heard == [(0, 1, step, 5) for step in range(1, 6)] + [(1, 1, 0, 0)]


@pytest.mark.parametrize("key", list(FORMATS))
def test_unaligned_and_empty_documents_export_too(document, key):
    if FORMATS[key].pairs_texts:  # a memory of one text: not offered (test_export_views)
        assert unavailable(document, key)
        return
    unaligned = export_document(document, key, BASE)
    assert unaligned.data
    empty = Document.objects.create(edition=document.edition, slug="empty", title="Nothing yet")
    assert export_document(empty, key, BASE).data


@pytest.mark.slow
def test_the_tei_of_an_unaligned_unannotated_document_is_valid_too(document, shared_dir, tmp_path):
    path = tmp_path / "plain.tei.xml"
    path.write_bytes(export_document(document, "tei", BASE).data)
    result = jing(shared_dir, path)
    assert result.returncode == 0, result.stdout + result.stderr
    empty = Document.objects.create(edition=document.edition, slug="empty", title="Nothing yet")
    path.write_bytes(export_document(empty, "tei", BASE).data)
    result = jing(shared_dir, path)
    assert result.returncode == 0, result.stdout + result.stderr
