"""Comparing two renderings of a paragraph word by word."""

import itertools
import random
import unicodedata

import pytest

from editions import diffing
from editions.diff_html import diff_html
from editions.diffing import DiffOp, similarity, tokenize, word_diff

TELEGRAM = (
    "Mr Rusk stressed that aerial surveillance had shown that Cuban bases continued to be "
    "built at a faster rate. Everywhere else, the situation was calm. We ignore whether the "
    "Soviet military reinforcement will go on; the chargé d'affaires could not say."
)

DEFAULTS = {"ignore_case": False, "ignore_punctuation": False, "ignore_whitespace": True}

OPTION_SETS = [
    dict(zip(("ignore_case", "ignore_punctuation", "ignore_whitespace"), flags, strict=True))
    for flags in itertools.product((False, True), repeat=3)
]


def ops_of(a: str, b: str, **options: bool) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in word_diff(a, b, **options)]


def changes(ops: list[DiffOp]) -> list[tuple[str, str]]:
    return [(op.op, op.text) for op in ops if op.op != "equal"]


def compared_tokens(
    text: str, ignore_case: bool, ignore_punctuation: bool, ignore_whitespace: bool
) -> list[str]:
    """The tokens an equal operation must agree on, under the given options."""
    kept = []
    for token in tokenize(text):
        if token.kind == "space" and ignore_whitespace:
            continue
        if token.kind == "punct" and ignore_punctuation:
            continue
        word = token.text
        if ignore_case and token.kind in ("word", "symbol"):
            word = unicodedata.normalize("NFC", word.casefold())
        kept.append(word)
    return kept


def assert_well_formed(ops: list[DiffOp], a: str, b: str, **options: bool) -> None:
    assert "".join(op.text for op in ops if op.op != "delete") == b
    assert "".join(op.text_in_a for op in ops) == a
    if not any(options.values()):
        assert all(op.a_text is None for op in ops)
        assert "".join(op.text for op in ops if op.op != "insert") == a
    for op in ops:
        assert op.text or op.a_text, op
        if op.op == "equal":
            assert not op.minor
            assert compared_tokens(op.text_in_a, **options) == compared_tokens(op.text, **options)
    for before, after in itertools.pairwise(ops):
        assert (before.op, before.minor) != (after.op, after.minor)
        assert (before.op, after.op) != ("insert", "delete")


# -- Tokens --------------------------------------------------------------------------------


def test_it_cuts_words_whitespace_and_punctuation_apart():
    tokens = tokenize("The chargé d'affaires didn’t say:  «no»\n— ever.")
    assert [t.text for t in tokens] == [
        "The", " ", "chargé", " ", "d'affaires", " ", "didn’t", " ", "say", ":", "  ",
        "«", "no", "»", "\n", "—", " ", "ever", ".",
    ]  # fmt: skip
    assert {t.kind for t in tokens if t.text in ("«", "—", ".", ":")} == {"punct"}
    assert {t.kind for t in tokens if t.text.isspace()} == {"space"}


def test_it_keeps_an_apostrophe_outside_a_word_apart():
    assert [t.text for t in tokenize("the Russians' 'bases'")] == [
        "the", " ", "Russians", "'", " ", "'", "bases", "'",
    ]  # fmt: skip


def test_it_keeps_combining_accents_and_vowel_signs_inside_their_words():
    decomposed = unicodedata.normalize("NFD", "préfet élu")
    assert [t.text for t in tokenize(decomposed)] == [
        unicodedata.normalize("NFD", "préfet"),
        " ",
        unicodedata.normalize("NFD", "élu"),
    ]
    assert [t.text for t in tokenize("हिन्दी भाषा")] == ["हिन्दी", " ", "भाषा"]


def test_it_cuts_chinese_and_japanese_into_characters_and_keeps_emoji_whole():
    assert [t.text for t in tokenize("古巴局势平静。ソ連")] == list("古巴局势平静。ソ連")
    family = "👨\u200d👩\u200d👧"
    tokens = tokenize(f"ok👍🏽{family}🇫")
    assert [t.text for t in tokens] == ["ok", "👍🏽", family, "🇫"]
    assert [t.kind for t in tokens] == ["word", "symbol", "symbol", "symbol"]


def test_tokens_join_back_into_the_text():
    text = "  Посол: «Ситуация спокойная» — 𝔘nd so? 😀\u0301 x"
    assert "".join(t.text for t in tokenize(text)) == text


# -- Diffs ---------------------------------------------------------------------------------


def test_it_finds_no_change_between_two_empty_texts():
    assert word_diff("", "") == []


def test_it_reports_a_whole_text_added_to_or_removed_from_an_empty_one():
    assert word_diff("", "Mr Rusk stressed.") == [DiffOp("insert", "Mr Rusk stressed.")]
    assert word_diff("Mr Rusk stressed.", "") == [DiffOp("delete", "Mr Rusk stressed.")]


def test_it_reports_identical_texts_as_one_equal_operation():
    assert word_diff(TELEGRAM, TELEGRAM) == [DiffOp("equal", TELEGRAM)]


def test_it_reports_a_correction_as_changed_words_not_letters():
    a = "We ignore whether the Soviet military reinforcement"
    b = "We do not know whether the Soviet military reinforcement"
    assert word_diff(a, b) == [
        DiffOp("equal", "We "),
        DiffOp("delete", "ignore"),
        DiffOp("insert", "do not know"),
        DiffOp("equal", " whether the Soviet military reinforcement"),
    ]


def test_it_reports_a_fixed_typo_as_the_whole_word():
    a = TELEGRAM.replace("surveillance", "survelliance")
    assert changes(word_diff(a, TELEGRAM)) == [
        ("delete", "survelliance"),
        ("insert", "surveillance"),
    ]


def test_it_reports_a_rewritten_phrase_as_one_change():
    b = TELEGRAM.replace("at a faster rate", "ever more quickly")
    assert changes(word_diff(TELEGRAM, b)) == [
        ("delete", "at a faster rate"),
        ("insert", "ever more quickly"),
    ]


def test_it_reports_inserted_words_with_one_of_their_spaces():
    a = "Cuban bases continued to be built."
    b = "Cuban bases clearly continued to be built."
    assert ops_of(a, b) == [
        ("equal", "Cuban bases "),
        ("insert", "clearly "),
        ("equal", "continued to be built."),
    ]


def test_it_shows_punctuation_changes_as_minor():
    a = "Everywhere else, the situation was calm."
    b = "Everywhere else the situation was calm;"
    ops = word_diff(a, b)
    assert ops == [
        DiffOp("equal", "Everywhere else"),
        DiffOp("delete", ",", minor=True),
        DiffOp("equal", " the situation was calm"),
        DiffOp("delete", ".", minor=True),
        DiffOp("insert", ";", minor=True),
    ]
    assert_well_formed(ops, a, b, **DEFAULTS)


def test_it_hides_punctuation_changes_when_asked():
    a = "Everywhere else, the situation was calm."
    b = "Everywhere else the situation was calm;"
    assert word_diff(a, b, ignore_punctuation=True) == [DiffOp("equal", b, a_text=a)]


def test_it_keeps_a_word_change_next_to_ignored_punctuation():
    a = "Everywhere else, the situation was calm."
    b = "Everywhere else; the situation was quiet!"
    ops = word_diff(a, b, ignore_punctuation=True)
    assert changes(ops) == [("delete", "calm"), ("insert", "quiet")]
    assert ops[0] == DiffOp("equal", "Everywhere else; the situation was ", a_text=a[:35])


def test_it_does_not_count_a_word_touching_changed_punctuation_as_changed():
    a = "Mr Rusk, however, stressed it."
    b = "Mr Rusk however stressed it!"
    assert changes(word_diff(a, b)) == [
        ("delete", ","),
        ("delete", ","),
        ("delete", "."),
        ("insert", "!"),
    ]


def test_it_ignores_whitespace_changes_by_default():
    a = "Everywhere else,  the situation\nwas calm. "
    b = "Everywhere else, the situation was calm."
    assert word_diff(a, b) == [DiffOp("equal", b, a_text=a)]


def test_it_shows_whitespace_changes_as_minor_when_asked():
    a = "the situation\nwas  calm"
    b = "the situation was calm"
    assert word_diff(a, b, ignore_whitespace=False) == [
        DiffOp("equal", "the situation"),
        DiffOp("delete", "\n", minor=True),
        DiffOp("insert", " ", minor=True),
        DiffOp("equal", "was"),
        DiffOp("delete", "  ", minor=True),
        DiffOp("insert", " ", minor=True),
        DiffOp("equal", "calm"),
    ]


def test_it_does_not_take_joined_words_for_a_whitespace_change():
    ops = word_diff("the chargé d'affaires", "the chargéd'affaires", ignore_whitespace=False)
    assert [(op.op, op.minor) for op in ops if op.op != "equal"] == [
        ("delete", False),
        ("insert", False),
    ]


def test_it_reports_a_case_change_unless_asked_to_ignore_case():
    a = "Everywhere else, the Situation was calm. Mr RUSK stressed it."
    b = "Everywhere else, the situation was calm. Mr Rusk stressed it."
    assert changes(word_diff(a, b)) == [
        ("delete", "Situation"),
        ("insert", "situation"),
        ("delete", "RUSK"),
        ("insert", "Rusk"),
    ]
    assert not any(op.minor for op in word_diff(a, b))
    assert word_diff(a, b, ignore_case=True) == [DiffOp("equal", b, a_text=a)]


def test_it_treats_another_unicode_normalization_as_a_minor_change():
    a = unicodedata.normalize("NFD", "le préfet")
    b = unicodedata.normalize("NFC", "le préfet")
    assert word_diff(a, b) == [
        DiffOp("equal", "le "),
        DiffOp("delete", a[3:], minor=True),
        DiffOp("insert", b[3:], minor=True),
    ]
    assert word_diff(a, b, ignore_case=True) == [DiffOp("equal", b, a_text=a)]


def test_it_keeps_ignored_whitespace_only_in_a_in_an_empty_equal_operation():
    ops = word_diff("  ", "")
    assert ops == [DiffOp("equal", "", a_text="  ")]
    assert_well_formed(ops, "  ", "", **DEFAULTS)


@pytest.mark.parametrize(
    ("a", "b", "deleted", "inserted"),
    [
        ("Посол был проинформирован утром.", "Посол был информирован вечером.",
         "проинформирован утром", "информирован вечером"),
        ("Η κατάσταση ήταν ήρεμη παντού.", "Η κατάσταση ήταν τεταμένη παντού.",
         "ήρεμη", "τεταμένη"),
        ("古巴的局势很平静。", "古巴的局势很紧张。", "平静", "紧张"),
        ("La situation était calme.", "La situation était agitée.", "calme", "agitée"),
        ("Reaction: 👍🏽 from 𝔘SA.", "Reaction: 👎 from 𝔘SA.", "👍🏽", "👎"),
    ],
)  # fmt: skip
def test_it_diffs_words_in_any_script(a, b, deleted, inserted):
    ops = word_diff(a, b)
    assert changes(ops) == [("delete", deleted), ("insert", inserted)]
    assert_well_formed(ops, a, b, **DEFAULTS)


def test_it_compares_words_with_combining_accents_whole():
    a = unicodedata.normalize("NFD", "Le préfet était là.")
    b = unicodedata.normalize("NFD", "Le préfet était ici.")
    assert changes(word_diff(a, b)) == [
        ("delete", unicodedata.normalize("NFD", "là")),
        ("insert", "ici"),
    ]


def test_it_ignores_the_case_of_non_latin_words():
    a = "ΠΡΕΣΒΗΣ Посол STRASSE"
    b = "πρεσβης посол straße"
    assert word_diff(a, b, ignore_case=True) == [DiffOp("equal", b, a_text=a)]


def test_it_diffs_a_twenty_thousand_word_paragraph_of_many_distinct_words():
    rng = random.Random(7)
    words = [f"mot{i}" if i % 3 else rng.choice(["le", "la", "de", "et"]) for i in range(20_000)]
    revised = list(words)
    for _ in range(60):
        i = rng.randrange(len(revised))
        revised[i : i + 1] = rng.choice([[], ["nouveau", revised[i]], [revised[i].upper()]])
    a, b = " ".join(words) + ".", " ".join(revised) + "."
    assert len({t.text for t in tokenize(a)}) > 6_400  # more than the BMP private-use area
    ops = word_diff(a, b)
    assert_well_formed(ops, a, b, **DEFAULTS)
    # Each revision stays a small change of its own instead of collapsing into one.
    assert 30 <= len(changes(ops)) <= 2 * 60
    assert max(len(op.text) for op in ops if op.op != "equal") < 40


def test_it_diffs_two_unrelated_long_paragraphs():
    a = " ".join(f"alpha{i}" for i in range(20_000))
    b = " ".join(f"beta{i}" for i in range(20_000))
    assert word_diff(a, b) == [DiffOp("delete", a), DiffOp("insert", b)]


def test_it_says_so_when_there_are_more_distinct_words_than_characters(monkeypatch):
    monkeypatch.setattr(diffing, "_CODE_POINT_RANGES", ((0xE000, 0xE009),))
    assert word_diff("one two three", "one two four")
    with pytest.raises(ValueError, match="too many distinct tokens"):
        word_diff(" ".join(f"w{i}" for i in range(8)), " ".join(f"v{i}" for i in range(8)))


@pytest.mark.slow
def test_it_keeps_its_invariants_on_many_random_revisions():
    rng = random.Random(1962)
    vocabulary = TELEGRAM.split() + ["Посол", "ήρεμη", "平静", "𝔘SA", "😀", "Calm", "CUBAN"]
    punctuation = [",", ".", ";", " —", "!", "'", "«", "»"]
    spaces = [" ", "  ", "\n", "\t", ""]
    for _ in range(150):
        a = TELEGRAM[: rng.randrange(len(TELEGRAM) + 1)]
        pieces = tokenize(a)
        texts = [t.text for t in pieces]
        for _ in range(rng.randrange(8)):
            i = rng.randrange(len(texts) + 1)
            edit = rng.randrange(5)
            if edit == 0:
                texts.insert(i, rng.choice(vocabulary) + " ")
            elif edit == 1 and i < len(texts):
                del texts[i]
            elif edit == 2 and i < len(texts):
                texts[i] = texts[i].swapcase()
            elif edit == 3:
                texts.insert(i, rng.choice(punctuation))
            else:
                texts.insert(i, rng.choice(spaces))
        b = "".join(texts)
        for options in OPTION_SETS:
            assert_well_formed(word_diff(a, b, **options), a, b, **options)
            assert_well_formed(word_diff(b, a, **options), b, a, **options)
            assert 0.0 <= similarity(a, b, **options) <= 1.0
        assert similarity(a, a) == 1.0


def test_an_operation_that_is_no_equal_carries_no_text_of_a():
    with pytest.raises(ValueError):
        DiffOp("delete", "x", a_text="y")
    with pytest.raises(ValueError):
        DiffOp("replace", "x")  # type: ignore[arg-type]


# -- Similarity ----------------------------------------------------------------------------


def test_two_empty_texts_are_identical():
    assert similarity("", "") == 1.0
    assert similarity("  \n", " ") == 1.0


def test_a_text_and_an_empty_one_have_nothing_in_common():
    assert similarity(TELEGRAM, "") == 0.0
    assert similarity("", TELEGRAM) == 0.0


def test_similarity_is_one_minus_the_word_edit_distance_over_the_longer_text():
    assert similarity(TELEGRAM, TELEGRAM) == 1.0
    assert similarity("the situation was calm", "the situation was tense") == 0.75
    assert similarity("the situation was calm", "the situation calm") == 0.75
    assert similarity("one two", "three four") == 0.0


def test_similarity_counts_punctuation_unless_ignored_and_never_whitespace():
    assert similarity("calm , quiet", "calm quiet") == pytest.approx(2 / 3)
    assert similarity("calm , quiet", "calm quiet", ignore_punctuation=True) == 1.0
    assert similarity("calm  quiet\n", "calm quiet", ignore_whitespace=False) == 1.0


def test_hiding_punctuation_only_changes_never_lowers_the_similarity():
    a = "The situation, he said, was calm; the bases were built."
    b = "The situation, he said, was tense: the bases were built!"
    shown = similarity(a, b)
    hidden = similarity(a, b, ignore_punctuation=True)
    assert hidden >= shown
    assert hidden == pytest.approx(1 - 1 / 14)  # one word changed, over all 14 tokens


def test_similarity_ignores_case_when_asked():
    assert similarity("The Situation", "the situation") == 0.0
    assert similarity("The Situation", "the situation", ignore_case=True) == 1.0


# -- HTML ----------------------------------------------------------------------------------


def test_it_renders_both_sides_with_deletions_and_insertions():
    ops = word_diff("We ignore whether", "We do not know whether")
    left, right = diff_html(ops, mode="side")
    assert left == "We <del>ignore</del> whether"
    assert right == "We <ins>do not know</ins> whether"


def test_it_renders_one_inline_text():
    ops = word_diff("We ignore whether", "We do not know whether")
    assert diff_html(ops, mode="inline") == "We <del>ignore</del><ins>do not know</ins> whether"


def test_it_escapes_every_text():
    a = "<script>alert('a')</script> & calm"
    b = "<script>alert('b')</script> & calm"
    left, right = diff_html(word_diff(a, b))
    inline = diff_html(word_diff(a, b), mode="inline")
    for html in (left, right, inline):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html and "&amp; calm" in html
    assert "<del>a</del>" in left and "<ins>b</ins>" in right


def test_it_renders_the_ignored_differences_of_each_side():
    a = "Everywhere else,  the Situation"
    b = "Everywhere else; the situation"
    ops = word_diff(a, b, ignore_case=True, ignore_punctuation=True)
    assert diff_html(ops) == (a, b)
    assert diff_html(ops, mode="inline") == b


def test_it_marks_minor_changes_and_can_hide_them():
    ops = word_diff("the situation was calm.", "the situation is calm;")
    left, right = diff_html(ops)
    assert left == 'the situation <del>was</del> calm<del class="minor">.</del>'
    assert right == 'the situation <ins>is</ins> calm<ins class="minor">;</ins>'
    assert diff_html(ops, hide_minor=True) == (
        "the situation <del>was</del> calm.",
        "the situation <ins>is</ins> calm;",
    )
    assert diff_html(ops, mode="inline", hide_minor=True) == (
        "the situation <del>was</del><ins>is</ins> calm;"
    )


def test_it_renders_an_empty_diff_as_empty_html():
    assert diff_html([]) == ("", "")
    assert diff_html([], mode="inline") == ""


def test_it_refuses_an_unknown_render_mode():
    with pytest.raises(ValueError):
        diff_html([], mode="table")  # type: ignore[call-overload]


def test_a_joiner_before_a_space_does_not_swallow_the_space():
    assert [t.text for t in tokenize("calm\u200d quiet")] == ["calm\u200d", " ", "quiet"]


def test_similarity_of_two_unrelated_long_paragraphs_is_zero():
    a = " ".join(f"alpha{i}" for i in range(20_000))
    b = " ".join(f"beta{i}" for i in range(20_000))
    assert similarity(a, b) == 0.0
