"""Small helpers the page modules share."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django_htmx.http import HttpResponseClientRedirect

from ..models import Document, Edition


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """htmx requests get a client-side redirect, plain form posts a 302."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def document_or_404(edition: Edition, doc_slug: str) -> Document:
    return get_object_or_404(Document, edition=edition, slug=doc_slug)
