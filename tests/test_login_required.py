"""Every page needs a signed-in user, except the few listed here as public.

``LoginRequiredMiddleware`` asks for a sign-in before any view runs unless the view is marked
``login_not_required``. These tests walk every URL pattern: a view is public only if it is on
``PUBLIC`` (so a new public view is a decision made here, never an accident), and an anonymous
request to any other URL is sent to the sign-in page, whatever the method.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

# Public views by URL name, with why.
PUBLIC = {
    "login": "the sign-in page",
    "logout": "signing out, signed in or not",
    "set_language": "the language menu, which the sign-in page has",
    "/favicon.ico": "browsers ask for /favicon.ico before anyone signs in",
    # The W3C protocol and the event stream answer an anonymous client 401 themselves.
    "editions:w3c_container": "API tokens, 401 in JSON",
    "editions:w3c_annotation": "API tokens, 401 in JSON",
    "editions:segment_text": "API tokens, 401 in JSON",
    "editions:document_events": "the event stream answers 401 (it cannot follow a redirect)",
}
SAMPLE_ARGUMENTS = {"int": 7, "slug": "abc", "str": "someone"}


def url_patterns(resolver=None, namespace="", route=""):
    """(name, route, view) of every URL pattern but the admin's (it has its own sign-in)."""
    for pattern in (resolver or get_resolver()).url_patterns:
        full_route = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if full_route.startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, full_route)
        elif isinstance(pattern, URLPattern):
            # An unnamed pattern (the favicon) goes by its path.
            name = namespace + pattern.name if pattern.name else "/" + full_route
            yield name, full_route, pattern.callback


def sample_path(name: str, route: str) -> str:
    if name.startswith("/"):
        return name
    kwargs = {
        argument: SAMPLE_ARGUMENTS[converter or "str"]
        for converter, argument in re.findall(r"<(?:(\w+):)?(\w+)>", route)
    }
    return reverse(name, kwargs=kwargs)


PATTERNS = sorted(url_patterns())


def test_the_only_public_views_are_the_listed_ones():
    public = {name for name, _route, view in PATTERNS if not getattr(view, "login_required", True)}
    assert public == set(PUBLIC)


def test_every_url_pattern_is_walked():
    names = {name for name, _route, _view in PATTERNS}
    assert {"editions:document_detail", "editions:search", "login"} <= names
    assert len(PATTERNS) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("name", "route"),
    [(name, route) for name, route, _view in PATTERNS if name not in PUBLIC],
    ids=[name for name, _route, _view in PATTERNS if name not in PUBLIC],
)
def test_an_anonymous_request_to_a_private_url_is_sent_to_sign_in(client, method, name, route):
    path = sample_path(name, route)
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={path}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["editions:w3c_container", "editions:w3c_annotation", "editions:segment_text"]
)
def test_the_annotation_protocol_answers_an_anonymous_client_401_in_json(client, name):
    route = next(route for pattern, route, _view in PATTERNS if pattern == name)
    response = client.get(sample_path(name, route))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_the_event_stream_answers_an_anonymous_client_401(client):
    response = client.get(reverse("editions:document_events", args=["abc", "abc"]))
    assert response.status_code == 401


@pytest.mark.django_db
def test_the_sign_in_page_and_the_language_menu_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/favicon.ico").status_code == 301
    assert client.post(reverse("logout")).url == reverse("login")


@pytest.mark.django_db
def test_the_admin_sends_an_anonymous_visitor_to_its_own_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize(
    ("name", "route"),
    [(name, route) for name, route, _view in PATTERNS if not name.startswith("/")],
    ids=[name for name, _route, _view in PATTERNS if not name.startswith("/")],
)
def test_every_named_url_resolves_back_to_its_name(name, route):
    """No pattern shadows another (the nested lists keep their order)."""
    assert resolve(sample_path(name, route)).view_name == name
