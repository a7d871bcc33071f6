"""Bounded cost: the limits on every size a client chooses, checked before the work starts.

Each check raises ``LimitExceeded`` with a message that names the limit (and the setting that
holds it, see the README); views answer it with ``status`` (400, or 413 for a body too large).
JSON is measured before it is parsed: its size, then its nesting depth by a linear scan, so
that ``[[[[…`` never reaches the recursive parser.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

# Ids and page numbers are small integers: PostgreSQL's integer columns stop below 2**31.
MAX_ID = 2**31 - 1


class LimitExceeded(ValueError):
    """Input over a limit, or malformed; the message says which and how to fix it."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def small_int(raw: Any, *, minimum: int = 1) -> int | None:
    """``raw`` as an integer from ``minimum`` to ``MAX_ID``, else None (not a usable id)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().lstrip("-").isdigit():
        text = raw.strip()
        if len(text) > 12:  # longer than any id: no need to convert it
            return None
        value = int(text)
    else:
        return None
    return value if minimum <= value <= MAX_ID else None


def check_length(text: str, limit: int, what: str, setting: str) -> None:
    if len(text) > limit:
        raise LimitExceeded(
            _("%(what)s is %(length)s characters long; the limit is %(max)s (%(setting)s).")
            % {"what": what, "length": len(text), "max": limit, "setting": setting}
        )


def check_count(count: int, limit: int, what: str, setting: str) -> None:
    if count > limit:
        raise LimitExceeded(
            _("There are %(count)s %(what)s; the limit is %(max)s (%(setting)s).")
            % {"count": count, "what": what, "max": limit, "setting": setting}
        )


def check_no_nul(*texts: str) -> None:
    if any("\x00" in text for text in texts):
        raise LimitExceeded(_("The text contains a NUL character (U+0000): remove it."))


# Strings (whose brackets do not count) and the brackets themselves, in one linear pass.
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth(text: str) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a bare value)."""
    depth = deepest = 0
    for match in _JSON_NESTING.finditer(text):
        piece = match.group()
        if piece in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif piece in "]}":
            depth -= 1
    return deepest


def load_json(raw: bytes | str, what: str) -> Any:
    """Parse JSON after checking its size and depth (``JSON_MAX_BYTES``, ``JSON_MAX_DEPTH``)."""
    size = len(raw)
    if size > settings.JSON_MAX_BYTES:
        raise LimitExceeded(
            _("%(what)s is %(size)s bytes; the limit is %(max)s bytes (JSON_MAX_BYTES).")
            % {"what": what, "size": size, "max": settings.JSON_MAX_BYTES},
            status=413,
        )
    try:
        text = raw.decode() if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise LimitExceeded(_("%(what)s is not UTF-8 text.") % {"what": what}) from exc
    depth = json_depth(text)
    if depth > settings.JSON_MAX_DEPTH:
        raise LimitExceeded(
            _("%(what)s nests %(depth)s levels deep; the limit is %(max)s (JSON_MAX_DEPTH).")
            % {"what": what, "depth": depth, "max": settings.JSON_MAX_DEPTH}
        )
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise LimitExceeded(_("%(what)s is not valid JSON.") % {"what": what}) from exc


def request_json(request: HttpRequest, what: str) -> Any:
    """The request's JSON body, refused by its declared length before it is read."""
    declared = small_int(request.META.get("CONTENT_LENGTH") or "0", minimum=0)
    if declared is None or declared > settings.JSON_MAX_BYTES:
        raise LimitExceeded(
            _("%(what)s is too large; the limit is %(max)s bytes (JSON_MAX_BYTES).")
            % {"what": what, "max": settings.JSON_MAX_BYTES},
            status=413,
        )
    return load_json(request.body or b"null", what)


def check_annotation(body: str, tags: list[str], spans: int) -> None:
    """An annotation's note, tags and number of selected passages (or W3C targets)."""
    check_length(
        body, settings.ANNOTATION_BODY_MAX_CHARS, _("The note"), "ANNOTATION_BODY_MAX_CHARS"
    )
    check_count(len(tags), settings.ANNOTATION_MAX_TAGS, _("tags"), "ANNOTATION_MAX_TAGS")
    for tag in tags:
        check_length(tag, settings.TAG_MAX_CHARS, _("A tag"), "TAG_MAX_CHARS")
    check_count(
        spans, settings.ANNOTATION_MAX_SPANS, _("selected passages"), "ANNOTATION_MAX_SPANS"
    )
