"""The pages work under the Content-Security-Policy, and the watch on violations works."""

import pytest
from playwright.sync_api import expect

from editions.models import Category, Edition

from .conftest import sign_in

pytestmark = pytest.mark.browser

DEMO_EDITION = "The Cuban crisis in French diplomatic documents, 1962"


def test_an_inline_script_or_style_attribute_is_refused_and_reported(
    page, live_server, demo, csp_violations
):
    sign_in(page, live_server)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.ranInline = true";
          document.head.append(script);
          document.body.setAttribute("style", "background: red");
        }"""
    )
    assert page.evaluate("() => window.ranInline === true") is False
    page.wait_for_timeout(200)  # the console message arrives after the event
    reported = "\n".join(csp_violations)
    assert "script-src" in reported
    assert "style-src" in reported
    csp_violations.clear()  # provoked on purpose: the fixture must not fail this test


def test_category_colours_come_from_data_attributes_under_the_policy(page, live_server, demo):
    sign_in(page, live_server)
    edition = Edition.objects.get(title=DEMO_EDITION)
    page.goto(f"{live_server.url}/e/{edition.slug}/categories/")  # makes the default ones
    category = Category.objects.filter(edition=edition).last()
    chip = page.locator(f'.chip[data-anno="{category.color}"]').first
    expect(chip).to_be_visible()
    colour = chip.evaluate("(el) => getComputedStyle(el).getPropertyValue('--anno').trim()")
    assert colour == category.color


def test_the_language_menu_switches_to_french_without_an_inline_handler(page, live_server, demo):
    sign_in(page, live_server)
    page.get_by_role("link", name=DEMO_EDITION).click()
    page.select_option("#language-select", "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
