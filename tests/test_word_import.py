"""Word files (DOCX) imported as records: paragraphs, headings, footnotes, tracked changes,
and damaged or hostile files refused with a reason."""

import contextlib
import io
import random
import zipfile

import docx
import pytest

from editions.importers import RecordError, parse_record
from editions.importers.word import docx_text
from editions.models import Document

from .conftest import edition_url
from .test_import_views import _upload

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_file(body: str, footnotes: str = "", styles: str = "") -> bytes:
    """A DOCX as Word writes it, with only the parts the importer reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f"<w:document {NS}><w:body>{body}</w:body></w:document>"
        )
        if footnotes:
            archive.writestr("word/footnotes.xml", f"<w:footnotes {NS}>{footnotes}</w:footnotes>")
        if styles:
            archive.writestr("word/styles.xml", f"<w:styles {NS}>{styles}</w:styles>")
    return buffer.getvalue()


def paragraph(*runs: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def note_call(note_id: int) -> str:
    return f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'


def note(note_id: int, text: str) -> str:
    return (
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r>{run(text)}</w:p>'
        "</w:footnote>"
    )


SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote>"
)
# French Word names its heading style "Titre1"; the file still calls it "heading 1".
FRENCH_WORD_STYLES = (
    '<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
)


def test_a_word_file_made_by_python_docx_gives_its_headings_and_paragraphs():
    word = docx.Document()
    word.add_heading("Télégramme de M. Alphand", level=1)
    word.add_paragraph(
        "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs."
    )
    second = word.add_paragraph("M. Rusk a souligné que la surveillance aérienne")
    second.add_run().add_break()
    second.add_run("avait montré que les bases cubaines continuaient à être construites.")
    table = word.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Partout ailleurs, la situation était calme."
    data = io.BytesIO()
    word.save(data)

    record = parse_record(data.getvalue(), "alphand.docx")
    assert record.format == "text"
    assert record.witness["language"] == "fr"
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "Télégramme de M. Alphand"),
        (
            "paragraph",
            "Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs.",
        ),
        (
            "paragraph",
            "M. Rusk a souligné que la surveillance aérienne avait montré que les bases cubaines "
            "continuaient à être construites.",
        ),
        ("paragraph", "Partout ailleurs, la situation était calme."),
    ]


def test_word_footnotes_are_linked_to_their_calls_with_words_numbers():
    body = paragraph(run("M. Rusk"), note_call(2), run(" a souligné la gravité de la situation."))
    body += paragraph(run("Les bases"), note_call(5), run(" sont presque achevées à Cuba."))
    footnotes = (
        SEPARATORS + note(2, " Dean Rusk, secrétaire d'État.") + note(5, " À San Cristóbal.")
    )
    record = parse_record(word_file(body, footnotes), "telegramme.docx")
    first, second = record.body
    assert first.text == "M. Rusk a souligné la gravité de la situation."
    assert [(r.label, r.offset) for r in first.refs] == [("1", len("M. Rusk"))]
    assert [(r.label, r.offset) for r in second.refs] == [("2", len("Les bases"))]
    assert [(n.label, n.text) for n in record.footnotes] == [
        ("1", "Dean Rusk, secrétaire d'État."),
        ("2", "À San Cristóbal."),
    ]


def test_a_footnote_with_its_own_mark_keeps_it():
    body = paragraph(
        run("Le secrétaire d'État"),
        '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="1"/><w:t>*</w:t></w:r>',
        run(" a reçu les ambassadeurs des trois pays alliés."),
    )
    footnotes = note(1, "* M. Dean Rusk.")  # the mark typed again in the note, as Word does
    record = parse_record(word_file(body, footnotes), "lettre.docx")
    assert [r.label for r in record.body[0].refs] == ["*"]
    assert [(n.label, n.text) for n in record.footnotes] == [("*", "M. Dean Rusk.")]


def test_french_word_heading_styles_tracked_changes_and_tabs():
    body = paragraph(run("Circulaire n° 96"), style="Titre1")
    body += paragraph(
        run("Les négociations"),
        "<w:del><w:r><w:delText> à Genève</w:delText></w:r></w:del>",
        f"<w:ins>{run(' de New York')}</w:ins>",
        "<w:r><w:tab/></w:r>",
        run("se poursuivent sous l'égide de U Thant."),
    )
    text = docx_text(word_file(body, styles=FRENCH_WORD_STYLES))
    assert text == (
        "# Circulaire n° 96\n\n"
        "Les négociations de New York se poursuivent sous l'égide de U Thant.\n"
    )


def test_a_damaged_word_file_is_refused_as_damaged():
    data = word_file(paragraph(run("Un texte.")))
    with pytest.raises(RecordError, match="damaged or incomplete"):
        parse_record(data[: len(data) // 2], "telegramme.docx")


def test_a_zip_without_a_word_document_is_not_taken_for_one():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office/>")
    with pytest.raises(RecordError, match="no Word document"):
        parse_record(buffer.getvalue(), "telegramme.docx")
    with pytest.raises(RecordError, match=r"binary file \(ODT\?\)"):
        parse_record(buffer.getvalue(), "telegramme.odt")


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    # 60 MB of XML in a few kilobytes of ZIP: more than 20 times a 1 MB limit.
    filler = "<w:p><w:r><w:t>" + "a" * 1000 + "</w:t></w:r></w:p>"
    data = word_file(filler * 60_000)
    assert len(data) < 1_000_000
    with pytest.raises(RecordError, match="too large to import"):
        parse_record(data, "bomb.docx", max_bytes=1_000_000)


def test_a_word_file_declaring_entities_is_refused():
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            f"<w:document {NS}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>",
        )
    with pytest.raises(RecordError, match="entit"):
        parse_record(hostile.getvalue(), "hostile.docx")


def test_an_editor_uploads_a_word_file_previews_it_and_saves_it(client_as, edition):
    body = paragraph(run("Télégramme"), style="Titre1")
    body += paragraph(
        run("M. Rusk"), note_call(1), run(" a souligné que les bases cubaines avancent.")
    )
    data = word_file(body, SEPARATORS + note(1, " Dean Rusk."), FRENCH_WORD_STYLES)
    client = client_as("editor")
    preview = client.post(
        edition_url(edition, "import_record"),
        {"file": _upload("alphand.docx", data), "preview": "1"},
    )
    assert preview.status_code == 200
    assert "M. Rusk" in preview.text and "Dean Rusk." in preview.text
    assert Document.objects.count() == 0
    saved = client.post(
        edition_url(edition, "import_record"),
        {"text": docx_text(data), "filename": "alphand.docx", "language": "fr", "save": "1"},
    )
    assert saved.status_code == 302
    witness = Document.objects.get().witnesses.get()
    assert witness.source_filename == "alphand.docx"
    assert [s.kind for s in witness.segments.order_by("position")] == [
        "heading",
        "paragraph",
        "footnote",
    ]
    assert witness.segments.get(kind="paragraph").footnote_refs.get().note.text == "Dean Rusk."


def test_damaged_compressed_text_is_refused_as_damaged():
    data = bytearray(word_file(paragraph(run("Un texte assez long. " * 50))))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename)  # the deflated stream
    data[start : start + 4] = b"\xff\xff\xff\xff"  # an invalid block type for zlib
    with pytest.raises(RecordError, match="damaged or incomplete"):
        parse_record(bytes(data), "telegramme.docx")


def test_a_garbled_word_file_gets_a_message_never_a_crash():
    """Bytes changed, cut or repeated at random (seeded): ZIP headers, offsets, compressed
    data and XML all go wrong in turn. Each attempt ends in a record or a RecordError."""
    word = docx.Document()
    word.add_heading("Télégramme", level=1)
    word.add_paragraph(
        "Après la réunion du 22 octobre, le secrétaire d'État a prié les ambassadeurs."
    )
    buffer = io.BytesIO()
    word.save(buffer)
    original = buffer.getvalue()
    chance = random.Random(1962)
    for _attempt in range(300):
        data = bytearray(original)
        for _change in range(chance.randint(1, 4)):
            at = chance.randrange(len(data))
            kind = chance.random()
            if kind < 0.5:
                data[at] = chance.randrange(256)
            elif kind < 0.8:
                del data[at : at + chance.randint(1, 64)]
            else:
                source = chance.randrange(len(data))
                data[at:at] = data[source : source + chance.randint(1, 64)]
        with contextlib.suppress(RecordError):
            parse_record(bytes(data), "garbled.docx")
