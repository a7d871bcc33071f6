"""The parsers, without a database: decoding, format detection, the CVCE, Wilson Center and
plain-text records field by field, footnote styles, and the input they refuse."""

import codecs
import datetime
import re
from pathlib import Path

import pytest

from editions.importers import blocks, body, parse_record
from editions.importers.base import DOCUMENT_FIELDS, WITNESS_FIELDS, ParsedRecord, RecordError
from editions.importers.decoding import decode
from editions.importers.detect import detect_format
from editions.importers.footnotes import extract_markers
from editions.importers.metadata import parse_printed_source

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CVCE_FILE = FIXTURES / "cvce-alphand-1962-10-26.txt"
WILSON_FILE = FIXTURES / "wilson-circular-96-1962-11-10.md"
CVCE = CVCE_FILE.read_text(encoding="utf-8")
WILSON = WILSON_FILE.read_text(encoding="utf-8")
CVCE_URL = (
    "http://www.cvce.eu/obj/letter_from_herve_alphand_to_maurice_couve_de_murville"
    "_washington_26_october_1962-en-6a5a1c25-1e8d-4ff3-8331-34e1dcd77c13.html"
)
WILSON_SUMMARY = (
    "A circulating telegram to French diplomats outlining the origins and meaning of the Cuban "
    "crisis, the unfolding and events of the crisis, and the consequences of the crisis."
)
WILSON_CREDITS = "This document was made possible with support from Leon Levy Foundation"

# A French original typed as plain text (the Alphand telegram, abridged), with accents.
FRENCH = """\
Télégramme de M. Alphand à M. Couve de Murville (Washington, 26 octobre 1962)

T. nos 5983 à 5985. Priorité. Secret. Diffusion restreinte.

Washington, le 26 octobre 1962.
(Reçu : le 27, 2 h 20.)

À l'issue de la réunion du 22 octobre, le secrétaire d'État a demandé aux trois \
ambassadeurs de rester dans son bureau.

M. Rusk a souligné que la surveillance aérienne avait montré que les bases cubaines \
continuaient d'être construites à un rythme accéléré. Partout ailleurs, la situation était \
calme.

Il est difficile de dire dès maintenant ce que sera l'issue des conversations qui se \
déroulent au siège des Nations unies. Dans mes télégrammes nos 5978 à 5982 (1), j'ai \
indiqué les objectifs américains dans ces conversations.

(Collection des télégrammes.)

(1) Ce télégramme de même date, non reproduit, indiquait que M. Nitze avait informé les \
ambassadeurs occidentaux.
"""


@pytest.fixture(scope="module")
def cvce() -> ParsedRecord:
    return parse_record(CVCE_FILE.read_bytes(), CVCE_FILE.name)


@pytest.fixture(scope="module")
def wilson() -> ParsedRecord:
    return parse_record(WILSON_FILE.read_bytes(), WILSON_FILE.name)


def texts(record: ParsedRecord, kind: str | None = None) -> list[str]:
    return [s.text for s in record.segments if kind is None or s.kind == kind]


def marked(segment, ref) -> str:
    """The segment's text with the marker put back where it stood, to read offsets easily."""
    return f"{segment.text[: ref.offset]}[{ref.label}]{segment.text[ref.offset :]}"


# Decoding


def test_it_reads_utf8_with_or_without_a_bom():
    assert decode("Un télégramme.".encode())[0] == "Un télégramme."
    assert decode(codecs.BOM_UTF8 + "Un télégramme.".encode())[0] == "Un télégramme."


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_it_reads_utf16_with_a_bom(codec):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    text, warnings = decode(bom + "Reçu à Paris.\n".encode(codec))
    assert text == "Reçu à Paris.\n"
    assert warnings == []


def test_it_reads_a_cp1252_french_text_and_says_which_encoding_it_assumed():
    text, warnings = decode("L’ambassadeur a reçu « l’état » des forces.".encode("cp1252"))
    assert text == "L’ambassadeur a reçu « l’état » des forces."
    assert len(warnings) == 1
    assert "Windows-1252" in warnings[0]


def test_it_falls_back_to_latin1_for_bytes_windows_1252_leaves_undefined():
    data = "Le délégué a été reçu. ".encode("latin-1") * 20 + b"\x81"
    text, warnings = decode(data)
    assert text.startswith("Le délégué a été reçu.")
    assert "Latin-1" in warnings[0]


def test_it_turns_crlf_and_cr_line_ends_into_lf():
    assert decode(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"


def test_it_normalizes_decomposed_accents_to_nfc():
    assert decode("Ve\u0301ronique".encode())[0] == "Véronique"


def test_it_warns_about_text_that_was_converted_between_encodings_twice():
    warnings = decode("Herv\u00c3\u00a9 Alphand wrote to Paris.".encode())[1]
    assert "converted between encodings twice" in warnings[0]


def test_it_refuses_empty_bytes():
    with pytest.raises(RecordError, match="empty"):
        parse_record(b"")


@pytest.mark.parametrize("data", [b"   \n\t\r\n  ", "  \n\n ", "\ufeff  \n"])
def test_it_refuses_a_file_of_only_blank_space(data):
    with pytest.raises(RecordError, match="only blank space"):
        parse_record(data)


@pytest.mark.parametrize(
    ("data", "filename", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "telegram.pdf", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "telegram.odt", "ODT"),
        (b"PK\x03\x04\x14\x00\x06\x00", "census.xlsx", "XLSX"),
        (b"PK\x03\x04\x14\x00\x06\x00", "archive", "ZIP"),
    ],
)
def test_it_refuses_a_binary_file_and_says_what_it_looks_like(data, filename, kind):
    with pytest.raises(RecordError, match=rf"binary file \({kind}\?\)"):
        parse_record(data, filename)


def test_it_refuses_bytes_with_nul_characters():
    with pytest.raises(RecordError, match="NUL bytes"):
        parse_record(b"Some text\x00\x00 with NULs in it.")


def test_it_refuses_pasted_text_full_of_control_characters():
    with pytest.raises(RecordError, match="control characters"):
        parse_record("text\x01\x02\x03\x04 with controls")


def test_it_refuses_a_file_over_the_size_limit_and_says_both_sizes():
    with pytest.raises(RecordError) as error:
        parse_record(CVCE_FILE.read_bytes(), max_bytes=1000)
    message = str(error.value)
    assert str(len(CVCE_FILE.read_bytes())) in message
    assert "1000" in message


def test_it_takes_the_default_size_limit_from_the_settings(settings):
    settings.IMPORT_MAX_BYTES = 50
    with pytest.raises(RecordError, match="the limit is 50 bytes"):
        parse_record("A paragraph that is rather longer than fifty bytes, all told.")


def test_it_refuses_bytes_that_are_neither_utf8_nor_a_legacy_text():
    with pytest.raises(RecordError, match="cannot be decoded"):
        parse_record(bytes(range(0x80, 0x100)) * 4)


def test_it_refuses_a_utf8_bom_followed_by_invalid_utf8():
    with pytest.raises(RecordError, match="UTF-8 byte-order mark but is not valid UTF-8"):
        parse_record(codecs.BOM_UTF8 + b"Valid start, then \xff\xfe garbage.")


# Format detection


def test_it_detects_the_seed_formats_by_their_structure():
    assert detect_format(CVCE) == "cvce"
    assert detect_format(WILSON) == "wilson"
    assert detect_format(FRENCH) == "text"


def test_it_detects_a_wilson_record_whose_labels_are_not_bold():
    plain = re.sub(
        r"\*\*(Citation|Summary|Credits|Original Language|Contents):\*\*", r"\1:", WILSON
    )
    assert detect_format(plain) == "wilson"


def test_it_detects_a_cvce_record_without_its_furniture_and_last_updated():
    variant = CVCE.replace("www.cvce.eu", "").replace("Last updated: 06/07/2016", "")
    assert detect_format(variant) == "cvce"


def test_one_stray_source_line_does_not_make_a_text_a_cvce_record():
    text = "A report.\n\nSource: the embassy.\n\nThe paragraph that follows is plain text."
    assert detect_format(text) == "text"


@pytest.mark.parametrize("text", ["x", "hello", "Secret!", "  Cuba  \n"])
def test_it_finds_no_paragraphs_in_a_single_short_line(text):
    with pytest.raises(RecordError, match="No paragraphs found"):
        parse_record(text)


@pytest.mark.parametrize("text", ["1962 -- 10 -- 26", "----\n\n****\n\n12345", "... ¹²³ ..."])
def test_it_finds_no_paragraphs_in_a_text_without_letters(text):
    with pytest.raises(RecordError, match="No paragraphs found"):
        parse_record(text)


def test_it_finds_no_paragraphs_in_a_text_that_is_only_heading_lines():
    with pytest.raises(RecordError, match="only heading lines"):
        parse_record("Very Secret\n\nWashington, 26 October 1962.")


def test_it_finds_no_paragraphs_in_a_text_that_is_only_footnotes():
    with pytest.raises(RecordError, match="everything in the file reads as footnotes"):
        parse_record("[1] A note on its own.\n\n[2] And another one.")


def test_it_finds_no_paragraphs_in_a_record_that_is_only_fields():
    head = CVCE.split("www.cvce.eu")[0]
    with pytest.raises(RecordError, match="No paragraphs found"):
        parse_record(head)


# The CVCE record, field by field


def test_the_cvce_record_is_a_cvce_record_with_no_warnings(cvce):
    assert cvce.format == "cvce"
    assert cvce.warnings == []


def test_parsers_fill_only_fields_the_models_have(cvce, wilson):
    for record in (cvce, wilson, parse_record(FRENCH)):
        assert set(record.document) <= set(DOCUMENT_FIELDS)
        assert set(record.witness) <= set(WITNESS_FIELDS)


def test_it_reads_the_cvce_witness_fields(cvce):
    title = "Letter from Hervé Alphand to Maurice Couve de Murville (Washington, 26 October 1962)"
    assert cvce.witness["title_as_published"] == title
    assert cvce.witness["caption"].startswith("On 26 October 1962, French Ambassador")
    assert cvce.witness["caption"].endswith("Soviet military bases in Cuba.")
    assert cvce.witness["citation"] == (
        "Ministère des Affaires étrangères ; Commission de Publication des DDF (sous la dir.). "
        "Documents diplomatiques français. Volume II: 1962, 1er juillet-31 décembre. Paris: "
        "Imprimerie nationale, 1999. p. 335-336."
    )
    assert cvce.witness["copyright_line"] == "(c) Translation CVCE.EU by UNI.LU"
    assert cvce.witness["translator"] == "CVCE.EU by UNI.LU"
    assert cvce.witness["publisher"] == "CVCE.EU by UNI.LU"
    assert cvce.witness["rights"].startswith("All rights of reproduction, of public communication")
    assert cvce.witness["rights"].endswith("terms and conditions of use regarding this site.")
    assert cvce.witness["last_updated"] == datetime.date(2016, 7, 6)
    assert cvce.witness["language"] == "en"
    assert cvce.witness["role"] == "translation"
    assert cvce.witness["original_language"] == "French"


def test_it_rejoins_the_url_broken_by_a_space(cvce):
    assert cvce.witness["source_url"] == CVCE_URL


def test_it_reads_the_cvce_document_fields(cvce):
    document = cvce.document
    assert document["title"] == cvce.witness["title_as_published"]
    assert document["author"] == "Hervé Alphand"
    assert document["recipient"] == "Maurice Couve de Murville"
    assert document["place"] == "Washington"
    assert document["date"] == datetime.date(1962, 10, 26)
    assert document["reference_numbers"] == "T. Nos 5983 to 5985"
    assert document["classification"] == "Priority, Secret, Limited circulation"
    assert document["received_note"] == "Received: 27 October. 2.20 a.m."
    assert document["summary"] == cvce.witness["caption"]


def test_the_time_of_receipt_is_not_the_time_of_the_document(cvce):
    assert "time" not in cvce.document


def test_it_reads_the_printed_source_of_the_cvce_record(cvce):
    assert cvce.document["source_series"] == "Documents diplomatiques français"
    assert cvce.document["source_volume"] == "Volume II: 1962, 1er juillet-31 décembre"
    assert cvce.document["source_publication"] == "Paris: Imprimerie nationale, 1999"
    assert cvce.document["source_pages"] == "335-336"


def test_the_cvce_body_is_the_paragraphs_in_order(cvce):
    body = texts(cvce, "paragraph")
    assert len(body) == 4
    assert body[0].startswith("After the 22 October meeting, the Secretary of State")
    assert body[1].startswith("Mr Rusk stressed that aerial surveillance")
    assert body[2].startswith("It is difficult, as yet, to say")
    assert body[3] == "(Collection of telegrams.)"
    assert [s.kind for s in cvce.segments] == ["paragraph"] * 4 + ["footnote"]


def test_the_cvce_heading_lines_and_page_furniture_leave_the_body(cvce):
    everything = "\n".join(texts(cvce))
    assert "www.cvce.eu" not in everything
    assert "T. Nos" not in everything
    assert "Received" not in everything
    assert "Letter from" not in everything
    assert "Caption" not in everything and "Last updated" not in everything


def test_it_turns_the_cvce_note_into_a_footnote_segment(cvce):
    [note] = cvce.footnotes
    assert note.label == "1"
    assert note.text.startswith("This telegram of the same date, that has not been reproduced")
    assert note.text.endswith("said nothing about the proposed lifting of the embargo].")


def test_it_removes_the_cvce_marker_and_the_space_before_it(cvce):
    paragraph = cvce.body[2]
    assert "In my telegram Nos 5978–5982, I set out the US goals" in paragraph.text
    assert "⁽¹⁾" not in paragraph.text
    [ref] = paragraph.refs
    assert ref.label == "1"
    assert marked(paragraph, ref).count("Nos 5978–5982[1], I set out") == 1


# CVCE variants


def test_it_reads_an_unbroken_cvce_url():
    record = parse_record(CVCE.replace("murville _washington", "murville_washington"))
    assert record.witness["source_url"] == CVCE_URL


def test_it_rejoins_a_cvce_url_broken_across_lines():
    record = parse_record(CVCE.replace("murville _washington", "murville\n_washington"))
    assert record.witness["source_url"] == CVCE_URL


def test_a_cvce_record_without_last_updated_has_no_last_updated_but_all_else():
    record = parse_record(CVCE.replace("Last updated: 06/07/2016\n", ""))
    assert "last_updated" not in record.witness
    assert record.witness["source_url"] == CVCE_URL
    assert len(record.body) == 4
    assert record.warnings == []


def test_a_last_updated_that_is_no_date_is_left_out_with_a_warning():
    record = parse_record(CVCE.replace("06/07/2016", "31/02/2016"))
    assert "last_updated" not in record.witness
    assert "31/02/2016" in record.warnings[0]


def test_it_reads_the_same_cvce_record_from_crlf_bytes_with_a_bom(cvce):
    data = codecs.BOM_UTF8 + CVCE.replace("\n", "\r\n").encode()
    assert parse_record(data) == cvce


def test_it_reads_the_same_cvce_record_from_utf16(cvce):
    assert parse_record(CVCE.encode("utf-16")) == cvce


def test_it_reads_a_dispatch_time_from_the_dateline_but_not_the_time_of_receipt():
    record = parse_record(
        CVCE.replace("26 October 1962. (Received", "26 October 1962, 8 p.m. (Received")
    )
    assert record.document["time"] == datetime.time(20, 0)
    assert record.document["received_note"] == "Received: 27 October. 2.20 a.m."


def test_it_takes_a_plain_superscript_marker_as_the_cvce_marker():
    record = parse_record(CVCE.replace("5982 ⁽¹⁾,", "5982¹,"))
    [ref] = record.body[2].refs
    assert "Nos 5978–5982[1], I set out" in marked(record.body[2], ref)


def test_it_takes_a_parenthesised_number_as_the_cvce_marker():
    record = parse_record(CVCE.replace("5982 ⁽¹⁾,", "5982 (1),"))
    assert "Nos 5978–5982, I set out" in record.body[2].text
    assert [r.label for r in record.body[2].refs] == ["1"]


def test_it_warns_when_the_title_and_the_dateline_disagree_on_the_date():
    record = parse_record(CVCE.replace("> Washington, 26 October", "> Washington, 25 October"))
    assert record.document["date"] == datetime.date(1962, 10, 25)
    assert "1962-10-26" in record.warnings[0]


def test_it_drops_cvce_page_furniture_inside_the_text_and_rejoins_the_cut_paragraph():
    cut = "continued to be built at a faster rate."
    paged = CVCE.replace(
        "continued to be built",
        "continued to be\n\nwww.cvce.eu\n\n2/3\n\n"
        "Letter from Hervé Alphand to Maurice Couve de Murville (Washington, 26 October 1962)"
        "\n\nbuilt",
    )
    record = parse_record(paged)
    assert cut in record.body[1].text
    assert len(record.body) == 4


# The Wilson Center record, field by field


def test_the_wilson_record_is_a_wilson_record_with_no_warnings(wilson):
    assert wilson.format == "wilson"
    assert wilson.warnings == []


def test_it_reads_the_wilson_document_fields(wilson):
    document = wilson.document
    title = "M. Couve de Murville to French Diplomatic Posts, Circular Telegram No. 96"
    assert document["title"] == title
    assert document["date"] == datetime.date(1962, 11, 10)
    assert document["author"] == "M. Couve de Murville"
    assert document["recipient"] == "French Diplomatic Posts"
    assert document["reference_numbers"] == "Circular Telegram No. 96"
    assert document["classification"] == "Very Secret"
    assert document["summary"] == WILSON_SUMMARY
    assert "place" not in document and "time" not in document


def test_it_reads_the_printed_source_of_the_wilson_record(wilson):
    assert wilson.document["source_series"] == "Documents Diplomatiques Français"
    assert wilson.document["source_volume"] == "1962, Tome II (1er Juillet-31 Décembre)"
    assert wilson.document["source_publication"] == "Paris: Imprimerie Nationale, 1999"
    assert wilson.document["source_pages"] == "399-403"


def test_it_reads_the_wilson_witness_fields(wilson):
    witness = wilson.witness
    assert witness["citation"] == (
        '"M. Couve de Murville to French Diplomatic Posts, Circular Telegram No. 96", '
        "November 10, 1962, Wilson Center Digital Archive, Documents Diplomatiques Français, "
        "1962, Tome II (1er Juillet-31 Décembre), (Paris: Imprimerie Nationale, 1999), "
        "pp. 399-403."
    )
    assert witness["translator"] == "Garret J. Martin"
    assert witness["source_url"] == "https://digitalarchive.umd.edu/document/115420"
    assert witness["publisher"] == "Wilson Center Digital Archive"
    assert witness["credits"] == WILSON_CREDITS
    assert witness["original_language"] == "French"
    assert witness["language"] == "en"
    assert witness["role"] == "translation"
    assert witness["title_as_published"] == wilson.document["title"]


def test_the_wilson_heading_line_with_a_marker_stays_as_a_heading(wilson):
    first = wilson.segments[0]
    assert first.kind == "heading"
    assert first.text == "Circular Telegram number 96"
    assert [(r.label, r.offset) for r in first.refs] == [("1", len("Circular Telegram number 96"))]


def test_the_other_wilson_heading_lines_leave_the_body(wilson):
    everything = texts(wilson)
    assert "Very Secret" not in everything
    assert not any(t.startswith("10 November 1962") for t in everything)
    assert wilson.segments[1].text.startswith("You will find below some remarks")


def test_it_makes_wilson_section_headings_into_heading_segments(wilson):
    assert texts(wilson, "heading") == [
        "Circular Telegram number 96",
        "I. Origins and meaning of the Crisis",
        "II. The Unfolding of the Crisis",
        "III. Consequences",
    ]


def test_it_reads_the_seven_wilson_footnotes_in_order(wilson):
    assert [n.label for n in wilson.footnotes] == ["1", "2", "3", "4", "5", "6", "7"]
    assert wilson.footnotes[2].text.startswith("Reference to the trade proposed by Khrushchev")
    assert wilson.footnotes[6].text.endswith("in Paris on 13-15th December.")


def test_each_wilson_footnote_is_called_by_exactly_one_marker(wilson):
    calls = [ref.label for segment in wilson.body for ref in segment.refs]
    assert sorted(calls) == ["1", "2", "3", "4", "5", "6", "7"]


def test_it_removes_the_wilson_markers_from_the_text_and_records_where_they_stood(wilson):
    assert not any(re.search(r"\[\d+\]", text) for text in texts(wilson))
    where = {ref.label: marked(s, ref) for s in wilson.body for ref in s.refs}
    assert "in the spring of 1962.[2]" in where["2"]
    assert "the unexplainable Turkish episode[3], did Moscow try" in where["3"]
    assert "provides an interesting detail on this point.[4]" in where["4"]
    assert "they spoke moderately on Berlin.[5] In India" in where["5"]
    assert "between M. Kennedy and M. Khrushchev[6], they mentioned" in where["6"]
    assert "during the meetings in Paris in mid-December.[7]" in where["7"]


def test_it_keeps_editorial_brackets_that_are_not_markers(wilson):
    assert any("M. [Valerian] Zorin [Soviet permanent representative" in t for t in texts(wilson))
    assert any("the fifteen [NATO] members" in t for t in texts(wilson))


def test_it_rejoins_the_wilson_footnote_split_by_a_page_break(wilson):
    note = wilson.footnotes[0].text
    assert "Yaoundé, and to the French permanent representative to NATO. It was also sent" in note
    assert note.endswith("Warsaw, Vienna, Washington.")
    assert "\n" not in note
    assert len(wilson.footnotes) == 7


def test_it_strips_markdown_from_the_wilson_text(wilson):
    everything = "\n".join(texts(wilson)) + wilson.document["title"]
    assert "**" not in everything
    assert "###" not in everything
    assert "  " not in everything


def test_it_strips_emphasis_from_the_wilson_citation(wilson):
    italic = WILSON.replace(
        "Documents Diplomatiques Français, 1962", "*Documents Diplomatiques Français*, 1962"
    )
    record = parse_record(italic)
    assert record.witness["citation"] == wilson.witness["citation"]
    assert record.document["source_series"] == "Documents Diplomatiques Français"


def test_a_wilson_record_without_the_split_footnote_reads_the_same(wilson):
    joined = WILSON.replace("French permanent\n\nrepresentative", "French permanent representative")
    assert parse_record(joined).segments == wilson.segments


def test_a_wilson_record_without_summary_or_credits_has_neither(wilson):
    variant = WILSON.replace(f"**Credits:**\n\n{WILSON_CREDITS}\n\n", "").replace(
        f"**Summary:**\n\n{WILSON_SUMMARY}\n\n", ""
    )
    record = parse_record(variant)
    assert "summary" not in record.document
    assert "credits" not in record.witness
    assert record.witness["translator"] == "Garret J. Martin"
    assert record.segments == wilson.segments


def test_a_wilson_heading_line_without_a_marker_leaves_the_body():
    record = parse_record(
        WILSON.replace("Circular Telegram number 96[1]", "Circular Telegram number 96")
    )
    assert record.segments[0].text.startswith("You will find below")
    assert "Footnote 1 is never called in the text." in record.warnings


def test_a_wilson_marker_without_a_footnote_is_a_warning_not_an_error():
    record = parse_record(
        WILSON.replace("of the Crisis\n\nEveryone admits", "of the Crisis[8]\n\nEveryone admits")
    )
    assert any("marker 8" in w and "has no footnote" in w for w in record.warnings)


def test_it_reports_ten_markers_without_notes_and_then_how_many_more():
    record = parse_record("The bases[1] were built[2] fast. " * 12 + "\n\n[1] The only note.")
    missing = [w for w in record.warnings if "has no footnote" in w]
    assert len(missing) == 10
    assert "… and 2 more like these." in record.warnings


def test_a_wilson_transcript_in_the_original_language_is_the_original():
    record = parse_record(WILSON.replace("Translation - English", "Transcript - French"))
    assert record.witness["language"] == "fr"
    assert record.witness["role"] == "original"


def test_a_bold_label_inside_the_wilson_text_is_not_a_field(wilson):
    variant = WILSON.replace("**Contents:**\n\nTranslation - English\n\n", "").replace(
        "Some observations can be made already.", "**Note:** Some observations can be made."
    )
    record = parse_record(variant)
    assert record.witness["language"] == "en"  # guessed, with no Contents to say it
    assert len(record.segments) == len(wilson.segments)
    assert "Note: Some observations can be made." in texts(record, "paragraph")
    assert record.warnings == []


def test_an_unknown_wilson_field_is_reported_not_imported():
    variant = WILSON.replace("**Contents:**", "**Record ID:**\n\n115420\n\n**Contents:**")
    record = parse_record(variant)
    assert "The field “Record Id” was not imported." in record.warnings
    assert record.segments[1].text.startswith("You will find below")


# Plain text and Markdown


def test_it_reads_a_french_original_in_plain_text():
    record = parse_record(FRENCH)
    assert record.format == "text"
    assert record.witness["language"] == "fr"
    title = "Télégramme de M. Alphand à M. Couve de Murville (Washington, 26 octobre 1962)"
    assert record.document["title"] == title
    assert record.witness["title_as_published"] == title
    assert record.document["author"] == "M. Alphand"
    assert record.document["recipient"] == "M. Couve de Murville"
    assert record.document["reference_numbers"] == "T. nos 5983 à 5985"
    assert record.document["classification"] == "Priorité, Secret, Diffusion restreinte"
    assert record.document["date"] == datetime.date(1962, 10, 26)
    assert record.document["place"] == "Washington"
    assert record.document["received_note"] == "Reçu : le 27, 2 h 20."
    assert "time" not in record.document


def test_the_french_original_keeps_its_title_as_a_heading_and_its_paragraphs():
    record = parse_record(FRENCH)
    assert [s.kind for s in record.segments] == ["heading"] + ["paragraph"] * 4 + ["footnote"]
    assert record.body[1].text.startswith("À l'issue de la réunion du 22 octobre")
    assert record.body[4].text == "(Collection des télégrammes.)"
    assert "Dans mes télégrammes nos 5978 à 5982, j'ai indiqué" in record.body[3].text
    assert record.footnotes[0].label == "1"
    assert record.warnings == []


def test_it_reads_a_french_original_in_cp1252_with_crlf_line_ends():
    record = parse_record(FRENCH.replace("\n", "\r\n").encode("cp1252"), "original.txt")
    assert record.segments == parse_record(FRENCH).segments
    assert "Windows-1252" in record.warnings[0]


def test_it_reads_a_french_original_in_latin1():
    record = parse_record(FRENCH.encode("latin-1"))
    assert record.body[1].text.startswith("À l'issue de la réunion")


def test_it_guesses_english_and_takes_the_first_markdown_heading_as_title():
    record = parse_record("# The Cuban crisis\n\nThe ships of the Soviet Union turned back.\n")
    assert record.witness["language"] == "en"
    assert record.document["title"] == "The Cuban crisis"
    assert [s.kind for s in record.segments] == ["heading", "paragraph"]


@pytest.mark.parametrize(
    "title",
    ["A Return to Normal", "Note de synthèse à l'attention du ministre (Paris, 2 novembre 1962)"],
)
def test_a_plain_title_with_to_or_a_is_not_read_as_author_and_recipient(title):
    record = parse_record(f"{title}\n\nThe text of the note follows here, in a paragraph.")
    assert record.document["title"] == title
    assert "author" not in record.document and "recipient" not in record.document


def test_a_plain_title_from_someone_to_someone_names_both():
    title = "Letter from the Ambassador to the Minister (Washington, 26 October 1962)"
    record = parse_record(f"{title}\n\nThe text of the letter follows here, in a paragraph.")
    assert record.document["author"] == "the Ambassador"
    assert record.document["recipient"] == "the Minister"
    assert record.document["place"] == "Washington"


def test_it_warns_when_it_cannot_tell_the_language():
    record = parse_record("Kuba\n\nKrise im Oktober, Raketen, Blockade, Verhandlungen.")
    assert "language" not in record.witness
    assert "Could not tell the language" in record.warnings[0]


def test_a_first_line_ending_like_a_sentence_is_not_a_title():
    record = parse_record("The ships turned back.\n\nThe crisis was over for the moment.")
    assert "title" not in record.document
    assert [s.kind for s in record.segments] == ["paragraph", "paragraph"]


def test_it_reads_markdown_footnotes_wherever_they_stand():
    text = (
        "A note here[^a] and another there[^2].\n\n"
        "[^a]: The first note.\n[^2]: The second note,\n    continued.\n\n"
        "More text after the notes, with **bold**, _emphasis_ and a snake_case_word."
    )
    record = parse_record(text)
    assert texts(record, "paragraph") == [
        "A note here and another there.",
        "More text after the notes, with bold, emphasis and a snake_case_word.",
    ]
    assert [(n.label, n.text) for n in record.footnotes] == [
        ("a", "The first note."),
        ("2", "The second note, continued."),
    ]
    assert [(r.label, r.offset) for r in record.body[0].refs] == [("a", 11), ("2", 29)]


def test_it_reads_superscript_markers_with_numbered_notes():
    text = "The base¹ was built in a week². It was large.\n\n1. First note.\n\n2. Second note."
    record = parse_record(text)
    assert texts(record, "paragraph") == ["The base was built in a week. It was large."]
    assert [n.label for n in record.footnotes] == ["1", "2"]
    assert [r.label for r in record.body[0].refs] == ["1", "2"]
    assert record.warnings == []


def test_a_numbered_list_at_the_end_is_not_taken_for_notes_when_nothing_calls_them():
    text = "The measures were these.\n\n1. A blockade.\n\n2. An inspection."
    record = parse_record(text)
    assert record.footnotes == []
    assert texts(record) == ["The measures were these.", "1. A blockade.", "2. An inspection."]


def test_numbered_items_inside_the_text_are_not_markers():
    text = "The measures: (1) a suspension, (2) an embargo (1).\n\n(1) The note."
    record = parse_record(text)
    assert record.body[0].text == "The measures: (1) a suspension, (2) an embargo."
    [ref] = record.body[0].refs
    assert marked(record.body[0], ref).endswith("an embargo[1].")


def test_units_with_superscripts_are_not_markers():
    record = parse_record("The hangar covers 400 m² of ground in all, near the port.")
    assert record.body[0].text == "The hangar covers 400 m² of ground in all, near the port."
    assert record.body[0].refs == []


def test_a_paragraph_cut_by_a_blank_line_mid_sentence_is_rejoined():
    record = parse_record("The ambassadors met in the\n\noffice of the Secretary of State.")
    assert texts(record) == ["The ambassadors met in the office of the Secretary of State."]


def test_a_long_double_spaced_text_is_rejoined_in_linear_time(monkeypatch):
    # Every line its own block, each continuing the sentence: this once took minutes, when
    # each block was checked against, and joined to, the whole paragraph grown so far. Not
    # timed (shared machines are noisy): the checks must only ever see one block's text.
    text = (
        "The ambassadors met in the\n\n"
        + "office of the secretary who asked them to stay and\n\n" * 6000
    )
    seen: list[int] = []
    for module, name in ((body, "continues"), (blocks, "ends_in_hyphenated_word")):
        check = getattr(module, name)
        monkeypatch.setattr(
            module,
            name,
            lambda *texts, check=check: seen.append(max(map(len, texts))) or check(*texts),
        )
    record = parse_record(text)
    assert len(seen) >= 6000 and max(seen) < 100
    assert len(record.segments) == 1
    assert record.segments[0].text.startswith("The ambassadors met in the office of the secretary")


def test_a_note_paragraph_that_starts_a_new_sentence_stays_in_its_note():
    record = parse_record("Text with a note[1].\n\n[1] First part.\n\nSecond part.\n\n[2] Other.")
    assert record.footnotes[0].text == "First part.\nSecond part."


def test_it_reads_setext_headings_and_hard_line_breaks_in_headings():
    record = parse_record("Part one  \nof two\n======\n\nThe text of the part is here.")
    assert record.segments[0].kind == "heading"
    assert record.segments[0].text == "Part one\nof two"


def test_hard_line_breaks_in_paragraphs_become_spaces():
    record = parse_record("The telegram was sent  \nto all the posts\\\nby courier.")
    assert texts(record) == ["The telegram was sent to all the posts by courier."]


def test_it_keeps_a_hyphenated_word_cut_at_a_line_end_whole():
    record = parse_record("The anti-\naircraft defences were still not responding.")
    assert texts(record) == ["The anti-aircraft defences were still not responding."]


# Markers and printed sources, directly


@pytest.mark.parametrize(
    ("text", "clean", "offsets"),
    [
        ("Nos 5978–5982 ⁽¹⁾, I set out", "Nos 5978–5982, I set out", [13]),
        ("in 1962.[2] Then", "in 1962. Then", [8]),
        ("a word ¹ and more", "a word and more", [6]),
        ("a word ¹next", "a word next", [7]),
        ("¹ At the start", "At the start", [0]),
        ("two notes¹² here", "two notes here", [9]),
    ],
)
def test_it_removes_markers_and_records_their_offsets(text, clean, offsets):
    result, refs = extract_markers(text, allow_paren=True)
    assert result == clean
    assert [r.offset for r in refs] == offsets


def test_markers_opening_a_text_leave_no_space_behind():
    text, refs = extract_markers("¹ ²Text here", allow_paren=False)
    assert text == "Text here"
    assert [(r.label, r.offset) for r in refs] == [("1", 0), ("2", 0)]


def test_two_superscript_digits_are_one_label():
    assert [r.label for r in extract_markers("notes¹² here", allow_paren=False)[1]] == ["12"]


def test_parenthesised_numbers_are_markers_only_when_the_text_has_notes():
    assert extract_markers("crisis (1).", allow_paren=False) == ("crisis (1).", [])


def test_it_reads_a_printed_source_without_a_volume():
    fields = parse_printed_source("Foreign Relations. Washington: GPO, 1996. pp. 10-12.")
    assert fields == {
        "source_series": "Foreign Relations",
        "source_publication": "Washington: GPO, 1996",
        "source_pages": "10-12",
    }
