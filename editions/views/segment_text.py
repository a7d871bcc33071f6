"""A segment's text as a resource of its own: what W3C annotation selectors select in.

The annotations' JSON-LD names this IRI as each target's ``source``, so a client that
fetches it gets exactly the text the ``TextPositionSelector`` offsets count in (the
document page around the segment also holds its label, buttons and note calls).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods

from ..http import AuthenticatedHttpRequest
from ..models import Segment
from ..permissions import document_for
from .protocol_auth import protocol_endpoint

TEXT_LINKS = '<http://www.w3.org/ns/ldp#NonRDFSource>; rel="type"'


@protocol_endpoint(TEXT_LINKS)
@require_http_methods(["GET", "HEAD", "OPTIONS"])
def segment_text(
    request: AuthenticatedHttpRequest, slug: str, doc_slug: str, witness_slug: str, sid: str
) -> HttpResponse:
    edition, _role, document = document_for(request, slug, doc_slug)
    segment = get_object_or_404(
        Segment, witness__document=document, witness__slug=witness_slug, sid=sid
    )
    if request.method == "OPTIONS":
        return HttpResponse(status=200, headers={"Allow": "GET, HEAD, OPTIONS"})
    return HttpResponse(segment.text, content_type="text/plain; charset=utf-8")
