"""The document page as a reading workspace, on a book: Verne's French original and two
English translations, 2,300 paragraphs each (../shared), at 1440 x 900 and on a phone."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from editions.annotating import Span, create_annotation
from editions.booksize import verne_book
from editions.docpage import PAGE_ROWS, document_layout, ordered_witnesses
from editions.models import Edition, Membership, Segment
from tests.conftest import PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.browser

WIDE = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def voyage(transactional_db, shared_dir):
    edition = Edition.objects.create(title="Verne", slug="verne")
    user = get_user_model().objects.create_user("editor-v", password=PASSWORD)
    Membership.objects.create(edition=edition, user=user, role="owner")
    document = verne_book(edition, shared_dir)
    # Lay the book out now, as its first reader would have: the live server shares this
    # process's cache, and a cold layout takes seconds on a loaded machine.
    document_layout(document, ordered_witnesses(document))
    hardwigg = Segment.objects.filter(witness__slug="griffith-en", text__contains="Hardwigg")[0]
    at = hardwigg.text.index("Hardwigg")
    create_annotation(
        user=user, document=document, spans=[Span(hardwigg, at, at + len("Hardwigg"))],
        body="The 1871 translation renames Professor Lidenbrock.",
    )  # fmt: skip
    return document


def open_book(page, live_server, document, query=""):
    sign_in(page, live_server, "editor-v", PASSWORD)
    page.goto(f"{live_server.url}{document.get_absolute_url()}{query}")
    expect(page.locator(".synopsis")).to_be_visible()


def overflows(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_texts_start_at_the_top_with_the_annotations_beside_them(
    page, live_server, voyage, artifacts
):
    page.set_viewport_size(WIDE)
    open_book(page, live_server, voyage)
    first = page.locator("#hetzel-fr-p2")
    expect(first).to_be_in_viewport()  # text on the first screen, under the toolbar
    assert first.bounding_box()["y"] < 450
    expect(page.locator("#griffith-en-p3")).to_be_in_viewport()
    sidebar = page.locator(".annotation-panel")
    expect(sidebar.locator(".annotation-item")).to_have_count(1)
    synopsis = page.locator(".synopsis").bounding_box()
    assert sidebar.bounding_box()["x"] >= synopsis["x"] + synopsis["width"]  # beside, not below
    expect(page.locator(".srow[data-row]")).to_have_count(PAGE_ROWS)  # the first screen only
    page.screenshot(path=artifacts / "document-book-1440.png")
    assert not overflows(page)

    # Scrolling brings the next rows; the sidebar follows the scroll.
    page.locator(".more-after").scroll_into_view_if_needed()
    expect(page.locator(f"#srow-{2 * PAGE_ROWS}")).to_have_count(1)
    page.mouse.wheel(0, 3000)
    expect(sidebar).to_be_in_viewport()


def test_the_reader_jumps_by_heading_row_search_and_link(page, live_server, voyage, artifacts):
    page.set_viewport_size(WIDE)
    open_book(page, live_server, voyage)
    page.select_option("#jump-heading", label="XX")
    expect(page).to_have_url(re.compile(r"row=\d+"))
    row = re.search(r"row=(\d+)", page.url).group(1)
    expect(page.locator(f"#srow-{row} .rownum")).to_be_in_viewport()
    expect(page.locator(f"#srow-{row}")).to_contain_text("XX")

    page.fill("#jump-row", "2000")
    page.locator(".nav-jump button").click()
    expect(page.locator("#srow-2000 .rownum")).to_be_in_viewport()

    page.fill("#find-in-document", "Hardwigg")
    page.locator(".nav-find button").click()
    hits = page.locator("#find-results .find-list a")
    expect(hits.first).to_be_visible()
    expect(page.locator("#find-results")).to_contain_text("Hardwigg")
    page.screenshot(path=artifacts / "document-book-find-1440.png")
    anchor = hits.nth(3).get_attribute("data-anchor")
    hits.nth(3).click()
    expect(page.locator(f"#{anchor}")).to_be_in_viewport()
    expect(page.locator(f"#{anchor}")).to_contain_text("Hardwigg")

    # A link to a segment far down the book (a search hit elsewhere, a citation) lands on it.
    page.goto(f"{live_server.url}{voyage.get_absolute_url()}#malleson-en-p2100")
    expect(page.locator("#malleson-en-p2100")).to_be_in_viewport()


def test_a_thread_opens_beside_its_highlight(page, live_server, voyage, artifacts):
    page.set_viewport_size(WIDE)
    open_book(page, live_server, voyage)
    page.locator(".annotation-item .to-passage").click()
    mark = page.locator("mark.anno").first
    expect(mark).to_be_in_viewport()
    mark.click()
    drawer = page.locator("#drawer")
    expect(drawer).to_contain_text("renames Professor Lidenbrock")
    # Opening a thread re-reads the rows (annotations-changed): measure the highlight anew.
    expect(mark).to_be_in_viewport()
    # Both boxes in one step: a re-read between two measures would detach the highlight.
    boxes = page.evaluate(
        """() => [document.querySelector("mark.anno"), document.getElementById("drawer")]
            .map((element) => element.getBoundingClientRect())
            .map(({ x, y }) => ({ x, y }))"""
    )
    highlight, thread = boxes
    assert abs(thread["y"] - highlight["y"]) < 60
    assert thread["x"] > highlight["x"]
    page.screenshot(path=artifacts / "document-book-thread-1440.png")


def test_the_reader_chooses_witnesses_and_a_phone_shows_one_at_a_time(
    page, live_server, voyage, artifacts
):
    page.set_viewport_size(WIDE)
    open_book(page, live_server, voyage, "?w=malleson-en,hetzel-fr")
    heads = page.locator(".synopsis .cell-head")
    expect(heads).to_have_count(2)
    expect(heads.nth(0)).to_contain_text("Malleson")
    page.locator(".witness-chooser > summary").click()
    page.locator('.witness-chooser input[value="griffith-en"]').check()
    page.locator(".witness-chooser button").click()
    expect(heads).to_have_count(3)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{voyage.get_absolute_url()}")
    expect(page.locator("#hetzel-fr-p2")).to_be_in_viewport()
    expect(page.locator("#griffith-en-p3")).to_be_hidden()
    assert not overflows(page)
    page.screenshot(path=artifacts / "document-book-390.png")
    page.locator(".witness-switcher a", has_text="1871").click()
    expect(page.locator("#griffith-en-p3")).to_be_visible()
    expect(page.locator("#hetzel-fr-p2")).to_be_hidden()
    assert not overflows(page)
    page.screenshot(path=artifacts / "document-book-390-switched.png")
