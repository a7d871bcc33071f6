"""The sign-in page's answer to a locked-out user name (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The sign-in page again, saying why nothing more is tried, answered 429 Too Many Requests.

    It keeps the user name typed (not the password) and says how long the lock lasts; the form
    is still there, so that the right password works once the lock is released.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        "form": form,
        "locked_out": True,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": minutes,
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)
