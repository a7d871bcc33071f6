"""TMX through translate-toolkit, both ways: its po2tmx files come in the right way round,
and it reads our memories as French → English pairs, one pair a unit."""

import subprocess
import sys

import pytest
from lxml import etree
from translate.storage.tmx import tmxfile

from editions.exporters import export_document
from editions.importers.exchange import parse_exchange

from .conftest import add_text
from .export_fixtures import align_by_hand_with_a_lone_heading

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A translator's catalogue of the French original: msgid French, msgstr English.
CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: en\\n"

msgid "M. Rusk l'a souligné."
msgstr "Mr Rusk stressed it."

msgid "Dans mon télégramme, j'ai exposé les objectifs américains."
msgstr "In my telegram, I set out the American objectives."
"""
FRENCH = (
    "# Lettre de M. Alphand\n\n"
    "M. Rusk l'a souligné.\n\n"
    "Dans mon télégramme nos 5978-5982, j'ai exposé les objectifs américains.\n"
)


def _po2tmx(tmp_path, *options) -> bytes:
    source = tmp_path / "alphand.po"
    source.write_text(CATALOGUE)
    out = tmp_path / "alphand.tmx"
    subprocess.run(
        [sys.executable, "-m", "translate.convert.po2tmx", *options, str(source), str(out)],
        check=True,
        capture_output=True,
    )
    return out.read_bytes()


def test_a_po2tmx_memory_of_a_french_original_comes_in_french_first(tmp_path):
    data = _po2tmx(tmp_path, "--source-language=fr", "-l", "EN")
    assert b'srclang="en"' in data.split(b"<body>")[0]  # its header says "en" regardless
    imported = parse_exchange(data, "alphand.tmx")
    roles = {w.values["language"]: w.values["role"] for w in imported.witnesses}
    assert roles == {"fr": "original", "en": "translation"}
    french = next(w for w in imported.witnesses if w.values["language"] == "fr")
    assert french.segments[0].text == "M. Rusk l'a souligné."
    assert imported.alignments[0].source == french.slug


def test_language_codes_come_in_as_bcp_47_writes_them(tmp_path):
    data = _po2tmx(tmp_path, "--source-language=FR", "-l", "en-gb")
    languages = sorted(w.values["language"] for w in parse_exchange(data, "a.tmx").witnesses)
    assert languages == ["en-GB", "fr"]


@pytest.fixture
def aligned_with_a_lone_heading(document):
    """A French original whose heading the English lacks, aligned by hand."""
    align_by_hand_with_a_lone_heading(document, FRENCH, "FR")
    return document


def test_translate_toolkit_reads_our_memory_as_french_english_pairs(aligned_with_a_lone_heading):
    data = export_document(aligned_with_a_lone_heading, "tmx", "http://example.org/").data
    memory = tmxfile(data, sourcelanguage="fr", targetlanguage="en")
    pairs = [(unit.source, unit.target) for unit in memory.units]
    assert pairs == [
        ("M. Rusk l'a souligné.", "Mr Rusk stressed it."),
        (
            "Dans mon télégramme nos 5978-5982, j'ai exposé les objectifs américains.",
            "In my telegram Nos 5978–5982, I set out.",
        ),
    ]


def test_no_unit_holds_one_language_and_codes_are_bcp_47(aligned_with_a_lone_heading):
    data = export_document(aligned_with_a_lone_heading, "tmx", "http://example.org/").data
    root = etree.fromstring(data)
    units = root.findall("body/tu")
    assert units and all(len(tu.findall("tuv")) == 2 for tu in units)
    assert {tuv.get(XML_LANG) for tuv in root.iter("tuv")} == {"fr", "en"}  # given as "FR"
    assert "Lettre de M. Alphand" not in data.decode()


def test_our_memory_round_trips_through_translate_toolkit(aligned_with_a_lone_heading, tmp_path):
    """Read and written again by translate-toolkit, the memory still imports French first."""
    data = export_document(aligned_with_a_lone_heading, "tmx", "http://example.org/").data
    memory = tmxfile(data, sourcelanguage="fr", targetlanguage="en")
    rewritten = tmxfile(sourcelanguage="fr", targetlanguage="en")
    for unit in memory.units:
        rewritten.addtranslation(unit.source, "fr", unit.target, "en")
    imported = parse_exchange(bytes(rewritten), "rewritten.tmx")
    roles = {w.values["language"]: w.values["role"] for w in imported.witnesses}
    assert roles == {"fr": "original", "en": "translation"}
    assert [len(w.segments) for w in imported.witnesses] == [2, 2]


def test_a_text_saved_with_an_upper_case_code_is_stored_in_bcp_47_case(document):
    witness = add_text(document, FRENCH, "FR-ca", "translation")
    assert witness.language == "fr-CA"
