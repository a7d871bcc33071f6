"""Issue 4's "done when": revise the Martin translation, see the diff, the history, revert,
and a second editor's stale save gets the conflict view."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from editions.models import Document, Membership, Segment, SegmentRevision, Witness, WitnessRole
from tests.test_comparison import (
    CVCE,
    CVCE_ROWS,
    FRENCH,
    MARTIN,
    ONE_TO_ONE,
    OTHER,
    align,
    witness,
)

from .conftest import sign_in

pytestmark = pytest.mark.browser

FALSE_FRIEND = "We ignore whether"
CORRECTED = "We do not know whether"
PASSWORD = "editor-pass-1962"


def _editor(username: str):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    martin = Witness.objects.get(label__contains="Garret J. Martin")
    Membership.objects.create(edition=martin.document.edition, user=user, role="editor")
    return user


def test_an_editor_revises_the_martin_translation_and_a_stale_save_is_refused(
    page, browser, live_server, demo, artifacts
):
    _editor("first-editor")
    _editor("second-editor")
    martin = Witness.objects.get(label__contains="Garret J. Martin")
    sign_in(page, live_server, "first-editor", PASSWORD)
    page.goto(f"{live_server.url}{martin.document.get_absolute_url()}")

    # Create the revision witness from the Martin translation's header.
    page.locator("#details > summary").click()
    page.locator(f"#about-{martin.slug}").get_by_role("button", name="Create a revision").click()
    revision = Witness.objects.get(revision_of=martin)
    assert revision.role == WitnessRole.REVISION
    expect(page.locator(f"#witness-{revision.slug}")).to_be_visible()  # a column of its own
    section = page.locator(f"#about-{revision.slug}")
    expect(section).to_contain_text(re.compile(re.escape(f"revision of {martin.label}"), re.I))
    paragraph = Segment.objects.get(witness=revision, text__contains=FALSE_FRIEND)
    original_text = paragraph.text
    edit_path = (
        f"/e/{martin.document.edition.slug}/d/{martin.document.slug}"
        f"/w/{revision.slug}/s/{paragraph.sid}/edit/"
    )

    # A second editor opens the same paragraph now, and will save it last.
    second_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    second = second_context.new_page()
    second.set_default_timeout(15_000)
    sign_in(second, live_server, "second-editor", PASSWORD)
    second.goto(f"{live_server.url}{edit_path}")
    expect(second.locator("textarea[name=text]")).to_have_value(original_text)

    # The first editor corrects the false friend in place (htmx swaps the form in and out).
    block = page.locator(f"#{revision.slug}-{paragraph.sid}")
    block.get_by_role("link", name=f"Edit {paragraph.sid}").click()
    editor = page.locator(f"#edit-{revision.slug}-{paragraph.sid}")
    textarea = editor.locator("textarea[name=text]")
    expect(textarea).to_have_value(original_text)
    textarea.fill(original_text.replace(FALSE_FRIEND, CORRECTED))
    editor.locator("input[name=reason]").fill("false friend: nous ignorons = we do not know")
    page.screenshot(path=artifacts / "segment-editor.png")
    editor.get_by_role("button", name="Save").click()
    expect(block).to_contain_text(CORRECTED)
    expect(block.locator(".saved")).to_have_text("Saved: version 2")
    paragraph.refresh_from_db()
    assert (paragraph.version, FALSE_FRIEND in paragraph.text) == (2, False)

    # The diff view shows the correction against the parent translation.
    page.locator("#details > summary").click()
    section.get_by_role("link", name=f"Compare with {martin.label}").click()
    row = page.locator(".drow", has=page.locator("ins", has_text="do not know"))
    expect(row.locator("del")).to_have_text("ignore")
    expect(row.locator("ins")).to_have_text("do not know")
    expect(page.locator(".compare-summary")).to_contain_text("1 of")
    page.screenshot(path=artifacts / "comparison-diff.png", full_page=True)
    # The inline mode comes through htmx, and its URL is kept in the address bar.
    page.get_by_role("link", name="Inline").click()
    expect(page.locator(".diff-rows")).to_have_class(re.compile(r"\bmode-inline\b"))
    expect(page).to_have_url(re.compile(r"mode=inline"))
    expect(page.locator(".drow ins", has_text="do not know")).to_be_visible()

    # The history lists the save with its reason; revert to the imported text.
    page.locator(".drow", has=page.locator("ins", has_text="do not know")).locator(
        ".sids a"
    ).last.click()
    expect(page.locator("h1")).to_contain_text(f"History of {paragraph.sid}")
    expect(page.locator("#version-2")).to_contain_text("false friend")
    expect(page.locator("#version-diff del")).to_have_text("ignore")
    page.screenshot(path=artifacts / "segment-history.png", full_page=True)
    page.get_by_role("button", name="Revert to version 1").click()
    expect(page.locator(".messages")).to_contain_text("Reverted to version 1")
    expect(page.locator("#version-3")).to_contain_text("reverted to version 1")
    paragraph.refresh_from_db()
    assert (paragraph.text, paragraph.version) == (original_text, 3)

    # The second editor, still on version 1, saves: refused, with the conflict view.
    second.locator("textarea[name=text]").fill(original_text.replace("Everyone", "All"))
    second.get_by_role("button", name="Save").click()
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("Someone else saved this text while you were editing")
    expect(conflict.locator(".your-text")).to_contain_text("All")
    expect(second.locator("textarea[name=text]")).to_have_value(
        original_text.replace("Everyone", "All")
    )
    expect(second.locator("input[name=version]")).to_have_value("3")
    second.screenshot(path=artifacts / "comparison-conflict.png", full_page=True)
    second_context.close()
    paragraph.refresh_from_db()
    assert (paragraph.text, paragraph.version) == (original_text, 3)
    assert SegmentRevision.objects.filter(segment=paragraph).count() == 2


def _three_translations(edition) -> Document:
    """The circular's opening in French and in three English translations, each aligned."""
    document = Document.objects.create(edition=edition, slug="circular-96-three", title="Three")
    french = witness(document, "fr", "fr", WitnessRole.ORIGINAL, FRENCH)
    for slug, texts, rows in (
        ("martin", MARTIN, ONE_TO_ONE),
        ("cvce", CVCE, CVCE_ROWS),
        ("other", OTHER, ONE_TO_ONE),
    ):
        align(french, witness(document, slug, "en", WitnessRole.TRANSLATION, texts), rows)
    return document


def test_a_reader_jumps_from_the_variation_map_and_compares_across_languages(
    page, live_server, demo, artifacts
):
    martin = Witness.objects.get(label__contains="Garret J. Martin")
    document = _three_translations(martin.document.edition)
    reader = get_user_model().objects.create_user("reading-room", password=PASSWORD)
    Membership.objects.create(edition=document.edition, user=reader, role="reader")
    sign_in(page, live_server, "reading-room", PASSWORD)
    page.goto(f"{live_server.url}{document.get_absolute_url()}")

    marks = page.locator(".synopsis .vmark")  # a mark in each row's gutter
    expect(marks).to_have_count(3)
    expect(page.locator(".variation-bands a").first).to_be_visible()
    expect(page.locator(".synopsis .distance")).to_have_count(9)
    expect(page.locator(".variation-panel")).to_contain_text("mean distance")
    expect(page.locator(".segment-tools")).to_have_count(0)  # a reader edits nothing
    page.screenshot(path=artifacts / "variation-map.png", full_page=True)
    most_divergent = page.locator(".variation-top a").first
    target = f"#srow-{most_divergent.get_attribute('data-row-link')}"
    most_divergent.click()
    expect(page).to_have_url(re.compile(f"{target}$"))
    expect(page.locator(f"{target} .rownum")).to_be_in_viewport()
    page.locator(f"{target} .vmark").click()
    expect(page).to_have_url(re.compile(f"{target}$"))

    # The French original against a translation: the shared anchors, no word diff.
    page.locator("#details > summary").click()
    page.select_option("#compare-a", "fr")
    page.select_option("#compare-b", "martin")
    page.get_by_role("button", name="Show the differences").click()
    expect(page.locator(".compare-summary")).to_contain_text("there is no word diff")
    row = page.locator(".drow", has=page.locator("mark", has_text="Rusk")).first
    expect(row.locator("mark.anchor-number", has_text="1962")).to_have_count(2)
    expect(page.locator(".diff-rows del")).to_have_count(0)
    page.screenshot(path=artifacts / "comparison-anchors.png", full_page=True)


def test_an_open_editor_survives_a_live_refresh_of_the_page(page, asgi_server, demo):
    """Live updates need the ASGI server (server-sent events); Django's live server is WSGI."""
    from editions.annotating import Span, create_annotation

    _editor("first-editor")
    martin = Witness.objects.get(label__contains="Garret J. Martin")
    paragraph = Segment.objects.get(witness=martin, text__contains=FALSE_FRIEND)
    other = Segment.objects.filter(witness=martin, kind="paragraph").exclude(pk=paragraph.pk)[0]
    sign_in(page, asgi_server, "first-editor", PASSWORD)
    page.goto(f"{asgi_server.url}{martin.document.get_absolute_url()}")
    expect(page.locator("#presence")).to_contain_text("first-editor")  # the stream is open
    page.locator(f"#{paragraph.anchor_id}").get_by_role(
        "link", name=f"Edit {paragraph.sid}"
    ).click()
    textarea = page.locator(f"#edit-{paragraph.anchor_id} textarea[name=text]")
    typed = paragraph.text.replace(FALSE_FRIEND, CORRECTED)
    textarea.fill(typed)

    # Someone annotates another paragraph meanwhile: the page hears of it and would re-read
    # its body, which holds the open editor. The refresh waits.
    quote = other.text.split()[0]
    create_annotation(
        user=get_user_model().objects.get(username="demo"),
        document=martin.document,
        spans=[Span(other, 0, len(quote))],
        body="Meanwhile",
    )
    expect(page.locator("#annotation-panel .annotation-item")).to_have_count(1)  # it arrived
    expect(page.locator("#document-body[data-refresh-waiting]")).to_have_count(1)
    expect(textarea).to_have_value(typed)

    # Cancelled, the editor closes and the page catches up with the annotation.
    page.locator(f"#edit-{paragraph.anchor_id}").get_by_role("link", name="Cancel").click()
    expect(page.locator(f"#{other.anchor_id} mark.anno")).to_have_count(1)
    expect(page.locator("#document-body[data-refresh-waiting]")).to_have_count(0)
