"""The project's URLs and ``bench/bare/``: a signed-in Django view that renders nothing
(signed in as every view is, by ``LoginRequiredMiddleware``).

It goes through the same middleware (sessions, authentication, CSRF, locale) and the same
server, so the pages' figures read as a share of what the stack itself can serve.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from workbench.urls import urlpatterns as project_urls


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"ok {request.user.username}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urls]
