"""Books and records unlike the seeds, on small texts written for each convention: notes where
books put them, chapter headings, Gutenberg's plain-text habits, numbered paragraphs, and a
preview summary that makes a wrong parse plain."""

from editions.importers import parse_record
from editions.importers.summary import long_segment_warnings, summarize


def kinds_and_texts(record):
    return [(s.kind, s.label, s.text) for s in record.segments]


def calls(record):
    """(label, text of the note it calls or None) for every marker, in text order."""
    return [(r.label, r.note.text if r.note else None) for s in record.body for r in s.refs]


# A Gutenberg-style book: chapters numbered in roman, notes after their paragraph and
# numbered afresh in each chapter, lines wrapped, "--" dialogue, _italics_, guillemets.
BOOK = """\
I

Le 24 mai 1863, mon oncle, le professeur Lidenbrock, revint
précipitamment vers sa petite maison de la _König-strasse_.

«Bon, me dis-je, le dîner coûtera deux marks[1].

  [1] Environ 2 fr. 75 c.

--Déjà! s'écria la bonne Marthe.

II

Nous prîmes la route des fjörds[1] du nord.

  [1] Golfes étroits des pays
  scandinaves.

Le voyage dura trois jours.

III

Rien ne vint troubler la marche de la caravane.
"""


def test_a_book_s_notes_follow_their_paragraphs_and_swallow_nothing():
    record = parse_record(BOOK)
    assert kinds_and_texts(record) == [
        ("heading", "", "I"),
        (
            "paragraph",
            "",
            "Le 24 mai 1863, mon oncle, le professeur Lidenbrock, revint précipitamment vers "
            "sa petite maison de la _König-strasse_.",
        ),
        ("paragraph", "", "«Bon, me dis-je, le dîner coûtera deux marks."),
        ("paragraph", "", "--Déjà! s'écria la bonne Marthe."),
        ("heading", "", "II"),
        ("paragraph", "", "Nous prîmes la route des fjörds du nord."),
        ("paragraph", "", "Le voyage dura trois jours."),
        ("heading", "", "III"),
        ("paragraph", "", "Rien ne vint troubler la marche de la caravane."),
        ("footnote", "1", "Environ 2 fr. 75 c."),
        ("footnote", "1", "Golfes étroits des pays scandinaves."),
    ]
    assert calls(record) == [
        ("1", "Environ 2 fr. 75 c."),
        ("1", "Golfes étroits des pays scandinaves."),
    ]
    assert record.warnings == []  # labels that repeat chapter by chapter are not a problem


def test_a_note_is_one_block_even_when_it_is_the_last_one_of_the_book():
    text = (
        "CHAPTER I.\n\nThe clouds[1] were low.\n\n[1] Rounded clouds.\n\n"
        "We walked on.\n\nThe sea was calm.\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "CHAPTER I."),
        ("paragraph", "The clouds were low."),
        ("paragraph", "We walked on."),
        ("paragraph", "The sea was calm."),
        ("footnote", "Rounded clouds."),
    ]


def test_a_call_links_to_the_nearest_definition_after_it_in_its_chapter():
    text = (
        "CHAPTER 1\n\nA first call[1].\n\nA second call[1].\n\n[1] The second note.\n\n"
        "CHAPTER 2\n\nA call without a note here[1].\n\nMore text.\n\n"
        "CHAPTER 3\n\nText.\n\n[1] A note nothing calls in its chapter.\n"
    )
    record = parse_record(text)
    assert calls(record) == [
        ("1", "The second note."),
        ("1", "The second note."),
        ("1", None),
    ]
    assert "The marker 1 in “A call without a note here.…” has no footnote." in record.warnings
    assert "Footnote 1 is never called in the text." in record.warnings
    assert "A call without a note here." in [s.text for s in record.body]


def test_an_indented_numbered_note_answers_the_call_before_it():
    text = (
        "XII\n\nIl ne présente aucun caractère qui modifie l'angle facial[1]. Mesurez.\n\n"
        "  1.  L'angle facial est formé par deux plans,\n  l'un vertical.\n\n"
        "Personne ne souriait.\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.label, s.text) for s in record.footnotes] == [
        ("footnote", "1", "L'angle facial est formé par deux plans, l'un vertical.")
    ]
    assert calls(record) == [("1", "L'angle facial est formé par deux plans, l'un vertical.")]


def test_numbered_paragraphs_stay_paragraphs_with_their_numbers():
    text = (
        "The instruments were these:\n\n1. A thermometer of Eigel.\n\n2. A manometer.\n\n"
        "3. A chronometer, set at the meridian of Hamburg[1].\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.text) for s in record.segments] == [
        ("paragraph", "The instruments were these:"),
        ("paragraph", "1. A thermometer of Eigel."),
        ("paragraph", "2. A manometer."),
        ("paragraph", "3. A chronometer, set at the meridian of Hamburg."),
    ]
    assert calls(record) == [("1", None)]


# A Wilson Center record that the archive publishes without its notes: numbered paragraphs,
# and calls left dangling.
WILSON_WITHOUT_NOTES = """\
**October 30, 1962**

**Telegram from the French Embassy in Havana**

**Citation:**

"Telegram from the French Embassy in Havana," October 30, 1962, History and Public Policy
Program Digital Archive. Translated by Garret J. Martin. https://digitalarchive.wilsoncenter.org/document/123

**Summary:**

The ambassador reports on the mood in Havana.

**Original Language:**

French

**Contents:**

Translation - English

1. The city is calm.[1] The population seems to await the outcome of the talks.

2. The militia have left the streets[2]; the newspapers speak of victory.

3. No foreign ship has entered the port since Sunday.
"""


def test_a_wilson_record_without_notes_keeps_every_numbered_paragraph_as_text():
    record = parse_record(WILSON_WITHOUT_NOTES)
    assert record.format == "wilson"
    assert [(s.kind, s.label, s.text) for s in record.segments] == [
        (
            "paragraph",
            "",
            "1. The city is calm. The population seems to await the outcome of the talks.",
        ),
        ("paragraph", "", "2. The militia have left the streets; the newspapers speak of victory."),
        ("paragraph", "", "3. No foreign ship has entered the port since Sunday."),
    ]
    assert calls(record) == [("1", None), ("2", None)]
    assert any("The marker 1" in w for w in record.warnings)
    assert any("The marker 2" in w for w in record.warnings)


def test_numbered_notes_after_a_notes_heading_are_notes():
    text = "The city is calm[1]. The port is shut[2].\n\nNotes\n\n1. On 30 October.\n\n2. Since Sunday."
    record = parse_record(text)
    assert [(s.kind, s.label, s.text) for s in record.segments] == [
        ("paragraph", "", "The city is calm. The port is shut."),
        ("footnote", "1", "On 30 October."),
        ("footnote", "2", "Since Sunday."),
    ]
    assert calls(record) == [("1", "On 30 October."), ("2", "Since Sunday.")]


def test_parenthesised_and_superscript_calls_find_their_inline_notes():
    text = (
        "CHAPTER ONE\n\nThe base⁽¹⁾ was large.\n\n⁽¹⁾ At San Cristóbal.\n\n"
        "(1) a blockade was the first measure.\n\n"
        "The ships turned back (2).\n\n(2) On 24 October.\n\nThe crisis went on.\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "CHAPTER ONE"),
        ("paragraph", "The base was large."),
        ("paragraph", "(1) a blockade was the first measure."),
        ("paragraph", "The ships turned back."),
        ("paragraph", "The crisis went on."),
        ("footnote", "At San Cristóbal."),
        ("footnote", "On 24 October."),
    ]
    assert calls(record) == [("1", "At San Cristóbal."), ("2", "On 24 October.")]


def test_chapter_headings_take_their_title_lines():
    text = (
        "CHAPTER 1\n\nMY UNCLE MAKES A GREAT DISCOVERY\n\nLooking back, I am scarcely able "
        "to believe it.\n\nChapter IV.\n\nFirst Lessons in Climbing\n\nAt Altona we took "
        "the train.\n\nCHAPITRE PREMIER\n\nLe 24 mai 1863, un dimanche.\n\n"
        "CHAPTER XII. THE NAME\n\nIt was late.\n\n# Part Two\n\nA new part.\n"
    )
    record = parse_record(text)
    assert [s.text for s in record.segments if s.kind == "heading"] == [
        "CHAPTER 1\nMY UNCLE MAKES A GREAT DISCOVERY",
        "Chapter IV.\nFirst Lessons in Climbing",
        "CHAPITRE PREMIER",
        "CHAPTER XII. THE NAME",
        "Part Two",
    ]
    assert [s.text for s in record.segments if s.kind == "paragraph"] == [
        "Looking back, I am scarcely able to believe it.",
        "At Altona we took the train.",
        "Le 24 mai 1863, un dimanche.",
        "It was late.",
        "A new part.",
    ]


def test_a_chapter_number_is_not_given_a_sentence_as_its_title():
    record = parse_record("XXIV\n\nYes.\n\n«Eh bien?» dit-il.\n\nI went home.\n")
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "XXIV"),
        ("paragraph", "Yes."),
        ("paragraph", "«Eh bien?» dit-il."),
        ("paragraph", "I went home."),
    ]


GUTENBERG = """\
The Project Gutenberg EBook of A Journey, by Jules Verne

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.

Title: A Journey into the Interior of the Earth

Author: Jules Verne

Translator: Frederick Amadeus Malleson

Language: English

*** START OF THIS PROJECT GUTENBERG EBOOK A JOURNEY ***




Produced by Norm Wolcott.




CHAPTER I.

THE PROFESSOR AND HIS FAMILY

On the 24th of May, 1863, my uncle, Professor Liedenbrock, rushed
into his little house, No. 19 Koenigstrasse--one of the oldest
streets in the oldest portion of the city of Hamburg.

"Well, now," said I to myself, "if that most _impatient_ of men is
hungry, what a disturbance he will make!"

*** END OF THIS PROJECT GUTENBERG EBOOK A JOURNEY ***

Updated editions will replace the previous one--the old editions
will be renamed.

Section 1. General Terms of Use and Redistributing Project Gutenberg-tm
electronic works
"""


def test_a_gutenberg_file_is_read_without_its_header_footer_and_licence():
    record = parse_record(GUTENBERG.encode("latin-1"), "journey.txt")
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "CHAPTER I.\nTHE PROFESSOR AND HIS FAMILY"),
        (
            "paragraph",
            "On the 24th of May, 1863, my uncle, Professor Liedenbrock, rushed into his little "
            "house, No. 19 Koenigstrasse--one of the oldest streets in the oldest portion of "
            "the city of Hamburg.",
        ),
        (
            "paragraph",
            '"Well, now," said I to myself, "if that most _impatient_ of men is hungry, what a '
            'disturbance he will make!"',
        ),
    ]
    assert record.document["title"] == "A Journey into the Interior of the Earth"
    assert record.document["author"] == "Jules Verne"
    assert record.witness["translator"] == "Frederick Amadeus Malleson"
    assert record.witness["language"] == "en"
    assert len(record.notices) == 1
    assert "Project Gutenberg file" in record.notices[0]
    assert "licence" in record.notices[0]


def test_a_markdown_text_still_loses_its_emphasis_marks():
    record = parse_record("# Title\n\nA _word_ and **bold** text here, for the reader.")
    assert record.body[-1].text == "A word and bold text here, for the reader."


def test_the_summary_counts_each_kind_and_each_call():
    summary = summarize(parse_record(BOOK))
    assert (summary.headings, summary.paragraphs, summary.footnotes) == (3, 6, 2)
    assert (summary.calls, summary.linked_calls, summary.unmatched_calls) == (2, 2, 0)
    assert summary.uncalled_notes == 0
    assert summary.outline == ["I", "II", "III"]
    assert summary.longest_kind == "paragraph"
    assert summary.longest_start.startswith("Le 24 mai 1863")


def test_the_outline_puts_a_heading_and_its_title_on_one_line():
    summary = summarize(parse_record("CHAPTER 1\n\nTHE START\n\nIt began.\n"))
    assert summary.outline == ["CHAPTER 1 — THE START"]


def test_a_segment_far_longer_than_the_rest_is_warned_about():
    short = [parse_record(f"Paragraph number {n} of the text.").body[0] for n in range(20)]
    long = parse_record("A note that swallowed the book. " * 300).body[0]
    warnings = long_segment_warnings([*short, long])
    assert len(warnings) == 1
    assert "Segment 21 (paragraph, “A note that swallowed the book. A note t…”)" in warnings[0]
    assert "9599 characters long" in warnings[0]
    assert long_segment_warnings(short) == []


def test_a_cvce_record_keeps_its_paragraphs_and_links_its_note(tmp_path):
    from .conftest import FIXTURES

    record = parse_record((FIXTURES / "cvce-alphand-1962-10-26.txt").read_bytes(), "cvce.txt")
    assert record.format == "cvce"
    assert [(s.kind, s.label, s.text[:40]) for s in record.segments] == [
        ("paragraph", "", "After the 22 October meeting, the Secret"),
        ("paragraph", "", "Mr Rusk stressed that aerial surveillanc"),
        ("paragraph", "", "It is difficult, as yet, to say what wil"),
        ("paragraph", "", "(Collection of telegrams.)"),
        ("footnote", "1", "This telegram of the same date, that has"),
    ]
    call = record.segments[2].refs[0]
    assert record.segments[2].text[: call.offset].endswith("In my telegram Nos 5978–5982")
    assert call.note is record.segments[4]
    assert record.warnings == []


def test_gutenberg_bracketed_footnotes_are_notes_without_their_brackets():
    text = (
        "CHAPTER I.\n\nThe manometer[1] was read at noon.\n\n"
        "[Footnote 1: An instrument to show the density\nof gases [as in a boiler].]\n\n"
        "We went on.\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.label, s.text) for s in record.segments] == [
        ("heading", "", "CHAPTER I."),
        ("paragraph", "", "The manometer was read at noon."),
        ("paragraph", "", "We went on."),
        ("footnote", "1", "An instrument to show the density of gases [as in a boiler]."),
    ]
    assert calls(record) == [("1", "An instrument to show the density of gases [as in a boiler].")]


def test_a_latin1_book_reads_as_its_utf8_twin():
    from_latin1 = parse_record(BOOK.encode("latin-1"), "livre.txt")
    assert kinds_and_texts(from_latin1) == kinds_and_texts(parse_record(BOOK))
    assert "précipitamment" in from_latin1.body[1].text


def test_a_table_of_contents_is_not_taken_for_chapters():
    text = (
        "CONTENTS\n\nCHAPTER I. The Professor\n\nCHAPTER II. A Mystery\n\n"
        "CHAPTER III. The Runes\n\nCHAPTER I.\n\nTHE PROFESSOR\n\nOn the 24th of May.\n\n"
        "CHAPTER II.\n\nA MYSTERY\n\nThe parchment.\n\nCHAPTER III.\n\nTHE RUNES\n\nIt was late.\n"
    )
    record = parse_record(text)
    assert [(s.kind, s.text) for s in record.segments] == [
        ("heading", "CONTENTS"),
        ("paragraph", "CHAPTER I. The Professor"),
        ("paragraph", "CHAPTER II. A Mystery"),
        ("paragraph", "CHAPTER III. The Runes"),
        ("heading", "CHAPTER I.\nTHE PROFESSOR"),
        ("paragraph", "On the 24th of May."),
        ("heading", "CHAPTER II.\nA MYSTERY"),
        ("paragraph", "The parchment."),
        ("heading", "CHAPTER III.\nTHE RUNES"),
        ("paragraph", "It was late."),
    ]


def test_windows_line_ends_and_an_old_gutenberg_header_are_read_alike():
    old = GUTENBERG.replace(
        "*** START OF THIS PROJECT GUTENBERG EBOOK A JOURNEY ***",
        "*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*",
    ).replace("\n", "\r\n")
    record = parse_record(old.encode("cp1252"), "journey.txt")
    assert [s.text for s in record.segments] == [s.text for s in parse_record(GUTENBERG).segments]
    assert record.notices
