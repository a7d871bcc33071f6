from django import template
from django.utils.safestring import SafeString

from .. import search

register = template.Library()


@register.simple_tag
def marked(text: str) -> SafeString:
    """The text escaped, with the search hits it marks as ``<mark>`` elements."""
    return search.marked_html(text)
