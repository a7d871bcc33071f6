"""Every page, at a desk (1440 x 900) and on a phone (390 x 844): axe-core finds no serious or
critical violation, nothing overflows sideways on the phone, and a screenshot of each goes
to tests/artifacts/ to be looked at.

axe-core comes bundled in axe-playwright-python (no CDN); the violations found are printed.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from editions.demo_verne import DOCUMENT_SLUG, EDITION_SLUG
from editions.management.commands.load_demo import DEMO_SLUG
from editions.models import Alignment, Annotation, Document

from .conftest import sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"desk": (1440, 900), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}
# The outermost elements that reach past the screen's right edge, to say what overflows.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const over = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > width + 1);
  const outer = over.filter((el) => !over.includes(el.parentElement));
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;
  return outer.slice(0, 4).map((el) => `${name(el.parentElement)} > ${name(el)}: ${el.textContent.trim().slice(0, 60)}`);
}"""


def _pages() -> dict[str, str]:
    """Name -> path of each page the demo user can reach, with data on it."""
    verne = Document.objects.get(edition__slug=EDITION_SLUG, slug=DOCUMENT_SLUG)
    letter = Document.objects.filter(edition__slug=DEMO_SLUG).order_by("pk").first()
    alignment = Alignment.objects.filter(document=verne).order_by("pk").first()
    note = Annotation.objects.filter(document=verne).order_by("pk").first()
    witnesses = {w.label: w for w in verne.witnesses.all()}
    french, griffith, malleson = (
        witnesses["Hetzel 1864"],
        witnesses["Griffith & Farran 1871"],
        witnesses["Malleson 1877"],
    )
    doc = [EDITION_SLUG, DOCUMENT_SLUG]
    compare = reverse("editions:compare", args=doc)
    return {
        "editions": reverse("editions:edition_list"),
        "edition-verne": reverse("editions:edition_detail", args=[EDITION_SLUG]),
        "edition-cuba": reverse("editions:edition_detail", args=[DEMO_SLUG]),
        "document-verne": reverse("editions:document_detail", args=doc),
        "document-one-witness": letter.get_absolute_url(),
        "compare-translations": f"{compare}?a={griffith.slug}&b={malleson.slug}",
        "compare-original": f"{compare}?a={french.slug}&b={malleson.slug}",
        "alignment-editor": alignment.get_absolute_url(),
        "annotation": note.get_absolute_url(),
        "document-thread-open": f"{reverse('editions:document_detail', args=doc)}?annotation={note.pk}",
        "search": f"{reverse('editions:search')}?q=Axel",
        "concordance": f"{reverse('editions:concordance')}?q=oncle&language=fr",
        "import": reverse("editions:witness_add", args=doc),
        "document-edit": reverse("editions:document_edit", args=doc),
        "document-export": reverse("editions:document_export", args=doc),
        "edition-export": reverse("editions:edition_export", args=[EDITION_SLUG]),
        "members": reverse("editions:members", args=[EDITION_SLUG]),
        "edition-settings": reverse("editions:edition_edit", args=[EDITION_SLUG]),
        "categories": reverse("editions:categories", args=[EDITION_SLUG]),
        "witness-history": reverse("editions:witness_history", args=[*doc, french.slug]),
        "segment-edit": reverse("editions:segment_edit", args=[*doc, french.slug, "p2"]),
        "segment-history": reverse("editions:segment_history", args=[*doc, french.slug, "p2"]),
        "inbox": reverse("editions:inbox"),
        "member": reverse("editions:member_page", args=["demo"]),
    }


def _check(page, name: str, viewport: str, artifacts) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / f"page-{name}-{viewport}.png", full_page=True)
    problems = []
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            where = [
                (" ".join(node["target"]), node.get("failureSummary", "")[-120:])
                for node in violation["nodes"][:3]
            ]
            problems.append(
                f"{name} ({viewport}): {violation['impact']} {violation['id']} x"
                f"{len(violation['nodes'])}: {violation['help']} at {where}"
            )
    if viewport == "phone":
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 1:
            wide = page.evaluate(WIDEST)
            problems.append(
                f"{name} (phone): the page is {overflow}px wider than the screen: {wide}"
            )
    print(
        f"axe {name} {viewport}: {len(results.response['violations'])} violations, "
        f"{len([p for p in problems])} serious, critical or overflow"
    )
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_has_a_serious_accessibility_violation_or_overflows(
    browser, live_server, demo, artifacts, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems = []
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        problems += _check(page, "sign-in", viewport, artifacts)
        sign_in(page, live_server)
        for name, path in _pages().items():
            page.goto(f"{live_server.url}{path}")
            if "?annotation=" in path:
                expect(page.locator("#drawer-content .thread")).to_be_visible()
            problems += _check(page, name, viewport, artifacts)
    finally:
        context.close()
    print("\n".join(problems))
    assert not problems, "\n".join(problems)


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(page, live_server, demo):
    sign_in(page, live_server)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_the_favicon_is_served(page, live_server, demo):
    answer = page.request.get(f"{live_server.url}/favicon.ico")
    assert answer.ok and "svg" in answer.headers["content-type"]
