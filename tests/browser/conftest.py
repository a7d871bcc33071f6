"""Playwright driving Debian's Chromium against Django's live server."""

import io
import os
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from tests.conftest import need_or_skip
from tests.live import serve_asgi

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the fixtures
# in the same thread, would otherwise refuse to run.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Flags that keep Chromium from reaching for the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    need_or_skip(
        Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
        "Debian's chromium is not installed (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Reports every Content-Security-Policy violation to the test, through a binding that outlives
# navigations; the console message Chromium writes is caught as well (it also covers violations
# raised before the page's scripts run).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"}` +
    ` at ${event.sourceFile || document.location.href}:${event.lineNumber} (${event.sample})`
  );
});
"""


def watch_csp(context, violations: list[str]) -> None:
    context.expose_binding(
        "__cspViolation",
        lambda source, report: violations.append(f"{source['page'].url}: {report}"),
    )
    context.add_init_script(CSP_LISTENER)

    def on_console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    context.on("console", on_console)


@pytest.fixture(autouse=True)
def csp_violations(request, monkeypatch):
    """Every browser context a test opens is watched; a CSP violation fails the test.

    The pages run under the real policy (no bypass): an inline script or style, a style
    attribute or an eval that crept in would be refused by the browser, so the test fails here
    rather than the feature breaking quietly in production. A test that provokes a violation on
    purpose empties the list.
    """
    violations: list[str] = []
    if "browser" not in request.fixturenames:
        yield violations
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_csp(context, violations)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    if violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(violations))


@pytest.fixture(autouse=True)
def requests_end_before_the_flush(transactional_db):
    """After each browser test, wait for the live server's requests in flight to end.

    A page closed mid-request (a poll, a stream reconnecting) leaves its request running in a
    server thread; if it still holds row locks when the test's database is emptied, PostgreSQL
    can find TRUNCATE and that request waiting on each other and abort one: a deadlock. This
    fixture depends on ``transactional_db``, so its end comes before the flush.
    """
    yield
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _serving_threads():
        time.sleep(0.05)


def _serving_threads() -> list[threading.Thread]:
    # socketserver names the thread of each connection after its target (Python 3.10+).
    return [t for t in threading.enumerate() if "process_request_thread" in t.name]


@pytest.fixture
def page(browser, live_server, csp_violations):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def sign_in(page, live_server, username="demo", password="cuba-1962-demo"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def asgi_server(transactional_db):
    """The project served by uvicorn (ASGI, as deployed), in a thread of this process.

    Django's live server speaks WSGI, which cannot stream server-sent events; this one can.
    It uses the test database like the live server does.
    """
    with serve_asgi() as url:
        yield SimpleNamespace(url=url)
