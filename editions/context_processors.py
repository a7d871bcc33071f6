"""What every page's header shows: the signed-in member's unread mentions."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .views.inbox import unread_count  # views import models: not at settings time

    # Counted only if the page shows it (a fragment does not).
    return {"unread": SimpleLazyObject(lambda: unread_count(user))}
