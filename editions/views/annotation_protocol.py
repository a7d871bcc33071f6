"""The W3C Web Annotation Protocol: one annotation container per witness.

GET the container (an AnnotationCollection, paged; the ``Prefer`` header chooses a minimal
container, the annotations' IRIs or their descriptions), POST an annotation to it (201 with
its Location; ``Slug`` names it, ``canonical`` is kept, a client's ``id`` goes to ``via``),
GET, PUT (with If-Match) or DELETE an annotation at its own IRI. Same permissions as the
pages: readers read, annotators post, authors and owners change. Clients authenticate with
a personal API token or a browser session (``protocol_auth``).
"""

import hashlib
import json
import re

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from .. import limits
from ..anchoring import anchor
from ..annotating import (
    AnnotationError,
    Span,
    create_annotation,
    delete_annotation,
    may_change,
    update_annotation,
    visible_annotations,
)
from ..forms import ContainerPageForm, first_error
from ..models import Annotation, Role, Witness
from ..permissions import has_role, witness_for
from ..versioning import StaleVersion
from ..w3c import (
    MEDIA_TYPE,
    PAGE_SIZE,
    ProtocolError,
    annotation_iri,
    annotation_json,
    collection_json,
    container_iri,
    find_category,
    page_json,
    parse_annotation,
)
from .protocol_auth import json_error, protocol_endpoint

CONTAINER_LINKS = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
RESOURCE_LINKS = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
CONTAINER_METHODS = "GET, HEAD, POST, OPTIONS"
RESOURCE_METHODS = "GET, HEAD, PUT, DELETE, OPTIONS"
# The container representations a client may prefer (LDP and the annotation vocabulary).
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
_PREFER_INCLUDE = re.compile(r'include\s*=\s*"([^"]*)"')


def _json_response(data: dict, status: int = 200, /, **headers: str) -> HttpResponse:
    """``data`` as JSON-LD; ``headers`` by name, ``_`` for ``-`` (``status`` is never one)."""
    body = json.dumps(data, ensure_ascii=False, indent=1)
    response = HttpResponse(body, status=status, content_type=MEDIA_TYPE)
    response["ETag"] = _etag(body)
    response["Vary"] = "Accept, Prefer"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _etag(body: str) -> str:
    return '"%s"' % hashlib.sha256(body.encode()).hexdigest()[:32]  # noqa: UP031


def _error(status: int, message: str) -> HttpResponse:
    return json_error(status, message)


def _witness_annotations(request: HttpRequest, witness: Witness):
    return (
        visible_annotations(request.user, witness.document)
        .filter(targets__witness=witness)
        .distinct()
        .select_related("category", "author")
        .prefetch_related("targets__segment__witness")
        .order_by("pk")
    )


def _preferred(request: HttpRequest) -> set[str]:
    """The representations the client's ``Prefer: return=representation`` includes."""
    prefer = request.headers.get("Prefer", "")
    if "return=representation" not in prefer:
        return set()
    return {iri for match in _PREFER_INCLUDE.findall(prefer) for iri in match.split()}


@protocol_endpoint(CONTAINER_LINKS)
@require_http_methods(["GET", "HEAD", "POST", "OPTIONS"])
def container(request: HttpRequest, slug: str, doc_slug: str, witness_slug: str) -> HttpResponse:
    needs = Role.ANNOTATOR if request.method == "POST" else Role.READER
    _edition, _role, _document, witness = witness_for(request, slug, doc_slug, witness_slug, needs)
    headers = {"Link": CONTAINER_LINKS, "Allow": CONTAINER_METHODS, "Accept_Post": MEDIA_TYPE}
    if request.method == "OPTIONS":
        return HttpResponse(
            status=200, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )
    if request.method == "POST":
        return _create(request, witness)
    annotations = _witness_annotations(request, witness)
    total = annotations.count()
    preferred = _preferred(request)
    iris_only = PREFER_IRIS in preferred
    if "page" in request.GET:
        return _page(request, witness, annotations, total, iris_only, headers)
    first = None
    if PREFER_MINIMAL not in preferred:
        first = page_json(request, witness, list(annotations[:PAGE_SIZE]), 0, total, iris_only)
    if preferred:
        headers["Preference_Applied"] = "return=representation"
    return _json_response(
        collection_json(request, witness, first, total),
        Content_Location=container_iri(request, witness),
        **headers,
    )


def _page(request, witness, annotations, total, iris_only, headers) -> HttpResponse:
    form = ContainerPageForm(request.GET)
    if not form.is_valid():
        return _error(400, first_error(form))
    page = form.cleaned_data["page"]
    if page < 0 or (page * PAGE_SIZE >= total and page != 0):
        raise Http404("No such page.")
    items = list(annotations[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    data = page_json(request, witness, items, page, total, iris_only)
    return _json_response(data, Content_Location=data["id"], **headers)


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


def _slug(request: HttpRequest, witness: Witness) -> str:
    """The client's ``Slug``, when it makes a free name (not a number, which pks use)."""
    wanted = slugify(request.headers.get("Slug", ""))[:100]
    if not wanted or wanted.isdigit():
        return ""
    if Annotation.objects.filter(document=witness.document, slug=wanted).exists():
        return ""  # taken: the server names it (the protocol lets it)
    return wanted


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
            motivation=parsed["motivation"],
            extra={
                "slug": _slug(request, witness),
                "canonical": parsed["canonical"],
                "via": [parsed["via"]] if parsed["via"] else [],
            },
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
        Content_Location=iri,
        Link=RESOURCE_LINKS,
        Allow=RESOURCE_METHODS,
    )


def _annotation_or_404(request: HttpRequest, witness: Witness, key: str) -> Annotation:
    lookup = Q(pk=int(key)) if key.isdigit() else Q(slug=key)
    return get_object_or_404(_witness_annotations(request, witness), lookup)


def _if_match(header: str, etag: str) -> bool:
    """If-Match: "*" (any current representation), or one of the listed ETags."""
    tags = [t.strip() for t in header.split(",")]
    return "*" in tags or etag in tags or f"W/{etag}" in tags


@protocol_endpoint(RESOURCE_LINKS)
@require_http_methods(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"])
def resource(
    request: HttpRequest, slug: str, doc_slug: str, witness_slug: str, key: str
) -> HttpResponse:
    needs = Role.READER if request.method in ("GET", "HEAD", "OPTIONS") else Role.ANNOTATOR
    _edition, role, _document, witness = witness_for(request, slug, doc_slug, witness_slug, needs)
    annotation = _annotation_or_404(request, witness, key)
    headers = {"Link": RESOURCE_LINKS, "Allow": RESOURCE_METHODS}
    if request.method == "OPTIONS":
        return HttpResponse(status=200, headers=headers)
    current = _json_response(annotation_json(request, witness, annotation), **headers)
    if request.method in ("GET", "HEAD"):
        return current
    if not (may_change(request.user, role, annotation) or has_role(role, Role.OWNER)):
        return _error(403, "Only the author or an owner may change this annotation.")
    if_match = request.headers.get("If-Match")
    if request.method == "PUT" and not if_match:
        return _error(428, "Send If-Match with the annotation's ETag.")
    if if_match and not _if_match(if_match, current["ETag"]):
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
            spans=_spans(parsed["targets"]),
            motivation=parsed["motivation"],
        )
    except limits.LimitExceeded as exc:
        return _error(exc.status, str(exc))
    except (ValueError, ProtocolError, AnnotationError) as exc:
        return _error(400, str(exc))
    except StaleVersion:
        return _error(412, "The annotation changed meanwhile.")
    iri = annotation_iri(request, witness, annotation)
    return _json_response(
        annotation_json(request, witness, annotation), Content_Location=iri, **headers
    )
