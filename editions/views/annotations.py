"""Annotating in the browser: make, read, discuss, resolve, edit, delete and re-attach.

Annotators and above annotate and reply; authors edit and delete their own annotations and
owners moderate; readers read. Every change also reaches other readers live (``events``).
"""

from typing import Any
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from .. import events, limits
from ..annotating import (
    AnnotationError,
    Span,
    add_reply,
    create_annotation,
    delete_annotation,
    may_change,
    reattach,
    set_status,
    update_annotation,
    visible_annotations,
)
from ..http import AuthenticatedHttpRequest
from ..models import (
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Edition,
    Role,
    Segment,
    Status,
    Visibility,
)
from ..panel_cache import filter_choices, listed_annotations, rendered_items
from ..permissions import Abilities, document_for, has_role
from ..versioning import StaleVersion
from .common import render_partial_if_htmx


def _annotation(request, document: Document, pk: int) -> Annotation:
    queryset = visible_annotations(request.user, document).select_related("category", "author")
    return get_object_or_404(queryset, pk=pk)


def _spans(document: Document, raw: str) -> list[Span]:
    """Spans posted by the page as JSON: [{"segment": pk, "start": n, "end": n}, ...]."""
    try:
        items = limits.load_json(raw or "[]", _("The selection"))
    except limits.LimitExceeded as exc:
        raise AnnotationError(str(exc)) from exc
    if not isinstance(items, list):
        raise AnnotationError(_("Select some text to annotate."))
    try:
        limits.check_count(
            len(items),
            settings.ANNOTATION_MAX_SPANS,
            _("selected passages"),
            "ANNOTATION_MAX_SPANS",
        )
    except limits.LimitExceeded as exc:
        raise AnnotationError(str(exc)) from exc
    wanted = [numbers for item in items if (numbers := _span_numbers(item)) is not None]
    if len(wanted) < len(items):
        raise AnnotationError(_("Select some text to annotate."))
    segments = Segment.objects.select_related("witness").in_bulk([pk for pk, _s, _e in wanted])
    spans = []
    for pk, start, end in wanted:
        segment = segments.get(pk)
        if segment is None or segment.witness.document_id != document.pk:
            raise AnnotationError(_("The selected text is not in this document."))
        spans.append(Span(segment, start, end))
    return spans


def _span_numbers(item) -> tuple[int, int, int] | None:
    """(segment pk, start, end) from one posted passage, or None if it is not that."""
    if not isinstance(item, dict):
        return None
    pk = limits.small_int(item.get("segment"))
    start = limits.small_int(item.get("start"), minimum=0)
    end = limits.small_int(item.get("end"), minimum=0)
    return None if pk is None or start is None or end is None else (pk, start, end)


def _category(edition: Edition, raw: str | None) -> Category | None:
    if not raw:
        return None
    category = Category.objects.filter(edition=edition, pk=limits.small_int(raw) or 0).first()
    if category is None:  # not an id, or not one of this edition's: said, not ignored
        raise AnnotationError(_("Unknown category."))
    return category


def _tags(raw: str) -> list[str]:
    return [t for t in (raw or "").replace("#", " ").replace(",", " ").split() if t]


def _visibility(raw: str | None) -> str:
    return raw if raw in Visibility.values else Visibility.EDITION


def _thread_response(request, edition, role, document, annotation, status=200, extra=None):
    context = {
        "edition": edition,
        "document": document,
        "annotation": annotation,
        "targets": annotation.targets.select_related("witness", "segment"),
        "replies": annotation.replies.select_related("author"),
        "can": Abilities(role),
        "may_change": may_change(request.user, role, annotation),
        "categories": edition.categories.all(),
        **(extra or {}),
    }
    response = render_partial_if_htmx(
        request, "editions/annotation.html", "thread", context, status
    )
    return trigger_client_event(response, "annotations-changed")


@require_POST
def annotation_create(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    try:
        annotation = create_annotation(
            user=request.user,
            document=document,
            spans=_spans(document, request.POST.get("spans", "")),
            body=request.POST.get("body", ""),
            category=_category(edition, request.POST.get("category")),
            tags=_tags(request.POST.get("tags", "")),
            visibility=_visibility(request.POST.get("visibility")),
        )
    except AnnotationError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect(document)
        return HttpResponse(str(exc), status=400)
    if not request.htmx:
        return redirect(annotation)
    return _thread_response(request, edition, role, document, annotation)


@require_GET
def annotation_detail(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.READER)
    annotation = _annotation(request, document, pk)
    return _thread_response(request, edition, role, document, annotation)


@require_http_methods(["GET", "POST"])
def annotation_edit(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    annotation = _annotation(request, document, pk)
    if not may_change(request.user, role, annotation):
        raise Http404
    if request.method == "GET":
        return _thread_response(request, edition, role, document, annotation, extra={"editing": 1})
    mine: dict[str, Any] = {  # update_annotation's keywords, and the form as typed
        "body": request.POST.get("body", ""),
        "category": None,
        "tags": _tags(request.POST.get("tags", "")),
        "visibility": _visibility(request.POST.get("visibility")),
    }
    try:
        mine["category"] = _category(edition, request.POST.get("category"))
        version = limits.small_int(request.POST.get("version", ""))
        if version is None:
            raise StaleVersion(annotation)  # not a version this annotation ever had
        annotation = update_annotation(annotation, version, **mine)
    except AnnotationError as exc:  # the text as typed comes back, with the reason
        extra = {"editing": 1, "typed": mine, "edit_error": str(exc)}
        return _thread_response(request, edition, role, document, annotation, 400, extra)
    except (StaleVersion, ValueError):
        annotation.refresh_from_db()
        extra = {"editing": 1, "conflict": True, "typed": mine}
        return _thread_response(request, edition, role, document, annotation, 409, extra)
    if not request.htmx:
        return redirect(annotation)
    return _thread_response(request, edition, role, document, annotation)


@require_POST
def annotation_status(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    annotation = _annotation(request, document, pk)
    wanted = Status.RESOLVED if request.POST.get("status") == "resolved" else Status.OPEN
    annotation = set_status(annotation, wanted)
    if not request.htmx:
        return redirect(annotation)
    return _thread_response(request, edition, role, document, annotation)


@require_POST
def annotation_delete(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    annotation = _annotation(request, document, pk)
    if not may_change(request.user, role, annotation):
        raise Http404
    delete_annotation(annotation)
    if not request.htmx:
        messages.success(request, _("Annotation deleted."))
        return redirect(document)
    response = HttpResponse(format_html('<p class="muted">{}</p>', _("Annotation deleted.")))
    return trigger_client_event(response, "annotations-changed")


@require_POST
def reply_create(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    annotation = _annotation(request, document, pk)
    body = request.POST.get("body", "")
    try:
        add_reply(annotation, request.user, body)
    except AnnotationError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect(annotation)
        # The thread again, the reason above the reply as it was typed: nothing is lost.
        extra = {"reply_error": str(exc), "reply_text": body}
        return _thread_response(request, edition, role, document, annotation, 400, extra)
    if not request.htmx:
        return redirect(annotation)
    return _thread_response(request, edition, role, document, annotation)


@require_POST
def target_reattach(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    target = get_object_or_404(
        AnnotationTarget.objects.select_related("annotation"),
        pk=pk,
        annotation__in=visible_annotations(request.user, document),
    )
    if not (may_change(request.user, role, target.annotation) or has_role(role, Role.EDITOR)):
        raise Http404
    try:
        spans = _spans(document, request.POST.get("spans", ""))
        reattach(target, spans[0])
    except (AnnotationError, IndexError):
        return HttpResponse(_("Select the text to re-attach it to."), status=400)
    return _thread_response(request, edition, role, document, target.annotation)


# The side panel lists the newest annotations first, this many at a time (more as it scrolls).
MAX_LISTED = 50
# The fields an orphaned target shows.
ORPHAN_FIELDS = (
    "id", "annotation_id", "witness_id", "quote", "start",
    "annotation__id", "annotation__edition_id", "annotation__document_id",
    "witness__id", "witness__language",
)  # fmt: skip


def annotation_filters(request: AuthenticatedHttpRequest) -> dict[str, str]:
    keys = ("category", "author", "status", "witness", "tag", "mine")
    # A NUL cannot be stored, so it matches nothing; PostgreSQL refuses it in a query.
    return {k: request.GET.get(k, "").replace("\x00", "\ufffd") for k in keys}


def filtered_annotations(
    request: AuthenticatedHttpRequest, document: Document, offset: int = 0
) -> tuple[list, dict]:
    """The annotation list of the side panel, filtered as the reader asked."""
    wanted = annotation_filters(request)
    queryset = visible_annotations(request.user, document).order_by("-pk")
    if wanted["category"]:
        queryset = queryset.filter(category__slug=wanted["category"])
    if wanted["author"]:
        queryset = queryset.filter(author__username=wanted["author"])
    if wanted["status"] in Status.values:
        queryset = queryset.filter(status=wanted["status"])
    if wanted["witness"]:
        queryset = queryset.filter(targets__witness__slug=wanted["witness"]).distinct()
    if wanted["mine"]:
        mention = f"@{request.user.get_username()}"
        queryset = queryset.filter(
            Q(body__icontains=mention) | Q(replies__body__icontains=mention)
        ).distinct()
    if wanted["tag"]:
        # Tags are a JSON list, which SQLite cannot look into: compared here, on ids and tags.
        tagged = [pk for pk, tags in queryset.values_list("pk", "tags") if wanted["tag"] in tags]
        queryset = queryset.filter(pk__in=tagged)
    # One more than listed says whether more follow.
    return listed_annotations(queryset[offset : offset + MAX_LISTED + 1]), wanted


def _known_place(annotations: list, document: Document) -> list:
    """Give each annotation its document and edition, so that its URL costs no query."""
    for annotation in annotations:
        annotation.document = document
        annotation.edition = document.edition
    return annotations


@require_GET
def annotation_panel(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.READER)
    # Not a small integer (offset=10**25 overflows the database's OFFSET): from the start.
    offset = limits.small_int(request.GET.get("offset", "0"), minimum=0) or 0
    annotations, wanted = filtered_annotations(request, document, offset)
    more = len(annotations) > MAX_LISTED
    annotations = annotations[:MAX_LISTED]
    if offset and request.htmx:  # the next annotations, as the panel is scrolled
        query = {k: v for k, v in wanted.items() if v}
        context: dict[str, object] = {  # the page's below has more kinds of values
            "items": rendered_items(annotations, document),
            "more_url": _more_url(request, query, offset + MAX_LISTED) if more else "",
        }
        return render(request, "editions/annotation_panel.html#items", context)
    orphans = list(
        AnnotationTarget.objects.filter(
            annotation__in=visible_annotations(request.user, document), start__isnull=True
        )
        .select_related("annotation", "witness")
        .only(*ORPHAN_FIELDS)
        .order_by("annotation_id", "pk")  # not the models' order, which joins the documents
    )
    _known_place([target.annotation for target in orphans], document)
    context = {
        "edition": edition,
        "document": document,
        "items": rendered_items(annotations, document),
        "orphans": orphans,
        "filters": wanted,
        "categories": edition.categories.all(),
        "witnesses": document.witnesses.all(),
        "can": Abilities(role),
        "more_url": _more_url(request, {k: v for k, v in wanted.items() if v}, MAX_LISTED)
        if more
        else "",
        **filter_choices(request.user, document),
    }
    return render(request, "editions/annotation_panel.html", context)


def _more_url(request: AuthenticatedHttpRequest, filters: dict, offset: int) -> str:
    return f"{request.path}?{urlencode({**filters, 'offset': offset})}"


@require_GET
def presence(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    _edition, _role, document = document_for(request, slug, doc_slug, Role.READER)
    users = events.present_users(document.pk)
    return render(request, "editions/presence.html", {"users": users, "me": request.user})


@login_not_required  # answers 401 itself: an event stream cannot follow a redirect to a form
async def document_events(request: HttpRequest, slug: str, doc_slug: str) -> HttpResponseBase:
    """The document's live event stream (server-sent events)."""
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    _edition, _role, document = await sync_to_async(document_for)(
        request, slug, doc_slug, Role.READER
    )
    after = request.headers.get("Last-Event-ID") or request.GET.get("after")
    after_id = await sync_to_async(events.resume_point)(document.pk, after)
    if not isinstance(request, ASGIRequest):
        answer = await sync_to_async(events.poll_once)(document.pk, user.pk, after_id)
        response: HttpResponseBase = HttpResponse(answer, content_type="text/event-stream")
        response["Cache-Control"] = "no-cache"
        return response
    response = StreamingHttpResponse(
        events.stream(document.pk, user.pk, after_id), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the events back
    return response
