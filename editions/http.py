"""The request types the views are annotated with (types only: Django builds the requests).

The middlewares add to every request what plain ``HttpRequest`` does not declare; these
subclasses say so to mypy, as django-htmx and django-stubs document it.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request through HtmxMiddleware: ``request.htmx`` says whether htmx sent it."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request to a view LoginRequiredMiddleware guards (every view not marked
    ``login_not_required``): its user is signed in, never AnonymousUser."""

    user: User
