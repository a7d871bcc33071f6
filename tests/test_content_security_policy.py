"""Every page carries the Content-Security-Policy, and nothing in a page needs it relaxed.

The demo edition is crawled as its owner (every link and every htmx fragment a page names,
a few of each kind of page), then the pages a signed-out visitor and an admin see. Each answer
must carry the policy; each HTML page must hold no inline script, style element, style
attribute or event-handler attribute, which the policy would refuse in the browser.
"""

import io
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import Resolver404, resolve

from editions.annotating import Span, create_annotation, ensure_categories
from editions.management.commands.load_demo import DEMO_SLUG, DEMO_USER
from editions.models import Document

PER_KIND = 3  # pages of one kind (one URL name) visited
NEVER_FOLLOW = ("/accounts/logout/", "/static/")


class InlineCode(HTMLParser):
    """Collects the links of a page and whatever in it a strict CSP would refuse."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, bool]] = []  # (url, is an htmx fragment)
        self.refused: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.refused.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.refused.append("<style> element")
        if tag == "script" and "src" not in attributes:
            self._in_script = attributes.get("type") != "application/json"
        if tag == "a" and attributes.get("href"):
            self.links.append((attributes["href"], False))
        if attributes.get("hx-get"):
            self.links.append((attributes["hx-get"], True))
        for name in ("href", "src", "action"):
            if (attributes.get(name) or "").lower().startswith("javascript:"):
                self.refused.append(f"<{tag} {name}=javascript:...>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.refused.append(f"inline <script>: {data.strip()[:60]}")


def assert_strict_policy(response, url: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, f"{url}: no CSP script-src ({policy!r})"
    assert "style-src 'self'" in policy, f"{url}: no CSP style-src ({policy!r})"
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url


def inline_code(response) -> InlineCode:
    parser = InlineCode()
    attachment = "attachment" in response.headers.get("Content-Disposition", "")
    if response.headers.get("Content-Type", "").startswith("text/html") and not attachment:
        parser.feed(response.content.decode())
    return parser


def same_page(url: str) -> str:
    """``url`` without ``?at=``: the same page opened at another passage is not another page."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "at"]
    return parts._replace(query=urlencode(query)).geturl()


def crawl(client, *starts: str) -> Counter:
    """Visit the pages reachable from ``starts``; the count of pages per URL name."""
    seen, visited = set(starts), Counter()
    queue = deque((start, False) for start in starts)
    while queue:
        url, fragment = queue.popleft()
        try:
            name = resolve(urlsplit(url).path).url_name
        except Resolver404:
            continue
        if visited[name] >= PER_KIND:
            continue
        visited[name] += 1
        headers = {"HX-Request": "true"} if fragment else {}
        response = client.get(url, headers=headers)
        assert response.status_code < 500, url
        assert_strict_policy(response, url)
        parser = inline_code(response)
        assert not parser.refused, f"{url}: {parser.refused}"
        for link, is_fragment in parser.links:
            target = urljoin(url, link).split("#")[0]
            if urlsplit(target).netloc not in ("", "testserver"):
                continue
            target = same_page(urlsplit(target)._replace(scheme="", netloc="").geturl())
            if target and target not in seen and not target.startswith(NEVER_FOLLOW):
                seen.add(target)
                queue.append((target, is_fragment))
    return visited


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    owner = get_user_model().objects.get(username=DEMO_USER)
    document = Document.objects.filter(edition__slug=DEMO_SLUG).first()
    ensure_categories(document.edition)
    segment = document.witnesses.first().segments.first()
    create_annotation(
        user=owner, document=document, spans=[Span(segment, 0, 5)], body="A *note*", tags=["x"]
    )
    return owner


@pytest.mark.slow
def test_every_page_and_fragment_of_the_demo_carries_the_policy_and_needs_no_inline_code(
    client, demo
):
    client.force_login(demo)
    # Pages reached by a form, not a link, are starting points too. (The alignment editor and
    # the comparison need two witnesses: the browser tests open them under the policy.)
    visited = crawl(client, "/", "/editions/new/", "/search/?q=Cuba", "/concordance/?q=Cuba")
    # The crawl reached the pages that matter most, with their fragments.
    expected = {
        "edition_list",
        "edition_create",
        "edition_detail",
        "document_detail",
        "annotation_panel",
        "annotation_detail",
        "presence",
        "members",
        "categories",
        "edition_export",
        "document_export",
        "search",
        "concordance",
        "witness_history",
    }
    assert expected <= set(visited), expected - set(visited)
    assert sum(visited.values()) >= 30


@pytest.mark.parametrize("url", ["/accounts/login/", "/no-such-page/", "/admin/login/"])
def test_pages_for_a_signed_out_visitor_carry_the_policy(client, db, url):
    response = client.get(url)
    assert_strict_policy(response, url)
    assert not inline_code(response).refused


def test_the_admin_carries_the_policy(client, db):
    admin = get_user_model().objects.create_superuser("admin", password="x-long-password")
    client.force_login(admin)
    urls = [
        "/admin/",
        "/admin/axes/accessattempt/",
        "/admin/editions/edition/",
        "/admin/editions/edition/add/",
        f"/admin/auth/user/{admin.pk}/change/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict_policy(response, url)
        assert not inline_code(response).refused, url
