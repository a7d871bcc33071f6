"""A document's page (its witnesses in aligned rows, brought in by pages), and its metadata form."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import events
from ..annotating import ensure_categories
from ..docpage import (
    PAGE_ROWS,
    document_layout,
    render_window,
    variation_bands,
    window_start,
)
from ..forms import DOCUMENT_METADATA_FIELDS, DocumentForm, DocumentPageForm
from ..fragments import cached_fragment, model_state, render_shared
from ..http import AuthenticatedHttpRequest
from ..models import Document, Role, Segment, Witness, anchor_id
from ..permissions import Abilities, document_for, document_with_witnesses
from ..versioning import StaleVersion, update_if_current
from .common import redirect_after_post

# A live refresh re-reads the rows the reader has loaded, this many at most.
MAX_REFRESH_ROWS = 400


def _page_context(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, live: bool = False
) -> dict:
    """What every view of the document's text needs: access checked, layout, chosen columns.

    ``live``: for a whole page (not a live refresh of its rows), also the newest event, read
    before anything the page shows, from which its live stream starts: a change made while
    the page loads reaches it.
    """
    edition, role, document, witnesses = document_with_witnesses(request, slug, doc_slug)
    wanted = DocumentPageForm(request.GET, witnesses=witnesses).values()
    refresh = bool(request.htmx) and wanted["fragment"] == "body"
    live_after = events.last_event_id(document.pk) if live and not refresh else None
    layout = document_layout(document, witnesses)
    shown = wanted["w"]  # the witnesses the reader chose, else all of them
    context = {
        "edition": edition,
        "document": document,
        "witnesses": witnesses,
        "shown": shown,
        "layout": layout,
        "can": Abilities(role),
        "request": request,
        "chosen": ",".join(w.slug for w in shown) if shown != witnesses else "",
        "wanted": wanted,
        "refresh": refresh,
        "live_after": live_after,
    }
    # The query that keeps the reader's choice of witnesses on every link ("w=a,b&").
    context["wq"] = urlencode({"w": context["chosen"]}) + "&" if context["chosen"] else ""
    context["switch"] = [(w, _order_with_first(shown, witnesses, w)) for w in witnesses]
    return context


def _pair_to_align(witnesses: list[Witness], layout) -> tuple[Witness, Witness] | None:
    """The original (or first witness) and the first witness not aligned with it, if any."""
    if len(witnesses) < 2:
        return None
    pivot = witnesses[0]
    loose = [w for w in witnesses[1:] if w.pk in layout.unaligned and w.revision_of_id is None]
    return (pivot, loose[0]) if loose else None


def _order_with_first(shown: list[Witness], witnesses: list[Witness], first: Witness) -> str:
    """The witnesses shown, ``first`` moved to the front (the phone's switcher shows one)."""
    order = [first, *(w for w in shown if w.pk != first.pk)]
    return ",".join(w.slug for w in order)


def _wanted_row(context: dict) -> int | None:
    """``?at=<anchor>`` (a segment's id on the page, as in ``#anchor``) or ``?row=N``."""
    wanted = context["wanted"]
    if wanted["at"] is not None:
        witness, sid = wanted["at"]
        pk = Segment.objects.filter(witness=witness, sid=sid).values_list("pk", flat=True).first()
        if pk in context["layout"].row_of:
            return context["layout"].row_of[pk]
    return wanted["row"]


@require_GET
def document_detail(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    context = _page_context(request, slug, doc_slug, live=True)
    layout, can, wanted = context["layout"], context["can"], context["wanted"]
    partial = context["refresh"]
    if partial:  # a live refresh: the rows the reader has loaded, as they are now
        start = wanted["start"] or 1
        end = min(wanted["end"] or start, start + MAX_REFRESH_ROWS - 1)
    else:
        start = window_start(layout, _wanted_row(context))
        end = start + PAGE_ROWS - 1
    context.update(
        window=render_window(context, layout, start, end),
        shown_pks=[w.pk for w in context["shown"]],
    )
    # Live readers re-read the rows they have loaded and their highlights when something changes.
    if partial:
        return render(request, "editions/document_detail.html#document-body", context)
    context["head"] = _head(request, context)
    context["categories"] = _categories(context["edition"]) if can.annotate else []
    return render(request, "editions/document_detail.html", context)


def _categories(edition) -> list:
    """The annotation form's categories: the default taxonomy first if it has none yet."""
    categories = list(edition.categories.all())
    if not categories:
        ensure_categories(edition)
        categories = list(edition.categories.all())
    return categories


def _head(request: AuthenticatedHttpRequest, context: dict) -> str:
    """The toolbar, navigator and notices: rendered once per everything they show.

    That is the layout (its key changes with the texts and alignments), the document's and
    the witnesses' fields, the reader's abilities and language, the witnesses chosen and the
    page's path; all loaded already, so a warm head costs one cache lookup and no query.
    """
    document, layout, witnesses = context["document"], context["layout"], context["witnesses"]
    parts = (
        layout.key,
        context["edition"].slug,
        model_state(document),
        [(model_state(w), w.revision_of and model_state(w.revision_of)) for w in witnesses],
        vars(context["can"]),
        context["chosen"],
        request.path,
    )

    def render_head() -> str:
        context.update(
            alignments=list(document.alignments.select_related("source", "target")),
            bands=variation_bands(layout),
            align_pair=_pair_to_align(witnesses, layout),
        )
        return render_shared("editions/document_detail.html#document-head", context)

    return cached_fragment(request, "dochead", parts, render_head)


@require_GET
def document_rows(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    """A page of rows (``?start=N``), brought in as the reader scrolls; a page of its own too."""
    context = _page_context(request, slug, doc_slug)
    start, end = context["wanted"]["start"] or 1, context["wanted"]["end"]
    # Rows above the window come with a link to those before them; rows below, after them.
    context["only_before" if end else "only_after"] = True
    end = min(end or start + PAGE_ROWS - 1, start + PAGE_ROWS - 1)
    context["window"] = render_window(context, context["layout"], start, end)
    if not request.htmx:
        return redirect(f"{context['document'].get_absolute_url()}?{_query(context, row=start)}")
    return render(request, "editions/document_rows.html#window", context)


@require_GET
def document_print(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    """Every row at once, for printing (rows come from the same cache)."""
    context = _page_context(request, slug, doc_slug)
    layout = context["layout"]
    context["window"] = render_window(context, layout, 1, len(layout.rows))
    context["print"] = True
    return render(request, "editions/document_print.html", context)


# The document search lists this many rows at most.
MAX_FOUND = 100


@require_GET
def document_find(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    """The rows whose text holds a word or phrase, each a link that jumps there."""
    context = _page_context(request, slug, doc_slug)
    context["query"] = context["wanted"]["q"]
    context["results"] = _found(request, context)
    if request.htmx:
        return HttpResponse(context["results"])
    return render(request, "editions/document_find.html", context)


def _found(request: AuthenticatedHttpRequest, context: dict) -> str:
    """The results' HTML, rendered once per query and state of the texts (the layout's key).

    The witnesses searched (and their labels and languages, which the results show) are part
    of the key: nothing else the results show depends on the reader.
    """
    query, layout = context["query"], context["layout"]
    parts = (
        layout.key,
        query,
        [(w.pk, w.slug, w.label, w.language) for w in context["shown"]],
        context["wq"],
        request.path,
    )

    def render_results() -> str:
        found = _hits(context["shown"], query, layout.row_of) if query else []
        context.update(
            found=found[:MAX_FOUND],
            more=len(found) > MAX_FOUND,
            document_url=context["document"].get_absolute_url(),
        )
        return render_shared("editions/document_find.html#results", context)

    return cached_fragment(request, "docfind", parts, render_results)


def _hits(witnesses: list[Witness], query: str, row_of: dict[int, int]) -> list[dict]:
    """Every segment of ``witnesses`` holding ``query``, in the order of the page's rows."""
    shown = {w.pk: w for w in witnesses}
    hits = (
        Segment.objects.filter(witness__in=list(shown), text__icontains=query)
        .order_by("witness_id", "position")
        .values_list("pk", "witness_id", "sid", "text")[: MAX_FOUND * 4]
    )
    found = [
        _hit(shown[witness_pk], sid, text, query, row_of[pk])
        for pk, witness_pk, sid, text in hits
        if pk in row_of
    ]
    found.sort(key=lambda hit: (hit["row"], hit["witness"].pk))
    return found


def _hit(witness: Witness, sid: str, text: str, query: str, row: int) -> dict:
    """A snippet around the first occurrence (case-insensitive)."""
    at = text.casefold().find(query.casefold())
    at = max(at, 0)
    left = max(0, at - 60)
    return {
        "witness": witness,
        "anchor": anchor_id(witness.slug, sid),
        "row": row,
        "before": ("…" if left else "") + text[left:at],
        "match": text[at : at + len(query)],
        "after": text[at + len(query) : at + len(query) + 80] + "…",
    }


def _query(context: dict, **values) -> str:
    """The page's query string: the witnesses chosen, and ``values``."""
    return context["wq"] + urlencode(values)


@require_http_methods(["GET", "POST"])
def document_edit(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, needs=Role.EDITOR)
    if request.method == "GET":
        form = DocumentForm(instance=document, initial={"version": document.version})
        return _document_form(request, edition, document, form, role)
    form = DocumentForm(request.POST, instance=Document.objects.get(pk=document.pk))
    if not form.is_valid():
        return _document_form(request, edition, document, form, role, status=400)
    values = {name: form.cleaned_data[name] for name in DOCUMENT_METADATA_FIELDS}
    try:
        update_if_current(document, form.cleaned_data["version"], **values)
    except StaleVersion:
        document.refresh_from_db()
        return _document_form(request, edition, document, form, role, status=409, conflict=document)
    messages.success(request, _("Document saved."))
    return redirect_after_post(request, document.get_absolute_url())


def _document_form(request, edition, document, form, role, *, status=200, conflict=None):
    context = {
        "edition": edition,
        "document": document,
        "form": form,
        "conflict": conflict,
        "can": Abilities(role),
    }
    if conflict is not None:
        # Let the editor start again from the current version, keeping their typed values.
        form.data = form.data.copy()
        form.data["version"] = conflict.version
        context["current_values"] = [
            (document._meta.get_field(n).verbose_name, getattr(conflict, n), form.data.get(n))
            for n in DOCUMENT_METADATA_FIELDS
        ]
    return render(request, "editions/document_edit.html", context, status=status)
