"""Search and the parallel concordance in the browser, on the demo edition."""

import re

import pytest
from playwright.sync_api import expect

from editions.models import Document

from .conftest import sign_in
from .test_alignment_editor import _add_original_and_align
from .test_annotations_live import SELECT, _second_user

pytestmark = pytest.mark.browser

LETTER = "Letter from Hervé Alphand to Maurice Couve de Murville"
TELEGRAM = "Circular Telegram No. 96"
HEAD = "Head of the Soviet Government"  # how the letter's footnote names Khrushchev


def test_the_concordance_shows_the_english_rendering_of_a_word_of_the_added_original(
    page, live_server, demo, artifacts
):
    _add_original_and_align(page, live_server)

    page.fill("#site-search", "ambassadeurs")
    page.press("#site-search", "Enter")
    expect(page.locator("#search-results")).to_contain_text("les trois ambassadeurs")
    page.get_by_role("link", name=re.compile("parallel concordance")).click()
    page.fill("#id_q", "ambassadeurs")
    page.select_option("#id_language", "fr")
    page.get_by_role("button", name="Find").click()

    line = page.locator(".kwic-row").first
    expect(line.locator(".kwic-key")).to_have_text("ambassadeurs")
    expect(line.locator(".kwic-left")).to_contain_text("le secrétaire d'État a prié les trois")
    rendering = line.locator(".rendering")
    expect(rendering).to_contain_text("CVCE translation")
    expect(rendering.locator("mark")).to_have_text("Ambassadors")
    expect(page.locator(".renderings-count")).to_contain_text("“ambassadors”")
    page.screenshot(path=artifacts / "concordance.png", full_page=True)

    # The line leads to its paragraph, scrolled to and highlighted.
    line.locator(".kwic-key").click()
    expect(page.locator(".segment:target")).to_contain_text("trois ambassadeurs")


def test_a_search_for_khrushchev_finds_both_seed_documents_and_an_annotation(
    page, live_server, demo, artifacts
):
    _second_user()  # "historian", an annotator of the demo edition
    sign_in(page, live_server, "historian", "historian-pass-1962")
    page.fill("#site-search", "Khrushchev")
    page.press("#site-search", "Enter")
    hits = page.locator("#search-results .search-hits")
    expect(hits).to_contain_text(TELEGRAM)
    # The CVCE letter never names him: its footnote says "the Head of the Soviet Government".
    expect(hits).not_to_contain_text(LETTER)

    # An annotator says who that is, in a note on the footnote's words.
    letter = Document.objects.get(title__startswith=LETTER)
    page.goto(f"{live_server.url}{letter.get_absolute_url()}")
    assert page.evaluate(SELECT, HEAD)
    page.locator("#annotate-bubble").click()
    page.select_option("#new-annotation-category", label="historical context")
    page.fill("#new-annotation-body", "That is Nikita **Khrushchev**, Chairman of the Council.")
    page.get_by_role("button", name="Save the annotation").click()
    expect(page.locator("#drawer-content .thread")).to_contain_text("Nikita Khrushchev")

    # Live search: typing is enough, no button; the index followed the new annotation.
    page.goto(f"{live_server.url}/search/")
    page.locator("#id_q").press_sequentially("Khrushchev", delay=40)
    titles = page.locator("#search-results .hit-title")
    expect(titles.filter(has_text=TELEGRAM).first).to_be_visible()
    annotation_hit = page.locator("#search-results .annotation-hit")
    expect(annotation_hit).to_have_count(1)
    expect(annotation_hit.locator(".hit-title")).to_contain_text(LETTER)
    expect(annotation_hit.locator(".chip")).to_have_text("historical context")
    expect(annotation_hit).to_contain_text("annotation by historian")
    expect(annotation_hit.locator(".hit-quote")).to_have_text(HEAD)
    expect(annotation_hit.locator(".snippet mark")).to_have_text("Khrushchev")
    assert "q=Khrushchev" in page.url  # the address follows, for the back button and sharing
    page.screenshot(path=artifacts / "search.png", full_page=True)

    # The annotation hit opens the letter at the annotated footnote, its thread open.
    annotation_hit.locator(".hit-title").click()
    expect(page.locator("#drawer")).to_be_visible()
    expect(page.locator("#drawer-content .thread")).to_contain_text("Chairman of the Council")
    # Still the target once the opened thread has refreshed the text.
    expect(page.locator(".segment:target")).to_contain_text(HEAD)
    expect(page.locator(".segment:target mark.anno")).to_have_text(HEAD)
    page.screenshot(path=artifacts / "search-annotation-hit.png", full_page=False)

    # A paragraph hit opens the telegram at that paragraph, highlighted.
    page.go_back()
    page.locator("#search-results .hit").filter(has_text=TELEGRAM).first.locator(
        ".hit-title"
    ).click()
    expect(page.locator(".segment:target")).to_contain_text("Khrushchev")
