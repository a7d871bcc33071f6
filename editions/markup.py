"""Markdown notes rendered to safe HTML, and @mentions picked out of them.

Bodies are rendered with markdown-it (raw HTML disabled) and then sanitized with nh3, which
keeps only the tags and attributes listed here: no script, no event handler attribute, no
``javascript:`` or ``data:`` link survives.
"""

import html
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "h3",
    "h4",
    "span",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}}
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def render_markdown(text: str) -> str:
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def plain_text(text: str) -> str:
    """A note's words without its Markdown (``**Khrushchev**`` -> ``Khrushchev``), on one
    line: for a search result or a list, where the note is quoted rather than shown. Any
    character outside the markup survives, the search's highlight marks included."""
    stripped = nh3.clean(_markdown.render(text), tags=set())
    return " ".join(html.unescape(stripped).split())


def mentioned(text: str, usernames: set[str]) -> list[str]:
    """The members named as @username in ``text``, in order, each once."""
    found: list[str] = []
    for name in MENTION.findall(text):
        name = name.rstrip(".")
        if name in usernames and name not in found:
            found.append(name)
    return found
