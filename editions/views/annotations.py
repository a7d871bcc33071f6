"""Annotating in the browser: make, read, discuss, resolve, edit, delete and re-attach.

Annotators and above annotate and reply; authors edit and delete their own annotations and
owners moderate; readers read. Every change also reaches other readers live (``events``).
"""

from typing import Any
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Q
from django.forms import Form
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

from .. import events
from ..annotating import (
    AnnotationError,
    add_reply,
    create_annotation,
    delete_annotation,
    may_change,
    reattach,
    set_status,
    update_annotation,
    visible_annotations,
)
from ..forms import (
    AnnotationEditForm,
    NewAnnotationForm,
    PanelForm,
    ReplyForm,
    SelectionForm,
    StatusForm,
    first_error,
)
from ..http import AuthenticatedHttpRequest
from ..models import (
    Annotation,
    AnnotationTarget,
    Document,
    Edition,
    Role,
    Status,
)
from ..panel_cache import filter_choices, listed_annotations, rendered_items
from ..permissions import Abilities, document_for, has_role
from ..versioning import StaleVersion
from .common import render_partial_if_htmx


def _annotation_for(
    request: AuthenticatedHttpRequest,
    slug: str,
    doc_slug: str,
    pk: int,
    needs: Role,
    *,
    changing=False,
) -> tuple[Edition, Role, Document, Annotation]:
    """The annotation, if the user may see it (and, ``changing``, edit or delete it)."""
    edition, role, document = document_for(request, slug, doc_slug, needs)
    queryset = visible_annotations(request.user, document).select_related("category", "author")
    annotation = get_object_or_404(queryset, pk=pk)
    if changing and not may_change(request.user, role, annotation):
        raise Http404
    return edition, role, document, annotation


def _cleaned(form: Form) -> dict[str, Any]:
    """The form's values, or the first thing wrong with them, said as the annotating layer
    says its own refusals."""
    if not form.is_valid():
        raise AnnotationError(first_error(form))
    return form.cleaned_data


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


def _changed(request, edition, role, document, annotation) -> HttpResponse:
    """After a change: the thread (htmx), or a plain form post's redirect to its page."""
    if not request.htmx:
        return redirect(annotation)
    return _thread_response(request, edition, role, document, annotation)


@require_POST
def annotation_create(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.ANNOTATOR)
    form = NewAnnotationForm(request.POST, edition=edition, document=document)
    try:
        annotation = create_annotation(user=request.user, document=document, **_cleaned(form))
    except AnnotationError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect(document)
        return HttpResponse(str(exc), status=400)
    return _changed(request, edition, role, document, annotation)


@require_GET
def annotation_detail(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document, annotation = _annotation_for(request, slug, doc_slug, pk, Role.READER)
    return _thread_response(request, edition, role, document, annotation)


@require_http_methods(["GET", "POST"])
def annotation_edit(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document, annotation = _annotation_for(
        request, slug, doc_slug, pk, Role.ANNOTATOR, changing=True
    )
    if request.method == "GET":
        return _thread_response(request, edition, role, document, annotation, extra={"editing": 1})
    form = AnnotationEditForm(request.POST, edition=edition)
    form.is_valid()
    mine = form.typed()
    try:
        if "category" in form.errors:
            raise AnnotationError(form.errors["category"][0])
        version = form.cleaned_data.get("version")
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
    return _changed(request, edition, role, document, annotation)


@require_POST
def annotation_status(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document, annotation = _annotation_for(
        request, slug, doc_slug, pk, Role.ANNOTATOR
    )
    annotation = set_status(annotation, StatusForm(request.POST).values()["status"])
    return _changed(request, edition, role, document, annotation)


@require_POST
def annotation_delete(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, pk: int
) -> HttpResponse:
    edition, role, document, annotation = _annotation_for(
        request, slug, doc_slug, pk, Role.ANNOTATOR, changing=True
    )
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
    edition, role, document, annotation = _annotation_for(
        request, slug, doc_slug, pk, Role.ANNOTATOR
    )
    body = _cleaned(ReplyForm(request.POST))["body"]
    try:
        add_reply(annotation, request.user, body)
    except AnnotationError as exc:
        if not request.htmx:
            messages.error(request, str(exc))
            return redirect(annotation)
        # The thread again, the reason above the reply as it was typed: nothing is lost.
        extra = {"reply_error": str(exc), "reply_text": body}
        return _thread_response(request, edition, role, document, annotation, 400, extra)
    return _changed(request, edition, role, document, annotation)


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
        spans = _cleaned(SelectionForm(request.POST, document=document))["spans"]
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


def filtered_annotations(
    request: AuthenticatedHttpRequest, document: Document, wanted: dict[str, str], offset: int = 0
) -> list:
    """The annotation list of the side panel, filtered as the reader asked."""
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
    return listed_annotations(queryset[offset : offset + MAX_LISTED + 1])


def _known_place(annotations: list, document: Document) -> list:
    """Give each annotation its document and edition, so that its URL costs no query."""
    for annotation in annotations:
        annotation.document = document
        annotation.edition = document.edition
    return annotations


@require_GET
def annotation_panel(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document = document_for(request, slug, doc_slug, Role.READER)
    panel = PanelForm(request.GET)
    offset, wanted = panel.values()["offset"], panel.filters()
    annotations = filtered_annotations(request, document, wanted, offset)
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
