"""The W3C Web Annotation Protocol: one annotation container per witness.

GET the container (an AnnotationCollection, paged), POST an annotation to it (201 with its
Location), GET, PUT (with If-Match) or DELETE an annotation at its own IRI. Same
permissions as the pages: readers read, annotators post, authors and owners change.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from .. import limits
from ..anchoring import anchor
from ..annotating import (
    AnnotationError,
    Span,
    StaleAnnotation,
    create_annotation,
    delete_annotation,
    may_change,
    update_annotation,
    visible_annotations,
)
from ..models import Role, Witness
from ..permissions import edition_for, has_role
from ..w3c import (
    MEDIA_TYPE,
    PAGE_SIZE,
    ProtocolError,
    annotation_iri,
    annotation_json,
    collection_json,
    find_category,
    page_json,
    parse_annotation,
)
from .common import document_or_404

CONTAINER_LINKS = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
RESOURCE_LINKS = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'


def _witness(request: HttpRequest, slug: str, doc_slug: str, witness_slug: str, needs: Role):
    edition, role = edition_for(request, slug, needs=needs)
    document = document_or_404(edition, doc_slug)
    return role, get_object_or_404(Witness, document=document, slug=witness_slug)


def _json_response(data: dict, status: int = 200, **headers) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = HttpResponse(body, status=status, content_type=MEDIA_TYPE)
    response["ETag"] = '"%s"' % hashlib.sha256(body.encode()).hexdigest()[:32]  # noqa: UP031
    response["Vary"] = "Accept, Prefer"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _witness_annotations(request: HttpRequest, witness: Witness):
    return (
        visible_annotations(request.user, witness.document)
        .filter(targets__witness=witness)
        .distinct()
        .select_related("category", "author")
        .prefetch_related("targets__segment__witness")
        .order_by("pk")
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
def container(request: HttpRequest, slug: str, doc_slug: str, witness_slug: str) -> HttpResponse:
    needs = Role.ANNOTATOR if request.method == "POST" else Role.READER
    _role, witness = _witness(request, slug, doc_slug, witness_slug, needs)
    allow = {"Allow": "GET, HEAD, POST, OPTIONS", "Accept_Post": MEDIA_TYPE}
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"], response["Accept-Post"] = allow["Allow"], MEDIA_TYPE
        return response
    if request.method == "POST":
        return _create(request, witness)
    annotations = _witness_annotations(request, witness)
    total = annotations.count()
    if "page" in request.GET:
        return _page(request, witness, annotations, total, allow)
    first = None
    if "PreferContainedIRIs" not in request.headers.get("Prefer", ""):
        first = page_json(request, witness, list(annotations[:PAGE_SIZE]), 0, total)
    return _json_response(
        collection_json(request, witness, first, total), Link=CONTAINER_LINKS, **allow
    )


def _page(request, witness, annotations, total, allow) -> HttpResponse:
    page = limits.small_int(request.GET["page"], minimum=0)
    if page is None:
        return _error(400, f"page must be a number from 0 to {limits.MAX_ID}")
    if page < 0 or (page * PAGE_SIZE >= total and page != 0):
        raise Http404("No such page.")
    items = list(annotations[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    return _json_response(page_json(request, witness, items, page, total), **allow)


def _spans(targets) -> list[Span]:
    spans = []
    for segment, selectors in targets:
        found = anchor(segment.text, selectors)
        if found is None:
            raise ProtocolError("A target's selectors match nothing in its segment's text.")
        spans.append(Span(segment, *found))
    return spans


def _posted_annotation(request: HttpRequest, witness: Witness) -> dict:
    """The posted annotation, parsed once its size, depth and number of targets are checked."""
    data = limits.request_json(request, "The annotation")
    if isinstance(data, dict) and isinstance(data.get("target"), list):
        limits.check_count(
            len(data["target"]),
            settings.ANNOTATION_MAX_TARGETS,
            "targets",
            "ANNOTATION_MAX_TARGETS",
        )
    return parse_annotation(data, witness)


def _create(request: HttpRequest, witness: Witness) -> HttpResponse:
    try:
        parsed = _posted_annotation(request, witness)
        annotation = create_annotation(
            user=request.user,
            document=witness.document,
            spans=_spans(parsed["targets"]),
            body=parsed["body"],
            category=find_category(witness, parsed.get("category")),
            tags=parsed["tags"],
        )
    except limits.LimitExceeded as exc:
        return _error(exc.status, str(exc))
    except (ValueError, ProtocolError, AnnotationError) as exc:
        return _error(400, str(exc))
    iri = annotation_iri(request, witness, annotation)
    return _json_response(
        annotation_json(request, witness, annotation),
        201,
        Location=iri,
        Link=RESOURCE_LINKS,
        Allow="GET, HEAD, PUT, DELETE, OPTIONS",
    )


@login_required
@require_http_methods(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
def resource(
    request: HttpRequest, slug: str, doc_slug: str, witness_slug: str, pk: int
) -> HttpResponse:
    needs = Role.READER if request.method in ("GET", "HEAD", "OPTIONS") else Role.ANNOTATOR
    role, witness = _witness(request, slug, doc_slug, witness_slug, needs)
    annotation = get_object_or_404(_witness_annotations(request, witness), pk=pk)
    headers = {"Link": RESOURCE_LINKS, "Allow": "GET, HEAD, PUT, DELETE, OPTIONS"}
    current = _json_response(annotation_json(request, witness, annotation), **headers)
    if request.method == "OPTIONS":
        return HttpResponse(status=204, headers={"Allow": headers["Allow"]})
    if request.method in ("GET", "HEAD"):
        return current
    if not (may_change(request.user, role, annotation) or has_role(role, Role.OWNER)):
        return _error(403, "Only the author or an owner may change this annotation.")
    if_match = request.headers.get("If-Match")
    if request.method == "PUT" and not if_match:
        return _error(428, "Send If-Match with the annotation's ETag.")
    if if_match and if_match != current["ETag"]:
        return _error(412, "The annotation changed since that ETag.")
    if request.method == "DELETE":
        delete_annotation(annotation)
        return HttpResponse(status=204)
    return _update(request, witness, annotation, headers)


def _update(request, witness, annotation, headers) -> HttpResponse:
    try:
        parsed = _posted_annotation(request, witness)
        annotation = update_annotation(
            annotation,
            annotation.version,
            body=parsed["body"],
            category=find_category(witness, parsed.get("category")),
            tags=parsed["tags"],
            visibility=annotation.visibility,
        )
    except limits.LimitExceeded as exc:
        return _error(exc.status, str(exc))
    except (ValueError, ProtocolError) as exc:
        return _error(400, str(exc))
    except StaleAnnotation:
        return _error(412, "The annotation changed meanwhile.")
    return _json_response(annotation_json(request, witness, annotation), **headers)
