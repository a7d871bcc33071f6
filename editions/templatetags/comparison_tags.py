"""Tags for comparing and editing texts on the document page and the comparison page.

They run once per segment or per row of pages that show hundreds of them, so they build their
small pieces of HTML in Python, with the translated words looked up and escaped once per page
(``_words``), rather than through includes, ``{% url %}`` and ``format_html`` each time, which
cost several times more.
"""

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..models import Segment

register = template.Library()


def _words(context) -> dict[str, str]:
    """The page's translated words, escaped (once per render)."""
    words = context.render_context.get("comparison_words")
    if words is None:
        words = context.render_context["comparison_words"] = {
            "edit": escape(_("Edit")),
            "edit_sid": escape(_("Edit %(sid)s")),
            "history": escape(_("History")),
            "history_sid": escape(_("History of %(sid)s")),
            "saved": escape(_("Saved: version %(version)s")),
        }
    return words


@register.filter
def sid_links(segments: list[Segment], base_url: str) -> SafeString:
    """``row.pair.a|sid_links:segment_urls.a``: each segment's id, a link to its history."""
    return format_html_join(
        " ", '<a href="{}{}/history/">{}</a>', ((base_url, s.sid, s.sid) for s in segments)
    )


@register.simple_tag(takes_context=True)
def segment_tools(context, segment: Segment) -> SafeString | str:
    """Edit (swapped in place by htmx, a page without JavaScript) and History, for editors.

    The page a save leads back to names the saved segment (``?saved=``), which says so.
    """
    can = context.get("can")
    if can is None or not can.edit:
        return ""
    words = _words(context)
    base = _segment_base_url(context, segment)
    sid = escape(segment.sid)
    edit_url, history_url = f"{base}{sid}/edit/", f"{base}{sid}/history/"
    request = context.get("request")
    status = ""
    if request is not None and request.GET.get("saved") == segment.anchor_id:
        saved = words["saved"] % {"version": segment.version}
        status = f'<span class="saved" role="status">{saved}</span> '
    return mark_safe(  # noqa: S308 - URLs, ids and words escaped above
        f'<span class="segment-tools">{status}<a class="edit-segment" href="{edit_url}" '
        f'hx-get="{edit_url}" hx-target="closest .segment" hx-swap="outerHTML" '
        f'aria-label="{words["edit_sid"] % {"sid": sid}}">{words["edit"]}</a> '
        f'<a class="segment-history" href="{history_url}" '
        f'aria-label="{words["history_sid"] % {"sid": sid}}">{words["history"]}</a></span>'
    )


def segment_base_url(edition, document, witness) -> str:
    """ "…/w/<witness>/s/": where the witness's segment pages start (add "<sid>/edit/")."""
    history = reverse(
        "editions:segment_history", args=[edition.slug, document.slug, witness.slug, "sid"]
    )
    return history.removesuffix("sid/history/")


def _segment_base_url(context, segment: Segment) -> str:
    """The segment's witness's base URL (escaped), reversed once per page and witness."""
    bases = context.render_context.setdefault("segment_base_urls", {})
    witness = segment.witness
    if witness.pk not in bases:
        url = segment_base_url(context["edition"], context["document"], witness)
        bases[witness.pk] = escape(url)
    return bases[witness.pk]
