from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from ..models import Segment
from ..rendering import segment_html

register = template.Library()


@register.simple_tag
def segment_text(segment: Segment, marks: dict | None = None) -> SafeString:
    """The segment's text; ``marks`` maps segment pks to the annotation targets to show."""
    return segment_html(segment, marks.get(segment.pk, ()) if marks else ())


@register.simple_tag
def annotation_count(counts: dict | None, segment: Segment) -> SafeString | str:
    """The margin badge: how many annotations a paragraph has; it opens the first."""
    count, first = (counts or {}).get(segment.pk, (0, None))
    if not count:
        return ""
    return format_html(
        '<button type="button" class="anno-count" data-annotations="{}" title="{}">{}</button>',
        first,
        ngettext("%(count)s annotation", "%(count)s annotations", count) % {"count": count},
        count,
    )


@register.simple_tag
def metadata_row(label: str, value) -> SafeString | str:
    """A <dt>/<dd> pair, or nothing when the field is empty."""
    if value in (None, ""):
        return ""
    return format_html("<dt>{}</dt><dd>{}</dd>", label, value)


@register.filter
def passage_url(document, anchor: str) -> str:
    """The document page opened at the passage ``anchor`` (`Document.passage_url`)."""
    return document.passage_url(anchor)


@register.filter
def index(sequence, position: int):
    """``items|index:n``: the n-th item (for walking two parallel lists in a template)."""
    return sequence[position]
