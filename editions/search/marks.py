"""Hits marked in text: the index returns text with ``MARK_START``/``MARK_END`` around hits,
never HTML; the caller escapes the text, then turns the marks into ``<mark>``."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Private-use characters: they do not occur in the texts, and survive HTML escaping.
MARK_START, MARK_END = "\ue000", "\ue001"


def marked_html(text: str) -> SafeString:
    """Escape the text, then turn the hit marks into ``<mark>`` elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags are added


def unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")
