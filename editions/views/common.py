"""Small helpers the page modules share."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from ..http import HtmxHttpRequest


def redirect_after_post(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """htmx requests get a client-side redirect, plain form posts a 302."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def render_partial_if_htmx(
    request: HtmxHttpRequest, template_name: str, partial: str, context: dict, status: int = 200
) -> HttpResponse:
    """The whole page, or for an htmx request only its ``partial`` (django-htmx's partial
    rendering: one template, the fragment a swap needs defined in it with ``partialdef``)."""
    if request.htmx:
        template_name = f"{template_name}#{partial}"
    return render(request, template_name, context, status=status)
