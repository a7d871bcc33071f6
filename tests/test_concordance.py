"""The parallel concordance: lines in context, aligned renderings, counts, sorting, CSV."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
import re2
from django.urls import reverse

from editions import concordance, search
from editions.concordance import PatternError, Query, check_pattern, csv_cell
from editions.counterparts import locate, sentence_beads
from editions.models import (
    Alignment,
    AlignmentRow,
    Document,
    Edition,
    RowStatus,
    Segment,
    Witness,
    WitnessRole,
)

ORIGINAL = [
    "Le président a décidé une quarantaine de Cuba. Les navires soviétiques font demi-tour.",
    "La quarantaine sera levée si les missiles sont retirés.",
    "Khrouchtchev a écrit à Kennedy et au secrétaire d'État.",
]
CVCE = [
    "The President decided on a quarantine of Cuba. The Soviet ships are turning back.",
    "The quarantine will be lifted if the missiles are withdrawn.",
    "Khrushchev wrote to Kennedy and to the Secretary of State.",
]
WILSON = [
    "The President decided on a blockade of Cuba. The Soviet ships are turning back.",
    "The quarantine will end if the missiles are removed.",
    "Khrushchev wrote to Kennedy and to the Secretary of State.",
]


def witness(document, slug, language, texts, role=WitnessRole.TRANSLATION, translator=""):
    made = Witness.objects.create(
        document=document,
        slug=slug,
        label=slug.upper(),
        language=language,
        role=role,
        translator=translator,
    )
    Segment.objects.bulk_create(
        Segment(witness=made, sid=f"p{n}", position=n, text=text)
        for n, text in enumerate(texts, start=1)
    )
    return made


def align_one_to_one(source, target):
    alignment = Alignment.objects.create(document=source.document, source=source, target=target)
    count = source.segments.count()
    AlignmentRow.objects.bulk_create(
        AlignmentRow(
            alignment=alignment,
            position=n,
            source_sids=[f"p{n + 1}"],
            target_sids=[f"p{n + 1}"],
            status=RowStatus.CONFIRMED,
        )
        for n in range(count)
    )


@pytest.fixture
def crisis(edition):
    """A French original and two English translations, aligned paragraph by paragraph."""
    document = Document.objects.create(
        edition=edition, slug="quarantine", title="Quarantine", date=datetime.date(1962, 10, 23)
    )
    original = witness(document, "fr", "fr", ORIGINAL, role=WitnessRole.ORIGINAL)
    cvce = witness(document, "cvce", "en", CVCE, translator="CVCE")
    wilson = witness(document, "wilson", "en", WILSON, translator="Wilson Center")
    align_one_to_one(original, cvce)
    align_one_to_one(original, wilson)
    return document


def build(text, language="fr", mode="stemmed", sort="date", **filters):
    editions = list(Edition.objects.values_list("pk", flat=True))
    return concordance.build(
        Query(text, language, mode, sort), search.Filters(edition_ids=editions, **filters)
    )


def renderings(line) -> dict[str, str]:
    return {r.witness.translator: r.words for r in line.renderings}


def test_each_line_has_the_hit_in_context_and_the_renderings_beside_it(crisis):
    result = build("quarantaine")
    assert result.complete and result.total == 2
    first, second = result.lines
    assert (first.left, first.keyword, first.right) == (
        "Le président a décidé une ",
        "quarantaine",
        " de Cuba. Les navires soviétiques font demi-tour.",
    )
    assert first.url == f"{crisis.get_absolute_url()}?at=fr-p1#fr-p1"
    assert renderings(first) == {"CVCE": "quarantine", "Wilson Center": "blockade"}
    assert renderings(second) == {"CVCE": "quarantine", "Wilson Center": "quarantine"}
    blockade = first.renderings[1]
    assert blockade.located.approximate  # found between the anchors, not by its spelling
    assert blockade.sentence == "The President decided on a blockade of Cuba."
    assert search.unmarked(blockade.marked_sentence) == blockade.sentence
    assert f"{search.MARK_START}blockade{search.MARK_END}" in blockade.marked_sentence
    assert blockade.anchor == "wilson-p1"


def test_renderings_are_counted_per_translator(crisis):
    counts = {name: (found, unlocated) for name, found, unlocated in build("quarantaine").counts}
    assert counts == {
        "CVCE": ([("quarantine", 2, False)], 0),
        "Wilson Center": ([("blockade", 1, True), ("quarantine", 1, False)], 0),
    }


def test_stemmed_exact_and_regex_modes(crisis):
    assert build("quarantaines").total == 2  # stemmed: the plural finds the singular
    assert build("quarantaines", mode="exact").total == 0
    assert build("QUARANTAINE", mode="exact").total == 2  # case does not count
    assert build("navires soviétiques", mode="exact").lines[0].keyword == "navires soviétiques"
    assert build("navires sovietiques", mode="exact").total == 0  # accents count
    regex = build(r"quarantaines?\s+\w+", mode="regex")
    assert [line.keyword for line in regex.lines] == ["quarantaine de", "quarantaine sera"]


def test_a_phrase_is_found_as_a_phrase(crisis):
    assert [line.keyword for line in build("navires soviétiques").lines] == ["navires soviétiques"]
    assert build("soviétiques navires").total == 0
    assert build("bateaux soviétiques").total == 0
    # A stop word inside the phrase (which PostgreSQL's index drops) still has to be there.
    (line,) = build("secrétaire d'État").lines
    assert line.keyword == "secrétaire d'État"
    assert renderings(line)["CVCE"] == "Secretary"


def test_a_line_in_a_translation_shows_the_original_and_the_other_translation(crisis):
    (line,) = build("blockade", language="en").lines
    assert {r.witness.slug: r.words for r in line.renderings} == {
        "fr": "quarantaine",
        "cvce": "quarantine",  # through the original, as the synopsis aligns them
    }


def test_an_unaligned_witness_is_shown_as_such(crisis):
    witness(crisis, "draft", "en", ["A draft without alignment: quarantine."])
    line = build("quarantine", language="en").lines[0]
    assert line.witness.slug == "cvce"
    aligned = {r.witness.slug: r.aligned for r in line.renderings}
    assert aligned == {"fr": True, "wilson": True, "draft": False}


@pytest.mark.parametrize(
    "pattern",
    [
        "quarantaine",
        r"quarant(aine|e)s?",
        r"\bblocus\b",
        r"n[ée]gociations?",
        r"\w+ion\b",
        r"quarantaine\s+\w+",
        r".{0,40}blocus",
        r"Khrushchev's?",
        # Shapes a backtracking engine takes exponential or cubic time on: RE2 does not.
        r"(a+)+$",
        r"(e|é)+(e|é)+$",
        r"\w*\w*\w*x",
        r".*quarantaine",
    ],
)
def test_patterns_are_compiled_by_re2_ignoring_case(pattern):
    compiled = check_pattern(pattern)
    assert isinstance(compiled, re2._Regexp)
    assert not compiled.options.case_sensitive


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(?<=a)b", "Look-behind"),
        (r"(?<!a)b", "Look-behind"),
        (r"a(?=x)", "Look-ahead"),
        (r"a(?!x)", "Look-ahead"),
        (r"(a)\1", "Back-references"),
        (r"(?P<x>a)(?P=x)", "Back-references"),
        ("q" * 101, "101 characters"),
        (r"a{2000}", "not a valid regular expression: invalid repetition size"),
        (r"a*", "empty string"),
        (r"^", "empty string"),
        (r"[unclosed", "not a valid regular expression: missing ]"),
        ("", "Type a word"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_the_reason(pattern, reason):
    with pytest.raises(PatternError, match=re.escape(reason)):
        check_pattern(pattern)


def test_an_escaped_backslash_before_a_digit_is_no_back_reference():
    assert check_pattern(r"a\\1").search("A\\1")


def test_no_pattern_guard_on_python_s_private_parser_is_left():
    package = Path(concordance.__file__).parent
    sources = [path.read_text(encoding="utf-8") for path in package.glob("*.py")]
    assert len(sources) > 1  # the package's modules, not only its __init__
    assert not any("re._parser" in source or "sre_parse" in source for source in sources)


def test_required_literals_narrow_the_reading():
    assert concordance.required_literals(check_pattern(r"quarant(aine|e)s?")) == ["quarant"]
    assert concordance.required_literals(check_pattern(r"\w+ion\b")) == ["ion"]
    assert concordance.required_literals(check_pattern(r"(blocus|quarantaine)")) == []
    assert concordance.required_literals(check_pattern(r"blocus|quarantaine")) == []
    assert concordance.required_literals(check_pattern(r"missiles?")) == ["missile"]
    assert concordance.required_literals(check_pattern(r"[abc]uba\.cas")) == ["cas", "uba"]
    assert concordance.required_literals(check_pattern(r"Kenn+edy")) == ["Kenn", "edy"]
    assert concordance.required_literals(check_pattern(r"\d{2}ans")) == ["ans"]
    assert concordance.required_literals(check_pattern(r"x{100}")) == []


RUN = "e" * 2500


@pytest.mark.parametrize("pattern", [r"(e|é)+(e|é)+$", r"[eé]+[eé]+$", r"\w+\w+$"])
def test_a_pattern_that_backtracks_in_python_finds_a_long_run_with_re2(crisis, pattern):
    witness(crisis, "long", "fr", [f"Un cri : {RUN}"], role=WitnessRole.ORIGINAL)
    found = build(pattern, mode="regex")
    assert [line.keyword for line in found.lines] == [RUN]
    assert found.complete and not found.stopped


def test_a_pattern_without_a_literal_reads_no_more_than_its_budget(crisis, settings, monkeypatch):
    settings.CONCORDANCE_MAX_SCANNED = 7
    witness(crisis, "many", "fr", [f"Phrase {n} sans le mot." for n in range(30)])
    read = []
    scan = search.scan_candidates

    def counted(*args, **kwargs):
        chunk = scan(*args, **kwargs)
        read.extend(chunk)
        return chunk

    monkeypatch.setattr(search, "scan_candidates", counted)
    found = build(r"\bb\w{0,3}ab\b", mode="regex")  # no literal: every segment is a candidate
    assert not found.complete
    assert "stopped after 7 segments" in found.stopped
    assert len(read) <= concordance.SCAN_CHUNK  # one chunk fetched, 8 of it looked at


def test_the_time_budget_stops_the_reading_with_a_message(crisis, settings):
    settings.CONCORDANCE_TIME_BUDGET = 0  # spent before the first segment
    found = build(r"\w+", mode="regex")
    assert not found.complete and "stopped after 0 seconds" in found.stopped
    assert found.lines == []


def test_context_is_cut_at_word_boundaries():
    document = Document(title="T", slug="t")
    text = "word " * 30 + "KEY" + " other" * 30
    start = text.index("KEY")
    line = concordance.Line(document, Witness(slug="w"), "p1", text, start, start + 3)
    assert line.keyword == "KEY"
    assert line.left.startswith("…") and line.left.endswith("word ")
    assert line.right.startswith(" other") and line.right.endswith("…")
    assert len(line.left) <= concordance.CONTEXT + 1
    assert len(line.right) <= concordance.CONTEXT + 1


def test_lines_sort_by_left_or_right_context_date_and_translator():
    def line(left, right, day, translator):
        document = Document(title=f"D{day}", slug=f"d{day}", date=datetime.date(1962, 10, day))
        text = f"{left} KEY {right}"
        start = len(left) + 1
        return concordance.Line(
            document, Witness(slug="w", translator=translator), "p1", text, start, start + 3
        )

    lines = [
        line("the first", "zebra", 3, "Martin"),
        line("a second", "apple", 1, "CVCE"),
        line("one third", "mango", 2, "Beaumont"),
    ]
    order = {
        how: [ln.document.date.day for ln in concordance.sort_lines(lines, how)]
        for how in concordance.SORTS
    }
    assert order == {
        "date": [1, 2, 3],
        "left": [3, 1, 2],  # by the word just before: first, second, third
        "right": [1, 2, 3],  # apple, mango, zebra
        "translator": [2, 1, 3],  # Beaumont, CVCE, Martin
    }


def test_csv_cells_cannot_be_formulas():
    assert [csv_cell(v) for v in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", None]] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "",
    ]


def test_the_csv_export_has_one_row_per_rendering_and_no_formula(client_as, crisis):
    Segment.objects.filter(witness__slug="fr", sid="p3").update(
        text='=HYPERLINK("http://example.com") quarantaine -1'
    )
    response = client_as("reader").get(
        reverse("editions:concordance_csv"), {"q": "quarantaine", "language": "fr"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header == concordance.CSV_HEADER
    assert len(body) == 3 * 2  # three lines, two renderings each
    by_column = [dict(zip(header, row, strict=True)) for row in body]
    assert {row["rendering"] for row in by_column} == {"quarantine", "blockade", ""}
    formula = [row for row in by_column if "HYPERLINK" in row["left"]]
    assert formula and all(row["left"].startswith("'=") for row in formula)
    assert not any(cell[:1] in "=+-@" for row in body for cell in row if cell)
    assert by_column[0]["link"].startswith("http://testserver/e/test-edition/d/quarantine/?at=fr-p")


def test_the_concordance_page_shows_lines_renderings_and_counts(client_as, crisis):
    page = client_as("reader").get(
        reverse("editions:concordance"), {"q": "quarantaine", "language": "fr"}
    )
    assert page.status_code == 200
    assert "2 lines" in page.text
    assert "Renderings per translator" in page.text
    assert "“blockade”" in page.text and "≈" in page.text
    assert "<mark>blockade</mark>" in page.text
    assert f'href="{crisis.get_absolute_url()}?at=wilson-p1#wilson-p1"' in page.text
    assert 'class="kwic-key"' in page.text
    fragment = client_as("reader").get(
        reverse("editions:concordance"),
        {"q": "quarantaine", "language": "fr", "sort": "right"},
        HTTP_HX_REQUEST="true",
    )
    assert fragment.text.lstrip().startswith('<section id="concordance-results"')


def test_a_refused_pattern_is_explained_on_the_page(client_as, crisis):
    page = client_as("reader").get(
        reverse("editions:concordance"), {"q": "(?<=a)b", "language": "fr", "mode": "regex"}
    )
    assert page.status_code == 400
    assert "Look-behind such as (?&lt;=…) or (?&lt;!…) is not supported." in page.text
    export = client_as("reader").get(
        reverse("editions:concordance_csv"), {"q": "(?<=a)b", "language": "fr", "mode": "regex"}
    )
    assert export.status_code == 400


def test_an_outsider_sees_no_line_of_a_private_edition(client_as, crisis):
    page = client_as("outsider").get(
        reverse("editions:concordance"), {"q": "quarantaine", "language": "fr"}
    )
    assert "quarantaine de Cuba" not in page.text
    assert "blockade" not in page.text
    export = client_as("outsider").get(
        reverse("editions:concordance_csv"), {"q": "quarantaine", "language": "fr"}
    )
    assert b"Cuba" not in export.content


def test_the_counterpart_of_a_cognate_is_found_by_its_spelling():
    french, english = ORIGINAL[0], CVCE[0]
    start = french.index("navires")
    found = locate(french, (start, start + len("navires soviétiques")), "fr", english, "en")
    assert found.sentence == (english.index("The Soviet"), len(english))
    start = french.index("président")
    found = locate(french, (start, start + len("président")), "fr", english, "en")
    assert english[found.words[0] : found.words[1]] == "President"
    assert found.how == "cognate"


def test_a_counterpart_in_a_later_sentence_is_located_at_its_place():
    french = "Il pleut depuis trois jours. Le président arrive demain à Washington."
    english = "It has been raining for three days. The President arrives tomorrow in Washington."
    start = french.index("président")
    found = locate(french, (start, start + len("président")), "fr", english, "en")
    assert english[found.sentence[0] : found.sentence[1]].startswith("The President")
    assert english[found.words[0] : found.words[1]] == "President"
    start = french.index("demain")
    found = locate(french, (start, start + len("demain")), "fr", english, "en")
    assert english[found.words[0] : found.words[1]] == "tomorrow"
    assert found.approximate


def test_nothing_is_made_up_when_neither_spelling_nor_anchors_tell():
    french = "Il pleuvait sans cesse depuis des jours et des jours."
    english = "It had been raining for days on end, relentlessly and wearily."
    found = locate(french, (3, 11), "fr", english, "en")
    assert found.words is None


def test_sentences_are_aligned_inside_a_row():
    beads = sentence_beads(
        ["Le président parle.", "Rusk répond longuement au sujet de Cuba et des bases."],
        ["The President speaks.", "Rusk answers.", "At length, about Cuba and the bases."],
        "fr",
        "en",
    )
    assert beads == [(range(0, 1), range(0, 1)), (range(1, 2), range(1, 3))]
