"""Comparing witnesses: pairing rows, word diffs per row, shared anchors, the variation map."""

import re

import pytest
from django.urls import reverse

from editions import comparison
from editions.comparison import (
    CompareOptions,
    PairedRow,
    diff_rows,
    diff_texts,
    document_similarity,
    highlight_anchors,
    pair_by_sid,
    pair_rows,
    variation_map,
)
from editions.models import Alignment, AlignmentRow, Document, Segment, Witness, WitnessRole
from editions.revisions import create_revision_witness, save_text
from editions.synopsis import build_synopsis

FRENCH = [
    "Nous ignorons si le renforcement militaire soviétique à Cuba répondait à une demande cubaine.",
    "M. Rusk a souligné la gravité de la situation le 22 octobre 1962.",
    "Partout ailleurs, la situation était calme.",
]
MARTIN = [
    "We ignore whether the Soviet military reinforcement to Cuba was in response to a Cuban demand.",
    "Mr Rusk stressed how serious the situation was on 22 October 1962.",
    "Everywhere else, the situation was calm.",
]
CVCE = [
    "We do not know whether the Soviet military build-up in Cuba answered a Cuban request.",
    "Mr Rusk underlined the gravity of the situation",
    "on 22 October 1962.",
    "Everywhere else, the situation was calm.",
]
OTHER = [
    "Nobody knows if the Soviet build-up in Cuba came at Cuba's request.",
    "Mr Rusk stressed the gravity of the situation on 22 October 1962.",
    "Elsewhere all was calm.",
]


def witness(document, slug, language, role, texts, **fields) -> Witness:
    made = Witness.objects.create(
        document=document, slug=slug, label=slug, language=language, role=role, **fields
    )
    for n, text in enumerate(texts):
        Segment.objects.create(witness=made, sid=f"p{n + 1}", position=n, text=text)
    return made


def align(original: Witness, translation: Witness, rows: list[tuple[list[str], list[str]]]):
    alignment = Alignment.objects.create(
        document=original.document, source=original, target=translation
    )
    AlignmentRow.objects.bulk_create(
        AlignmentRow(alignment=alignment, position=n, source_sids=s, target_sids=t)
        for n, (s, t) in enumerate(rows)
    )
    return alignment


ONE_TO_ONE = [(["p1"], ["p1"]), (["p2"], ["p2"]), (["p3"], ["p3"])]
CVCE_ROWS = [(["p1"], ["p1"]), (["p2"], ["p2", "p3"]), (["p3"], ["p4"])]


@pytest.fixture
def crisis(edition):
    """A French original with three English translations, each aligned with it."""
    document = Document.objects.create(edition=edition, slug="circular-96", title="Circular 96")
    french = witness(document, "fr", "fr", WitnessRole.ORIGINAL, FRENCH)
    martin = witness(document, "martin", "en", WitnessRole.TRANSLATION, MARTIN)
    cvce = witness(document, "cvce", "en", WitnessRole.TRANSLATION, CVCE)
    other = witness(document, "other", "en", WitnessRole.TRANSLATION, OTHER)
    align(french, martin, ONE_TO_ONE)
    align(french, cvce, CVCE_ROWS)
    align(french, other, ONE_TO_ONE)
    return document, french, martin, cvce, other


def texts(rows: list[PairedRow]) -> list[tuple[str, str]]:
    return [(row.a_text, row.b_text) for row in rows]


# -- Pairing rows --------------------------------------------------------------------------


def segments(*sids: str) -> list[Segment]:
    return [Segment(sid=sid, text=sid) for sid in sids]


def test_rows_pair_by_sid_and_added_segments_follow_their_predecessor():
    rows = pair_by_sid(segments("p1", "p2", "p3"), segments("p4", "p1", "p3", "p5"))
    assert texts(rows) == [("", "p4"), ("p1", "p1"), ("p2", ""), ("p3", "p3"), ("", "p5")]


def test_two_translations_pair_through_their_alignments_with_the_original(crisis):
    document, french, martin, cvce, other = crisis
    pairing = pair_rows(martin, cvce)
    assert pairing.method == "alignment"
    assert texts(pairing.rows) == [
        (MARTIN[0], CVCE[0]),
        (MARTIN[1], f"{CVCE[1]}\n{CVCE[2]}"),  # one French paragraph, two CVCE ones
        (MARTIN[2], CVCE[3]),
    ]


def test_a_translation_pairs_with_the_original_through_its_alignment(crisis):
    document, french, martin, cvce, other = crisis
    pairing = pair_rows(french, cvce)
    assert [(len(r.a), len(r.b)) for r in pairing.rows] == [(1, 1), (1, 2), (1, 1)]


def test_a_revision_pairs_with_its_parent_by_sid_even_when_not_aligned(crisis):
    document, french, martin, cvce, other = crisis
    revision = create_revision_witness(martin)
    pairing = pair_rows(martin, revision)
    assert pairing.method == "sid"
    assert [(r.a[0].sid, r.b[0].sid) for r in pairing.rows] == [
        ("p1", "p1"),
        ("p2", "p2"),
        ("p3", "p3"),
    ]
    # Two revisions of one text also share their sids.
    assert pair_rows(revision, create_revision_witness(martin)).method == "sid"


def test_unaligned_texts_cannot_be_paired(crisis):
    document, french, martin, cvce, other = crisis
    stray = witness(document, "stray", "en", WitnessRole.TRANSLATION, ["Alone."])
    pairing = pair_rows(martin, stray)
    assert pairing.rows == [] and "not aligned" in pairing.problem


# -- Word diffs per row --------------------------------------------------------------------

DEFAULT = CompareOptions()


def test_the_false_friend_correction_reads_as_one_changed_phrase():
    diff = diff_texts(MARTIN[0], MARTIN[0].replace("ignore", "do not know"), DEFAULT)
    assert "<del>ignore</del>" in diff.left and "<ins>do not know</ins>" in diff.right
    assert "<del>ignore</del><ins>do not know</ins>" in diff.inline
    assert 0.8 < diff.similarity < 1


def test_identical_texts_have_no_change_and_similarity_one():
    diff = diff_texts(MARTIN[1], MARTIN[1], DEFAULT)
    assert diff.similarity == 1.0
    assert "<del" not in diff.inline and "<ins" not in diff.inline
    assert diff.left == diff.right == diff.inline == MARTIN[1]


def test_an_empty_segment_against_a_text_is_all_inserted():
    diff = diff_texts("", MARTIN[2], DEFAULT)
    assert diff.left == "" and diff.right == f"<ins>{MARTIN[2]}</ins>"
    assert diff.similarity == 0.0
    assert diff_texts("", "", DEFAULT).similarity == 1.0


def test_punctuation_only_changes_are_minor_and_can_be_hidden():
    a, b = "Everywhere else, the situation was calm.", "Everywhere else the situation was calm;"
    shown = diff_texts(a, b, DEFAULT)
    assert '<del class="minor">,</del>' in shown.left
    assert shown.similarity < 1
    hidden = diff_texts(a, b, CompareOptions(show_punctuation=False))
    assert "<del" not in hidden.left and "<ins" not in hidden.right
    assert hidden.similarity == 1.0


def test_whitespace_changes_are_hidden_unless_asked_for_and_case_can_be_ignored():
    a, b = "Mr  Rusk stressed it.", "mr Rusk stressed it."
    assert "<del" not in diff_texts(a, b, CompareOptions(ignore_case=True)).left
    with_space = diff_texts(a, b, CompareOptions(show_whitespace=True, ignore_case=True))
    assert '<del class="minor">  </del>' in with_space.left
    assert "<del>Mr</del>" in diff_texts(a, b, DEFAULT).left


def test_texts_are_escaped_in_diffs():
    diff = diff_texts("<b>bold</b>", "<script>x</script>", DEFAULT)
    assert "<script" not in diff.inline and "<b>" not in diff.inline
    assert "script&gt;x&lt;/script" in diff.right


def test_diffs_are_cached_per_pair_of_segment_versions(crisis, monkeypatch):
    document, french, martin, cvce, other = crisis
    rows = pair_rows(martin, other).rows
    first = diff_rows(rows, DEFAULT)
    computed = []
    monkeypatch.setattr(comparison, "word_diff", lambda *a, **k: computed.append(a) or [])
    assert diff_rows(pair_rows(martin, other).rows, DEFAULT) == first
    assert computed == []
    # Other options, or a new version of a segment, are other keys.
    diff_rows(rows, CompareOptions(ignore_case=True))
    assert len(computed) == 3
    paragraph = other.segments.get(sid="p3")
    save_text(paragraph, 1, "Elsewhere, all was calm.", None)
    diff_rows(pair_rows(martin, other).rows, DEFAULT)
    assert len(computed) == 4


def test_the_whole_text_similarity_weighs_rows_by_length():
    short, long_ = (
        diff_texts("a b", "a c", DEFAULT),
        diff_texts("a b c d e f", "a b c d e f", DEFAULT),
    )
    assert (short.similarity, long_.similarity) == (0.5, 1.0)
    assert document_similarity([short, long_]) == pytest.approx((0.5 * 2 + 6) / 8)
    assert document_similarity([]) == 1.0


# -- Two languages: shared anchors ---------------------------------------------------------


def test_numbers_names_and_cognates_are_marked_in_both_languages():
    found = highlight_anchors(FRENCH[1], "fr", MARTIN[1], "en")
    for word, kind in [
        ("22", "number"),
        ("1962", "number"),
        ("octobre", "number"),
        ("Rusk", "name"),
    ]:
        assert f'<mark class="anchor anchor-{kind}">{word}</mark>' in found.left
    assert '<mark class="anchor anchor-number">October</mark>' in found.right
    cognates = highlight_anchors(FRENCH[0], "fr", MARTIN[0], "en")
    assert '<mark class="anchor anchor-cognate">militaire</mark>' in cognates.left
    assert '<mark class="anchor anchor-cognate">military</mark>' in cognates.right
    assert "<mark" not in highlight_anchors("Il pleut.", "fr", "It rains.", "en").left


def test_short_words_spelled_alike_in_two_languages_are_not_marked_as_cognates():
    found = highlight_anchors(
        "Dans nos télégrammes, le 22 octobre.", "fr", "In telegrams Nos. 5978, on 22 October.", "en"
    )
    assert '<mark class="anchor anchor-cognate">nos</mark>' not in found.left
    assert ">Nos</mark>" not in found.right
    assert '<mark class="anchor anchor-cognate">télégrammes</mark>' in found.left


def test_anchor_highlighting_escapes_the_text():
    found = highlight_anchors("<i>1962</i>", "fr", "<script>1962</script>", "en")
    assert "<script>" not in found.right and "&lt;script&gt;" in found.right
    assert '<mark class="anchor anchor-number">1962</mark>' in found.right


# -- The variation map ---------------------------------------------------------------------


def synopsis_of(document: Document):
    witnesses = sorted(document.witnesses.all(), key=lambda w: (w.role != "original", w.pk))
    return build_synopsis(witnesses, list(document.alignments.all()))


def test_the_variation_map_measures_how_far_the_translations_of_each_row_differ(crisis):
    document, french, martin, cvce, other = crisis
    found = variation_map(synopsis_of(document))
    assert found.language == "en"
    assert [w.slug for w in found.witnesses] == ["martin", "cvce", "other"]
    third = found.rows[2]
    # Martin and the CVCE agree on row 3; the third translation differs from both.
    d_mc = 0.0
    d_mo = 1 - comparison.similarity(MARTIN[2], OTHER[2], ignore_case=True, ignore_punctuation=True)
    assert third.variation == pytest.approx((d_mc + d_mo + d_mo) / 3)
    assert third.distances[0] is None  # the original is not measured
    assert third.distances[1] == pytest.approx(d_mo / 2)  # Martin: mean of 0 and d_mo
    assert third.distances[3] == pytest.approx(d_mo)
    assert found.most_divergent[0][0] in (1, 3)
    assert [n for n, _v in found.most_divergent] == sorted(
        (n for n in (1, 2, 3)), key=lambda n: -found.rows[n - 1].variation
    )


def test_the_variation_map_needs_two_translations_in_one_language(crisis):
    document, french, martin, cvce, other = crisis
    Alignment.objects.filter(target__in=[cvce, other]).delete()
    assert variation_map(synopsis_of(document)) is None
    assert variation_map(None) is None


def test_rows_where_fewer_than_two_translations_have_text_have_no_variation(crisis):
    document, french, martin, cvce, other = crisis
    Alignment.objects.filter(target=other).delete()
    Alignment.objects.filter(target=cvce).delete()
    align(french, cvce, [(["p1"], ["p1", "p2", "p3"]), (["p2"], []), (["p3"], ["p4"])])
    found = variation_map(synopsis_of(document))
    assert found.rows[1].variation is None
    assert found.rows[1].distances == [None, None, None]
    assert found.rows[2].variation == 0.0


# -- The comparison page -------------------------------------------------------------------

HTMX = {"HX-Request": "true"}


def rows_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="drow-(\d+)"', page)]


def similarity_of_row(page: str, number: int) -> str:
    row = page.split(f'id="drow-{number}"', 1)[1]
    return re.search(r'class="similarity"[^>]*>([^<]+)<', row).group(1)


def compare(client, document, **params):
    url = reverse("editions:compare", args=[document.edition.slug, document.slug])
    headers = HTMX if params.pop("htmx", False) else {}
    return client.get(url, params, headers=headers)


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("owner", 200),
        ("editor", 200),
        ("annotator", 200),
        ("reader", 200),
        ("outsider", 404),
        (None, 302),
    ],
)
def test_everyone_who_reads_the_edition_reads_the_comparison(client_as, crisis, user, status):
    document = crisis[0]
    assert compare(client_as(user), document, a="martin", b="cvce").status_code == status


def test_two_translations_side_by_side_with_a_similarity_per_row_and_overall(client_as, crisis):
    document = crisis[0]
    response = compare(client_as("reader"), document, a="martin", b="cvce")
    page = response.text
    assert "<del>ignore</del>" in page and "<ins>do not know</ins>" in page
    assert page.count('class="similarity"') == 3
    # The page is rendered once and cached: its figures are checked against the diff's own.
    martin, cvce = crisis[2], crisis[3]
    overall = document_similarity(diff_rows(pair_rows(martin, cvce).rows, CompareOptions()))
    assert 0 < overall < 1
    assert f"Similarity of the whole text: {overall:.2f}" in page
    assert "rows paired through the alignments with the original" in page


def test_the_inline_mode_interleaves_deletions_and_insertions(client_as, crisis):
    document = crisis[0]
    page = compare(client_as("reader"), document, a="martin", b="cvce", mode="inline").text
    assert "<del>ignore</del><ins>do not know</ins>" in page
    assert 'class="diff-rows mode-inline"' in page


def test_each_toggle_is_a_link_that_htmx_follows_to_swap_the_diff(client_as, crisis):
    document = crisis[0]
    client = client_as("reader")
    page = compare(client, document, a="martin", b="cvce").text
    toggle = "?a=martin&amp;b=cvce&amp;mode=side&amp;punct=1&amp;space=0&amp;case=1&amp;changed=0"
    assert f'href="{toggle}" hx-get="{toggle}" hx-target="#diff"' in page
    fragment = compare(client, document, a="martin", b="cvce", case="1", htmx=True)
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="diff"')
    assert "Case: <strong>ignored</strong>" in fragment.text


def test_only_the_rows_that_differ_can_be_shown_keeping_their_numbers(client_as, crisis):
    document = crisis[0]
    response = compare(client_as("reader"), document, a="martin", b="cvce", changed="1")
    assert rows_shown(response.text) == [1, 2]
    assert "2 of 3 rows differ" in response.text
    assert 'id="drow-3"' not in response.text


def test_similarity_figures_are_rounded_down_so_a_difference_never_reads_as_identical():
    from editions.views.comparison import similarity_figure

    assert (similarity_figure(0.9996), similarity_figure(1.0), similarity_figure(0.876)) == (
        "0.99",
        "1.00",
        "0.87",
    )


def test_hiding_punctuation_changes_hides_them(client_as, crisis):
    document, french, martin, cvce, other = crisis
    paragraph = cvce.segments.get(sid="p4")
    save_text(paragraph, 1, "Everywhere else the situation was calm;", None)
    shown = compare(client_as("reader"), document, a="martin", b="cvce")
    assert '<del class="minor">,</del>' in shown.text
    hidden = compare(client_as("reader"), document, a="martin", b="cvce", punct="0")
    assert 'class="minor"' not in hidden.text
    assert similarity_of_row(hidden.text, 3) == "1.00"


def test_a_revision_is_compared_with_its_parent_by_default(client_as, crisis):
    document, french, martin, cvce, other = crisis
    revision = create_revision_witness(martin)
    save_text(revision.segments.get(sid="p1"), 1, MARTIN[0].replace("ignore", "do not know"), None)
    response = compare(client_as("reader"), document)
    assert f'<option value="{martin.slug}" selected>' in response.text  # a
    assert f'<option value="{revision.slug}" selected>' in response.text  # b
    assert "1 of 3 rows differ" in response.text
    assert "paragraphs paired by their stable ids" in response.text
    assert "<ins>do not know</ins>" in response.text


def test_edge_cases_empty_identical_and_punctuation_only(client_as, crisis):
    document, french, martin, cvce, other = crisis
    revision = create_revision_witness(martin)
    Segment.objects.filter(witness=revision, sid="p1").update(text="")
    Segment.objects.filter(witness=revision, sid="p3").update(text=MARTIN[2].replace(",", ";"))
    client = client_as("reader")
    side = compare(client, document, a="martin", b=revision.slug).text
    inline = compare(client, document, a="martin", b=revision.slug, mode="inline").text
    assert similarity_of_row(side, 1) == "0.00" and f"<del>{MARTIN[0]}</del>" in side
    assert similarity_of_row(side, 2) == "1.00" and 'class="drow same"' in side
    assert '<del class="minor">,</del><ins class="minor">;</ins>' in inline


def test_an_original_and_a_translation_show_shared_anchors_and_no_word_diff(client_as, crisis):
    document = crisis[0]
    page = compare(client_as("reader"), document, a="fr", b="martin").text
    assert '<mark class="anchor anchor-number">1962</mark>' in page
    assert '<mark class="anchor anchor-name">Rusk</mark>' in page
    assert "<del>" not in page and "<ins>" not in page
    assert "there is no word diff" in page


def test_problems_are_explained(client_as, crisis):
    document, french, martin, cvce, other = crisis
    client = client_as("reader")
    assert "Choose two different texts." in compare(client, document, a="martin", b="martin").text
    witness(document, "stray", "en", WitnessRole.TRANSLATION, ["Alone."])
    assert "not aligned" in compare(client, document, a="martin", b="stray").text
    assert compare(client, document, a="martin", b="nobody").status_code == 404


def test_the_document_page_shows_the_variation_map(client_as, crisis):
    document = crisis[0]
    page = client_as("reader").get(document.get_absolute_url()).text
    assert page.count('class="vmark v-') == 3  # a mark in the gutter of each row
    assert 'class="plain variation-bands"' in page  # the whole document's map, a navigator
    assert "mean distance between its translations (en) taken two by two" in page
    assert page.count('class="distance v-') == 9  # three rows, three translations each


def test_the_document_page_explains_why_there_is_no_variation_map(client_as, crisis):
    document, french, martin, cvce, other = crisis
    Alignment.objects.filter(target__in=[cvce, other]).delete()
    page = client_as("reader").get(document.get_absolute_url()).text
    assert "variation-bands" not in page and "vmark" not in page
    assert "needs at least two translations in one language" in page
