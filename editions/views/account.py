"""A member's own account page: their personal API tokens for the annotation protocol."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import TokenForm
from ..http import AuthenticatedHttpRequest
from ..models import MAX_TOKENS_PER_USER, ApiToken


def _page(request: AuthenticatedHttpRequest, form: TokenForm, secret: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "secret": secret, "limit": MAX_TOKENS_PER_USER}
    return render(request, "editions/account.html", context, status=status)


@require_http_methods(["GET", "POST"])
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the tokens; POST: a new one, whose secret this answer shows once."""
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    with transaction.atomic():
        if ApiToken.objects.select_for_update().filter(user=request.user).count() >= (
            MAX_TOKENS_PER_USER
        ):
            form.add_error(
                None,
                _("You have %(limit)d tokens: revoke one before creating another.")
                % {"limit": MAX_TOKENS_PER_USER},
            )
            return _page(request, form, status=400)
        _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"])
    return _page(request, TokenForm(), secret=secret)


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # only one's own
    token.delete()
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("editions:account")
