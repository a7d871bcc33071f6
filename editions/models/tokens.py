"""Personal API tokens: how a tool other than the browser speaks for a member.

A member creates a token on their account page and sees it once; only its SHA-256 digest is
stored (a token is 256 random bits, so a plain digest cannot be reversed by guessing). A
client sends it as ``Authorization: Bearer <token>``; revoking deletes it.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "wbt_"  # noqa: S105 - a public prefix that marks our tokens, not a secret
MAX_TOKENS_PER_USER = 20


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # the token's first characters, to tell them apart
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str) -> tuple["ApiToken", str]:
        """A new token for ``user``: the stored record and the secret, shown once."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=token_digest(secret), hint=secret[:10]
        )
        return token, secret

    @classmethod
    def user_for(cls, secret: str):
        """The active user a presented token belongs to, or None."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
            return None
        token = cls.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None or not token.user.is_active:
            return None
        # At most one write a minute per token, not one per request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
