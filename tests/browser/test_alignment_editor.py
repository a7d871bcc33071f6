"""An editor adds a French original, aligns it, and corrects the alignment in the browser."""

import re

import pytest
from playwright.sync_api import expect

from editions.alignment_store import rows_of
from editions.models import Alignment

from .conftest import sign_in
from .test_document_pages import FRENCH_ORIGINAL, _preview_the_french_original

pytestmark = pytest.mark.browser


def _add_original_and_align(page, live_server):
    """The letter's French original added and aligned automatically: the editor is open."""
    _preview_the_french_original(page, live_server)
    page.get_by_role("button", name="Save this witness").click()
    page.get_by_role("button", name="Align automatically").click()
    expect(page.locator("#editor")).to_be_visible()


def test_an_editor_aligns_corrects_confirms_realigns_and_undoes(page, live_server, demo, artifacts):
    _add_original_and_align(page, live_server)
    alignment = Alignment.objects.get(document__edition__slug="cuban-crisis-1962")
    automatic = rows_of(alignment)
    page.screenshot(path=artifacts / "alignment-editor.png", full_page=True)

    # With the mouse: click a French unit, then an English one, to put them in one row.
    page.locator('.unit[data-side="source"][data-sid="p1"]').click()
    page.locator('.unit[data-side="target"][data-sid="p1"]').click()
    expect(page.locator("#history")).to_contain_text("Linked p1 with p1")
    first = rows_of(alignment)[0]
    assert (first.source, first.target) == (("p1",), ("p1",))

    # With the keyboard: select the first row, confirm it.
    page.locator("#row-0 .rowhead").click()
    page.keyboard.press("c")
    expect(page.locator("#row-0")).to_have_class(re.compile(r"\bconfirmed\b"))

    # Jump to the next row to review: the first one not confirmed yet.
    page.keyboard.press("n")
    expect(page.locator("#row-1")).to_have_class(re.compile(r"\bselected\b"))

    # Merge the second row with the third with the keyboard, then undo it.
    page.keyboard.press("k")
    page.keyboard.press("j")
    expect(page.locator("#row-1")).to_have_class(re.compile(r"\bselected\b"))
    before_merge = rows_of(alignment)
    page.keyboard.press("m")
    expect(page.locator("#history")).to_contain_text("Merged rows 2 and 3")
    page.keyboard.press("u")
    expect(page.locator("#history")).to_contain_text("Undid: Merged rows 2 and 3")
    assert rows_of(alignment) == before_merge

    # Re-align everything from the first row: the confirmed row stays confirmed.
    page.locator("#row-0 .rowhead").click()
    page.keyboard.press("r")
    expect(page.locator("#history")).to_contain_text("Re-aligned from row 1")
    expect(page.locator("#row-0")).to_have_class(re.compile(r"\bconfirmed\b"))
    assert rows_of(alignment)[0].confirmed
    assert automatic  # the first alignment produced rows

    # The document page is now a synopsis, original first.
    page.get_by_role("link", name=re.compile("Letter from Hervé Alphand")).click()
    synopsis = page.locator(".synopsis")
    expect(synopsis).to_contain_text("Après la réunion du 22 octobre")
    expect(synopsis).to_contain_text("After the 22 October meeting")
    page.screenshot(path=artifacts / "synopsis.png", full_page=True)


def test_a_reader_sees_the_alignment_but_no_controls(page, live_server, demo):
    from django.contrib.auth import get_user_model

    from editions.alignment_store import create_alignment
    from editions.models import Document, Membership
    from tests.conftest import add_text

    document = Document.objects.get(slug__startswith="letter-from")
    original = add_text(document, FRENCH_ORIGINAL, "fr", "original")
    owner = get_user_model().objects.get(username="demo")
    alignment = create_alignment(document, original, document.witnesses.get(slug="cvce-en"), owner)
    reader = get_user_model().objects.create_user("reading-room", password="reader-pass-1962")
    Membership.objects.create(edition=document.edition, user=reader, role="reader")
    sign_in(page, live_server, "reading-room", "reader-pass-1962")
    page.goto(f"{live_server.url}{alignment.get_absolute_url()}")
    expect(page.locator(".arow[data-row]").first).to_be_visible()
    expect(page.locator(".row-ops")).to_have_count(0)
    page.keyboard.press("m")
    assert alignment.changes.count() == 1


def test_linking_asks_before_it_changes_a_confirmed_row_and_keeps_one_it_leaves_alone(
    page, live_server, demo
):
    from editions.demo_verne import DOCUMENT_SLUG, EDITION_SLUG

    alignment = Alignment.objects.filter(
        document__edition__slug=EDITION_SLUG, document__slug=DOCUMENT_SLUG
    ).order_by("pk")[0]
    rows = rows_of(alignment)
    n, row = next(
        (n, r) for n, r in enumerate(rows) if r.confirmed and len(r.source) == 1 == len(r.target)
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{alignment.get_absolute_url()}")
    # The two units of a confirmed one-to-one row: nothing to ask, and it stays confirmed.
    page.locator(f'#row-{n} .unit[data-side="source"]').click()
    page.locator(f'#row-{n} .unit[data-side="target"]').click()
    expect(page.locator("#history")).to_contain_text(f"Linked {row.source[0]} with {row.target[0]}")
    assert rows_of(alignment)[n].confirmed
    # A unit of the confirmed row with one of the next row: asked first; "no" changes nothing.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    before = rows_of(alignment)
    page.locator(f'#row-{n} .unit[data-side="source"]').click()
    page.locator(f'#row-{n + 1} .unit[data-side="target"]').first.click()
    # Then a link that asks nothing: had the refused one been sent, it would show before it.
    page.locator(f'#row-{n} .unit[data-side="source"]').click()
    page.locator(f'#row-{n} .unit[data-side="target"]').click()
    expect(page.locator("#history li")).to_have_count(4)  # align, confirm, link, link
    assert asked and "confirmed row" in asked[0]
    assert rows_of(alignment) == before
