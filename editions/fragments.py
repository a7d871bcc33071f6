"""Rendered parts of pages, cached under everything they show, served to every reader alike.

A page's heavy part (the document page's toolbar and navigator, the comparison's rows, the
results of a find) is the same for every reader with the same role and language while the
texts it shows stay as they are; rendering it costs more than all of the page's queries. Its
HTML is cached under a digest of everything it is made of (the caller passes those values,
already loaded: a key costs no query), so any change to them is a new key and a read is one
cache lookup.

What differs between readers stays out of the cache: the page's shell (the user's name, the
inbox, the messages) is rendered per request, and a fragment's forms are rendered with a
placeholder instead of the CSRF token, which is put in per request (a token is the reader's
own: never served to another).
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

FRAGMENT_TIMEOUT = 24 * 3600
# Stands for the CSRF token in cached HTML (letters only: HTML escaping leaves it as it is).
CSRF_PLACEHOLDER = "CSRFTOKENPLACEHOLDERd41d8cd98f00b204"
# Bump when a cached fragment's template changes in a way its key does not show.
VERSION = 1


def fragment_key(name: str, parts) -> str:
    """The cache key of fragment ``name`` made of ``parts``, in the active language."""
    parts = repr((VERSION, get_language(), parts)).encode()
    digest = hashlib.sha1(parts, usedforsecurity=False).hexdigest()  # a cache key, not a secret
    return f"fragment:{name}:{digest}"


def cached_fragment(
    request: HttpRequest, name: str, parts, render: Callable[[], str]
) -> SafeString:
    """The HTML ``render()`` returns, cached under ``parts``, with this reader's CSRF token."""
    key = fragment_key(name, parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by a template, escaped there


def render_shared(template: str, context: dict) -> str:
    """``template`` rendered for any reader: its CSRF tokens are the placeholder."""
    return render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER})


def model_state(instance) -> tuple:
    """Every stored field's value: what a fragment showing ``instance`` is keyed on."""
    return tuple(getattr(instance, f.attname) for f in instance._meta.concrete_fields)
