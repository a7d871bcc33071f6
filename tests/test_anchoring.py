"""Annotations keep their place while the segment they annotate is being revised."""

import random

import pytest

from editions.anchoring import anchor, build_selectors

TELEGRAM = (
    "Mr Rusk stressed that aerial surveillance had shown that Cuban bases continued to be "
    "built at a faster rate. Everywhere else, the situation was calm. The Secretary of State "
    "added that the Soviet ambassador had been informed of the President's decision that "
    "morning, and that no answer had yet been received from Moscow."
)


def selectors_for(text: str, quote: str, occurrence: int = 0) -> list[dict]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return build_selectors(text, start, start + len(quote))


def anchored_text(text: str, selectors: list[dict]) -> str | None:
    span = anchor(text, selectors)
    return None if span is None else text[span[0] : span[1]]


def quote_of(selectors: list[dict]) -> dict:
    return next(s for s in selectors if s["type"] == "TextQuoteSelector")


def position_of(selectors: list[dict]) -> dict:
    return next(s for s in selectors if s["type"] == "TextPositionSelector")


# -- Building selectors --------------------------------------------------------------------


def test_it_builds_a_quote_with_32_characters_of_context_and_a_position():
    start = TELEGRAM.index("Everywhere else")
    end = start + len("Everywhere else, the situation was calm.")
    quote, position = build_selectors(TELEGRAM, start, end)
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "Everywhere else, the situation was calm.",
        "prefix": "ases continued to be built at a faster rate. "[-32:],
        "suffix": " The Secretary of State added th",
    }
    assert len(quote["prefix"]) == len(quote["suffix"]) == 32
    assert position == {"type": "TextPositionSelector", "start": start, "end": end}


def test_it_shortens_the_context_at_the_edges_of_the_text():
    quote, _ = build_selectors("Mr Rusk stressed", 0, len("Mr Rusk stressed"))
    assert quote["prefix"] == "" and quote["suffix"] == ""


def test_it_keeps_as_much_context_as_asked():
    quote, _ = build_selectors(TELEGRAM, 22, 41, context=5)
    assert (quote["prefix"], quote["exact"], quote["suffix"]) == (
        "that ",
        "aerial surveillance",
        " had ",
    )


@pytest.mark.parametrize(
    ("start", "end"), [(5, 5), (6, 5), (-1, 4), (0, len(TELEGRAM) + 1), (0, 0)]
)
def test_it_refuses_an_empty_reversed_or_out_of_bounds_span(start, end):
    with pytest.raises(ValueError):
        build_selectors(TELEGRAM, start, end)


def test_it_refuses_any_span_in_an_empty_text():
    with pytest.raises(ValueError):
        build_selectors("", 0, 0)


def test_it_counts_offsets_in_code_points_so_accents_and_emoji_count_as_one():
    text = "Le préfet écrit : « 𝔘ne 🇫🇷 affaire grave » à Paris."
    start = text.index("affaire")
    quote, position = build_selectors(text, start, start + len("affaire grave"))
    # "é" twice, "𝔘", and the two regional indicators of the flag: one index each.
    assert position == {"type": "TextPositionSelector", "start": 27, "end": 40}
    assert quote["exact"] == "affaire grave"
    assert quote["prefix"] == text[:27][-32:]


# -- Re-anchoring: exact quotes ------------------------------------------------------------


def test_it_finds_a_quote_in_the_unchanged_text_at_its_position():
    selectors = selectors_for(TELEGRAM, "aerial surveillance had shown")
    position = position_of(selectors)
    assert anchor(TELEGRAM, selectors) == (position["start"], position["end"])


def test_it_follows_a_quote_pushed_along_by_words_inserted_before_it():
    selectors = selectors_for(TELEGRAM, "the situation was calm")
    revised = TELEGRAM.replace("Mr Rusk stressed", "On Monday, Mr Dean Rusk strongly stressed")
    span = anchor(revised, selectors)
    assert span is not None
    assert span[0] == revised.index("the situation was calm")
    assert span[0] > position_of(selectors)["start"]
    assert revised[span[0] : span[1]] == "the situation was calm"


def test_it_follows_a_quote_pulled_back_by_words_deleted_before_it():
    selectors = selectors_for(TELEGRAM, "the Soviet ambassador")
    revised = TELEGRAM.replace("aerial surveillance had shown that ", "")
    assert anchored_text(revised, selectors) == "the Soviet ambassador"


def test_it_follows_a_quote_whose_sentence_moved():
    sentence = "Everywhere else, the situation was calm. "
    selectors = selectors_for(TELEGRAM, "Everywhere else, the situation was calm.")
    revised = TELEGRAM.replace(sentence, "") + " " + sentence.strip()
    span = anchor(revised, selectors)
    assert span == (len(revised) - len(sentence.strip()), len(revised))


def test_it_prefers_the_repeated_quote_whose_context_fits():
    selectors = selectors_for(TELEGRAM, "the situation was calm")
    # The same words now open the paragraph, which also pushes the old position out of place.
    revised = "In Berlin the situation was calm too. " + TELEGRAM
    span = anchor(revised, selectors)
    assert span is not None
    assert revised[span[0] - len("Everywhere else, ") : span[0]] == "Everywhere else, "


def test_it_prefers_the_repeated_quote_nearest_its_old_place_when_contexts_fit_alike():
    paragraph = "The situation was calm. " * 6
    third = paragraph.index("situation", 40)
    selectors = build_selectors(paragraph, third, third + len("situation"))
    # A sentence inserted at the start shifts every occurrence, and their contexts are alike.
    opening = "Truly, so. "
    revised = opening + paragraph
    shifted = third + len(opening)
    assert anchor(revised, selectors) == (shifted, shifted + len("situation"))


def test_it_keeps_the_old_position_when_the_quote_is_still_there():
    paragraph = "The situation was calm. " * 3
    second = paragraph.index("calm", 10)
    selectors = build_selectors(paragraph, second, second + 4)
    assert anchor(paragraph, selectors) == (second, second + 4)


def test_it_keeps_the_old_position_when_only_the_context_around_it_changed():
    paragraph = "In Berlin, the situation was calm. Everywhere else, the situation was calm."
    second = paragraph.index("the situation", 20)
    selectors = build_selectors(paragraph, second, second + len("the situation"))
    revised = paragraph.replace("Everywhere else", "Almost anywhere")  # same length
    assert anchor(revised, selectors) == (second, second + len("the situation"))


def test_it_follows_the_quote_when_another_copy_took_its_old_place():
    paragraph = "Everywhere else, the situation was calm. In Havana, the situation was tense."
    selectors = selectors_for(paragraph, "the situation")
    # The sentences swapped, and by chance the other "the situation" now sits at the old
    # offset; the context tells the annotated one.
    revised = "In Havana today, the situation was tense. Everywhere else, the situation was calm."
    assert revised.index("the situation") == position_of(selectors)["start"]
    span = anchor(revised, selectors)
    assert span is not None
    assert revised[: span[0]].endswith("Everywhere else, ")


def test_it_orphans_a_deleted_quote():
    selectors = selectors_for(TELEGRAM, "Everywhere else, the situation was calm.")
    revised = TELEGRAM.replace("Everywhere else, the situation was calm. ", "")
    assert anchor(revised, selectors) is None


def test_it_orphans_a_quote_rewritten_beyond_a_quarter_of_its_length():
    selectors = selectors_for(TELEGRAM, "aerial surveillance had shown")
    revised = TELEGRAM.replace("aerial surveillance had shown", "reconnaissance flights proved")
    assert anchor(revised, selectors) is None


@pytest.mark.parametrize(("edits", "found"), [(10, True), (11, False)])
def test_it_allows_edits_up_to_a_quarter_of_the_quote(edits, found):
    start = TELEGRAM.index("the Soviet ambassador")
    selectors = build_selectors(TELEGRAM, start, start + 40)
    letters = list(TELEGRAM)
    for offset in range(0, 3 * edits, 3):
        letters[start + offset] = "#"
    revised = "".join(letters)
    assert anchor(revised, selectors) == ((start, start + 40) if found else None)


def test_it_finds_nothing_in_an_empty_text():
    selectors = selectors_for(TELEGRAM, "the situation was calm")
    assert anchor("", selectors) is None


def test_it_finds_nothing_without_selectors():
    assert anchor(TELEGRAM, []) is None
    assert anchor(TELEGRAM, [{"type": "CssSelector", "value": "p"}]) is None


# -- Re-anchoring: approximate quotes ------------------------------------------------------


def test_it_follows_a_quote_whose_typo_was_fixed():
    with_typo = TELEGRAM.replace("surveillance", "survelliance")
    selectors = selectors_for(with_typo, "aerial survelliance had shown that Cuban bases")
    assert anchored_text(TELEGRAM, selectors) == "aerial surveillance had shown that Cuban bases"


def test_it_returns_the_true_end_of_a_quote_that_grew_inside():
    selectors = selectors_for(TELEGRAM, "Cuban bases continued to be built at a faster rate.")
    revised = TELEGRAM.replace("to be built", "to be rapidly built")
    assert anchored_text(revised, selectors) == (
        "Cuban bases continued to be rapidly built at a faster rate."
    )


def test_it_returns_the_true_start_and_end_of_a_quote_that_shrank():
    selectors = selectors_for(TELEGRAM, "the Soviet ambassador had been informed of the")
    revised = TELEGRAM.replace("had been informed", "was informed")
    assert anchored_text(revised, selectors) == "the Soviet ambassador was informed of the"


def test_it_finds_an_edited_quote_longer_than_32_characters_without_a_position():
    quote = quote_of(selectors_for(TELEGRAM, "that no answer had yet been received from Moscow"))
    revised = TELEGRAM.replace("had yet been received", "had been received as yet")
    assert len(quote["exact"]) > 32
    assert anchored_text(revised, [quote]) == "that no answer had been received as yet from Moscow"


def test_it_finds_an_edited_quote_longer_than_200_characters():
    start = TELEGRAM.index("aerial")
    end = TELEGRAM.index("the President's")
    selectors = build_selectors(TELEGRAM, start, end)
    assert end - start > 200
    revised = (
        TELEGRAM.replace("Mr Rusk", "The Secretary")
        .replace("aerial surveillance", "aerial reconnaissance")
        .replace("a faster rate", "an increasing rate")
        .replace("State added", "State further added")
    )
    expected = revised[revised.index("aerial") : revised.index("the President's")]
    assert anchored_text(revised, selectors) == expected


def test_it_follows_an_edited_quote_that_moved_with_its_sentence():
    quote = "the Soviet ambassador had been informed of the President's decision"
    selectors = selectors_for(TELEGRAM, quote)
    sentence_start = TELEGRAM.index("The Secretary")
    moved = TELEGRAM[sentence_start:] + " " + TELEGRAM[:sentence_start].strip()
    revised = moved.replace("ambassador", "Ambassador").replace("President's", "President’s")
    expected = "the Soviet Ambassador had been informed of the President’s decision"
    assert anchored_text(revised, selectors) == expected


def test_it_prefers_the_fuzzy_match_whose_context_fits():
    sentence = "the situation was calm and orderly"
    paragraph = f"In Berlin {sentence}. Everywhere else, {sentence}. The rest is silence."
    selectors = selectors_for(paragraph, sentence, occurrence=1)
    revised = paragraph.replace(sentence, "the situation was quiet and orderly")
    span = anchor(revised, [quote_of(selectors)])
    assert span is not None
    assert revised[: span[0]].endswith("Everywhere else, ")
    assert revised[span[0] : span[1]] == "the situation was quiet and orderly"


def test_it_handles_accents_and_characters_beyond_the_basic_plane():
    text = "Le préfet écrit : « 𝔘ne affaire grave » à Paris, dit-on. 😀"
    selectors = selectors_for(text, "affaire grave » à Paris")
    revised = "🇫🇷 𝔘𝔘 Note : " + text.replace("grave", "très grave")
    assert anchored_text(revised, selectors) == "affaire très grave » à Paris"
    span = anchor(revised, selectors)
    assert span is not None
    assert span[0] == revised.index("affaire")  # code points, not UTF-16 units or bytes


def test_it_finds_a_quote_made_of_emoji():
    text = "Reaction: 🎉🎉 then 😀😀😀 and 🎉."
    selectors = selectors_for(text, "😀😀😀")
    assert anchor("Later reaction: 😀😀😀!", selectors) == (16, 19)


# -- Partial selectors ---------------------------------------------------------------------


def test_it_trusts_a_lone_position_within_the_text():
    selectors = [{"type": "TextPositionSelector", "start": 3, "end": 7}]
    assert anchor(TELEGRAM, selectors) == (3, 7)


@pytest.mark.parametrize(("start", "end"), [(5, 500), (-1, 3), (7, 7), (8, 3)])
def test_it_rejects_a_lone_position_out_of_the_text(start, end):
    selectors = [{"type": "TextPositionSelector", "start": start, "end": end}]
    assert anchor(TELEGRAM[:100], selectors) is None


def test_it_searches_for_a_lone_quote():
    selectors = [{"type": "TextQuoteSelector", "exact": "the situation was calm"}]
    assert anchored_text(TELEGRAM, selectors) == "the situation was calm"


def test_it_searches_when_the_position_is_out_of_the_shortened_text():
    selectors = selectors_for(TELEGRAM, "no answer had yet been received")
    revised = TELEGRAM[TELEGRAM.index("The Secretary") :]
    assert anchored_text(revised, selectors) == "no answer had yet been received"


def test_it_ignores_malformed_selectors():
    selectors = [
        "not a selector",
        {"type": "TextQuoteSelector", "exact": ""},
        {"type": "TextPositionSelector", "start": "3", "end": 7},
        {"type": "TextQuoteSelector", "exact": "Cuban bases"},
    ]
    assert anchored_text(TELEGRAM, selectors) == "Cuban bases"


# -- Many revisions ------------------------------------------------------------------------


def test_it_survives_many_small_revisions_around_the_quote():
    rng = random.Random(20240611)
    quote = "the Soviet ambassador had been informed"
    selectors = selectors_for(TELEGRAM, quote)
    for _ in range(60):
        revised = TELEGRAM
        # Words inserted or deleted outside the quote, then one letter replaced inside it.
        for _ in range(3):
            cut = rng.choice([i for i, c in enumerate(revised) if c == " "])
            start = revised.index(quote)
            if not start <= cut < start + len(quote):
                revised = revised[:cut] + rng.choice([" indeed", " so,"]) + revised[cut:]
        start = revised.index(quote)
        inside = start + rng.randrange(len(quote))
        revised = revised[:inside] + rng.choice("xyz") + revised[inside + 1 :]
        assert anchor(revised, selectors) == (start, start + len(quote))


def test_it_finds_the_right_one_of_a_frequent_word_in_a_long_text():
    paragraph = " ".join([TELEGRAM] * 60)
    target = paragraph.index("the situation", len(TELEGRAM) * 41)
    selectors = build_selectors(paragraph, target, target + len("the"))
    revised = "Summary of the day. " + paragraph
    shifted = target + len("Summary of the day. ")
    assert anchor(revised, selectors) == (shifted, shifted + 3)
