"""Editions and their members: who may do what in which edition."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class Role(models.TextChoices):
    OWNER = "owner", _("owner")
    EDITOR = "editor", _("editor")
    ANNOTATOR = "annotator", _("annotator")
    READER = "reader", _("reader")


# Higher rank may do everything a lower rank may.
ROLE_RANK = {Role.READER: 1, Role.ANNOTATOR: 2, Role.EDITOR: 3, Role.OWNER: 4}


class Edition(models.Model):
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Anyone signed in may read a public edition.")
    )
    # Read by ``search.equivalence_groups``: the search finds any spelling of a group for any.
    search_equivalents = models.TextField(
        _("search equivalents"),
        blank=True,
        help_text=_(
            "Names and terms that search treats as one, across spellings and languages: one "
            "group per line, separated by commas. For example: Khrushchev, Khrouchtchev"
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members: "models.ManyToManyField[User, Membership]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="editions"
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("editions:edition_detail", args=[self.slug])


class Membership(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="one_membership_per_user")
        ]
        ordering = ["edition", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.edition}"
