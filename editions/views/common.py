"""Small helpers the page modules share."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_htmx.http import HttpResponseClientRedirect

from ..http import HtmxHttpRequest
from ..models import Document, Edition, Witness, WitnessRole


def redirect_after_post(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """htmx requests get a client-side redirect, plain form posts a 302."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def document_and_witnesses(edition: Edition, doc_slug: str) -> tuple[Document, list[Witness]]:
    """The document and its witnesses, the original first, in one query (every page of a
    document's text asks for both); a document without a witness yet costs a second one."""
    witnesses = list(
        Witness.objects.filter(document__edition=edition, document__slug=doc_slug)
        .select_related("document", "revision_of")
        .order_by("pk")
    )
    if not witnesses:
        document = get_object_or_404(Document, edition=edition, slug=doc_slug)
        document.edition = edition  # known already: its URLs cost no query
        return document, []
    document = witnesses[0].document
    for witness in witnesses:
        witness.document = document  # one instance, as the document's own queries give
    document.edition = edition  # known already: its URLs cost no query
    witnesses.sort(key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))
    return document, witnesses


def render_partial_if_htmx(
    request: HtmxHttpRequest, template_name: str, partial: str, context: dict, status: int = 200
) -> HttpResponse:
    """The whole page, or for an htmx request only its ``partial`` (django-htmx's partial
    rendering: one template, the fragment a swap needs defined in it with ``partialdef``)."""
    if request.htmx:
        template_name = f"{template_name}#{partial}"
    return render(request, template_name, context, status=status)
