"""Two users annotate the same document in two browsers and see each other's work live."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from editions.models import Annotation, Document, Membership

from .conftest import sign_in

pytestmark = pytest.mark.browser

SELECT = """(quote) => {
  for (const element of document.querySelectorAll('.seg-text')) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const at = node.data.indexOf(quote);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + quote.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      element.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def _second_user():
    user = get_user_model().objects.create_user("historian", password="historian-pass-1962")
    edition = Document.objects.get(slug__startswith="m-couve").edition
    Membership.objects.create(edition=edition, user=user, role="annotator")


def _open_circular(page, server):
    document = Document.objects.get(slug__startswith="m-couve")
    page.goto(f"{server.url}{document.get_absolute_url()}")
    expect(page.locator("#presence")).to_be_visible()
    return document


def test_two_users_annotate_reply_and_resolve_live(browser, asgi_server, demo, artifacts):
    _second_user()
    contexts = [browser.new_context(viewport={"width": 1366, "height": 900}) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    sign_in(first, asgi_server)
    sign_in(second, asgi_server, "historian", "historian-pass-1962")
    _open_circular(first, asgi_server)
    _open_circular(second, asgi_server)
    expect(first.locator("#presence")).to_contain_text("historian")
    expect(second.locator("#presence")).to_contain_text("demo")

    assert first.evaluate(SELECT, "We ignore whether")
    first.locator("#annotate-bubble").click()
    first.select_option("#new-annotation-category", label="false friend or calque")
    first.fill("#new-annotation-body", "*Nous ignorons* means **we do not know**. @historian")
    first.get_by_role("button", name="Save the annotation").click()
    expect(first.locator("#drawer-content .thread")).to_be_visible()
    saved = time.monotonic()
    # Polled at every animation frame: expect() polls at 100, 250, 500, 1000 ms intervals,
    # which would round the figure up to the next of its polls.
    # The bound here is "live, without reloading", generous for a loaded machine; the 1 s
    # target is measured with this figure and reported in docs/BENCHMARKS.md, not asserted.
    # A locator, not wait_for_function("..."): a string of code is an eval, which the page's
    # Content-Security-Policy refuses.
    expect(second.locator("mark.anno")).to_have_count(1, timeout=10_000)
    latency = time.monotonic() - saved
    print(f"\nannotation shown to the other reader after {latency * 1000:.0f} ms")
    first.screenshot(path=artifacts / "annotation-live.png", full_page=False)

    second.locator("mark.anno").first.click()
    thread = second.locator("#drawer-content .thread")
    expect(thread).to_contain_text("we do not know")
    second.fill("#drawer-content textarea[name=body]", "Agreed: a false friend.")
    second.get_by_role("button", name="Reply").click()
    expect(thread).to_contain_text("Agreed: a false friend.")
    second.get_by_role("button", name="Resolve").click()
    expect(second.locator("#drawer-content .status")).to_have_text("resolved")
    expect(first.locator("#annotation-panel .annotation-item")).to_have_class(
        re.compile("status-resolved"), timeout=10_000
    )
    annotation = Annotation.objects.get(document__slug__startswith="m-couve")
    assert annotation.status == "resolved" and annotation.replies.count() == 1
    assert annotation.mentions == ["historian"]
    for context in contexts:  # end the live streams before the server stops
        context.close()


def test_an_editor_edits_an_annotated_paragraph_and_no_annotation_is_lost(
    page, live_server, demo, artifacts
):
    from editions.annotating import Span, create_annotation
    from editions.models import Segment

    owner = get_user_model().objects.get(username="demo")
    segment = Segment.objects.get(witness__slug="wilson-en", text__startswith="Everyone admits")
    document = segment.witness.document

    def annotate(quote):
        start = segment.text.index(quote)
        return create_annotation(
            user=owner,
            document=document,
            spans=[Span(segment, start, start + len(quote))],
            body=f"On “{quote}”",
        )

    kept = annotate("the Soviet military reinforcement")
    lost = annotate("We ignore whether")
    sign_in(page, live_server)
    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    expect(page.locator(f"#{segment.anchor_id} mark.anno")).to_have_count(2)

    page.locator(f"#{segment.anchor_id} .edit-segment").click()
    box = page.locator(f"#text-{segment.anchor_id}")
    box.fill(box.input_value().replace("We ignore whether", "Nobody can tell if"))
    box.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(f"#{segment.anchor_id}")).to_contain_text("Nobody can tell if")

    page.reload()
    expect(page.locator(f"#{segment.anchor_id} mark.anno")).to_have_count(1)
    expect(page.locator("#orphans")).to_contain_text("We ignore whether")
    kept.refresh_from_db()
    target = kept.targets.get()
    assert segment.__class__.objects.get(pk=segment.pk).text[target.start : target.end] == (
        "the Soviet military reinforcement"
    )
    assert lost.targets.get().orphaned
    page.screenshot(path=artifacts / "orphan-panel.png", full_page=True)
