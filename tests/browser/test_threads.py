"""The thread drawer from the keyboard, live, and @mentions reaching the member named."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from editions.annotating import Span, add_reply, create_annotation, set_status, update_annotation
from editions.models import Annotation, Document, Membership, Segment

from .conftest import sign_in

pytestmark = pytest.mark.browser


def _circular() -> Document:
    return Document.objects.get(slug__startswith="m-couve")


def _annotation(quote="Everyone admits", body="First note.") -> Annotation:
    segment = Segment.objects.get(witness__slug="wilson-en", text__contains=quote)
    start = segment.text.index(quote)
    return create_annotation(
        user=get_user_model().objects.get(username="demo"),
        document=segment.witness.document,
        spans=[Span(segment, start, start + len(quote))],
        body=body,
    )


def test_an_annotation_is_made_from_a_keyboard_selection(page, live_server, demo):
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{_circular().get_absolute_url()}")
    segment = Segment.objects.get(witness__slug="wilson-en", text__startswith="Everyone admits")
    page.locator(f"#{segment.anchor_id} a.sid").focus()  # Tab would get there too
    for _ in range(8):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#annotate-bubble")).to_be_visible()
    # The annotator reads the selection on selectionchange, which the browser fires after the
    # key: wait until the eighth letter is selected before asking for the annotation.
    for _ in range(50):
        if page.evaluate("window.getSelection().toString()") == "Everyone":
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(200)
    page.keyboard.press("a")
    body = page.locator("#new-annotation-body")
    expect(body).to_be_focused()
    body.fill("Made without a mouse.")
    page.get_by_role("button", name="Save the annotation").click()
    expect(page.locator("#drawer-content .thread")).to_contain_text("Made without a mouse.")
    assert Annotation.objects.get(document=_circular()).targets.get().quote == "Everyone"


def test_the_thread_takes_focus_keeps_it_and_gives_it_back_on_escape(page, live_server, demo):
    _annotation()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{_circular().get_absolute_url()}")
    badge = page.locator("button.anno-count").first
    badge.focus()
    page.keyboard.press("Enter")
    drawer = page.locator("#drawer")
    expect(drawer).to_be_visible()
    expect(page.locator("#drawer-content .thread")).to_be_focused()
    for _ in range(25):  # however far one tabs, focus stays in the drawer
        page.keyboard.press("Tab")
        assert page.evaluate("document.getElementById('drawer').contains(document.activeElement)")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.getElementById('drawer').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(page.locator("button.anno-count").first).to_be_focused()


def test_the_close_button_does_not_cover_the_threads_first_line(page, live_server, demo, artifacts):
    annotation = _annotation()
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{_circular().get_absolute_url()}?annotation={annotation.pk}")
    expect(page.locator("#drawer-content .thread-head time")).to_be_visible()
    close = page.locator("#drawer-close").bounding_box()
    head = page.locator("#drawer-content .thread-head").bounding_box()
    stamp = page.locator("#drawer-content .thread-head time").bounding_box()
    assert close and head and stamp
    right_of_text = (
        head["x"]
        + head["width"]
        - float(
            page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('.thread-head')).paddingRight)"
            )
        )
    )
    assert close["x"] >= right_of_text - 1 or stamp["y"] >= close["y"] + close["height"]
    page.locator("#drawer").screenshot(path=artifacts / "thread-drawer.png")


def test_an_open_thread_shows_others_replies_and_resolution_live(browser, asgi_server, demo):
    annotation = _annotation(body="Open to discussion.")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, asgi_server)
        url = _circular().get_absolute_url()
        page.goto(f"{asgi_server.url}{url}?annotation={annotation.pk}")
        thread = page.locator("#drawer-content .thread")
        expect(thread).to_contain_text("Open to discussion.")
        reply = page.locator("#drawer-content .reply-form textarea")
        reply.fill("My half-written reply")
        editor = get_user_model().objects.create_user("historian", password="x-1962-x")
        Membership.objects.create(edition=annotation.edition, user=editor, role="annotator")
        add_reply(annotation, editor, "A reply from someone else.")
        expect(thread).to_contain_text("A reply from someone else.", timeout=10_000)
        expect(page.locator("#drawer-content .reply-form textarea")).to_have_value(
            "My half-written reply"
        )
        set_status(annotation, "resolved")
        expect(page.locator("#drawer-content .status")).to_have_text("resolved", timeout=10_000)
        # Being edited here when someone else saves: the form stays, and a notice says so.
        page.locator("#drawer-content").get_by_role("link", name="Edit").click()
        page.fill("#drawer-content textarea[id^=edit-body]", "My own wording")
        annotation.refresh_from_db()
        update_annotation(
            annotation,
            annotation.version,
            body="Their wording",
            category=None,
            tags=[],
            visibility="edition",
        )
        expect(page.locator("#drawer-content .changed-meanwhile")).to_be_visible(timeout=10_000)
        expect(page.locator("#drawer-content textarea[id^=edit-body]")).to_have_value(
            "My own wording"
        )
    finally:
        context.close()  # end the live stream before the server stops


def test_a_mention_shows_in_the_header_and_leads_to_the_thread(page, live_server, demo):
    historian = get_user_model().objects.create_user("historian", password="x-1962-x")
    Membership.objects.create(edition=_circular().edition, user=historian, role="annotator")
    _annotation(body="What do you make of this, @historian?")
    sign_in(page, live_server, "historian", "x-1962-x")
    inbox = page.locator("#inbox-link")
    expect(inbox).to_contain_text("1")
    inbox.click()
    page.get_by_role("button", name="demo mentioned you in an annotation").click()
    thread = page.locator("#drawer-content .thread")
    expect(thread).to_contain_text("What do you make of this")
    mention = thread.get_by_role("link", name="@historian")
    expect(mention).to_have_attribute("href", "/people/historian/")
    expect(page.locator("#inbox-link .count")).to_have_count(0)
