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
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "class"}, "span": {"class"}}
MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")


def render_markdown(text: str, mentions: list[str] | tuple[str, ...] = ()) -> str:
    """Safe HTML of a note; each @name of ``mentions`` (members) becomes a link to them."""
    html = _link_mentions(_markdown.render(text), set(mentions))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# Markup between text runs, and the elements whose text is never linked (already a link, code).
_TAG = re.compile(r"(<[^>]*>)")
_NO_LINKS = re.compile(r"<(/?)(a|code|pre)\b", re.IGNORECASE)


def _link_mentions(html: str, names: set[str]) -> str:
    """Wrap @name in a link to the member's page, in text only (not inside links or code)."""
    if not names:
        return html
    from django.urls import reverse  # markup stays importable without Django's URLs

    depth = 0
    parts = _TAG.split(html)
    for n, part in enumerate(parts):
        if n % 2:  # a tag
            opening = _NO_LINKS.match(part)
            if opening:
                depth += -1 if opening.group(1) else 1
            continue
        if depth == 0:
            parts[n] = MENTION.sub(lambda m: _mention_link(m, names, reverse), part)
    return "".join(parts)


def _mention_link(match: re.Match, names: set[str], reverse) -> str:
    name = match.group(1).rstrip(".")
    if name not in names:
        return match.group(0)
    url = reverse("editions:member_page", args=[name])
    rest = match.group(1)[len(name) :]
    return f'<a class="mention" href="{url}">@{name}</a>{rest}'


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
