"""Who is speaking to the W3C annotation protocol, and the JSON errors it answers.

A generic client has no browser session: it sends a member's personal API token
(``Authorization: Bearer …``), and its writes need no CSRF token (no browser sends that
header on its own, so a forged cross-site request cannot carry it). A browser session
still works, with the CSRF check it always had. A client with neither gets 401 with a JSON
body, never a redirect to the HTML login page.
"""

import json
from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from ..models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
CHALLENGE = 'Bearer realm="annotations"'


def json_error(status: int, message: str, links: str = "", **headers) -> HttpResponse:
    response = HttpResponse(
        json.dumps({"error": message, "status": status}),
        status=status,
        content_type="application/json",
    )
    if links:
        response["Link"] = links
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF check, keeping why it refuses (``reason``) instead of answering 403."""

    reason: str | None = None

    def _reject(self, request, reason):
        self.reason = reason


def _no_view(_request: HttpRequest) -> HttpResponse:
    """The view and the rest of the chain the check is given: it calls neither."""
    return HttpResponse()


def _csrf_failure(request: HttpRequest) -> str | None:
    """Why a session-authenticated write fails Django's CSRF check, or None when it passes."""
    check = _CsrfCheck(_no_view)
    check.process_request(request)
    check.process_view(request, _no_view, (), {})
    return check.reason


def protocol_endpoint(links: str) -> Callable:
    """Authenticate by token or session; answer refusals as JSON; every answer has ``links``.

    The protocol wants the container's Link headers on every response from it (OPTIONS,
    errors and pages too).
    """

    def decorate(view: Callable) -> Callable:
        @login_not_required  # answers 401 in JSON itself, never the login page's redirect
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            authorization = request.headers.get("Authorization", "")
            if authorization[:7].lower() == "bearer ":
                user = ApiToken.user_for(authorization[7:].strip())
                if user is None:
                    return json_error(
                        401, "Unknown or revoked API token.", links, WWW_Authenticate=CHALLENGE
                    )
                request.user = user
            elif not request.user.is_authenticated:
                return json_error(
                    401,
                    "Send a personal API token (Authorization: Bearer …); members create "
                    "one on their account page.",
                    links,
                    WWW_Authenticate=CHALLENGE,
                )
            elif request.method not in SAFE_METHODS and (reason := _csrf_failure(request)):
                return json_error(403, f"CSRF check failed: {reason}", links)
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                return json_error(404, "Not found.", links)
            except PermissionDenied:
                return json_error(403, "Your role in this edition does not allow this.", links)
            if not response.has_header("Link"):  # 405s, and whatever else answers here
                response["Link"] = links
            return response

        return wrapped

    return decorate
