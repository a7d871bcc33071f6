"""Alignments of two witnesses: their rows, and every change made to them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .texts import Document, Witness


class Alignment(models.Model):
    """Which units of ``target`` render which units of ``source`` (usually the original).

    The rows live in ``AlignmentRow``; every change is an ``AlignmentChange`` holding the rows
    before and after, which is what undo, redo and the history list read. ``version`` grows
    with each change: a change based on an older version is refused, never merged blindly.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="alignments")
    source = models.ForeignKey(
        Witness, on_delete=models.CASCADE, related_name="+", verbose_name=_("source")
    )
    target = models.ForeignKey(
        Witness, on_delete=models.CASCADE, related_name="+", verbose_name=_("target")
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_alignment_per_pair")
        ]
        ordering = ["document", "pk"]
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")

    def __str__(self) -> str:
        return f"{self.source.label} ↔ {self.target.label}"

    def get_absolute_url(self) -> str:
        return reverse(
            "editions:alignment_editor",
            args=[self.document.edition.slug, self.document.slug, self.pk],
        )


class RowStatus(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic")
    CONFIRMED = "confirmed", _("confirmed")


class AlignmentRow(models.Model):
    """One bead: source segments (by stable id) and the target segments that render them."""

    alignment = models.ForeignKey(Alignment, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    source_sids = models.JSONField(default=list)
    target_sids = models.JSONField(default=list)
    confidence = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=RowStatus.choices, default=RowStatus.AUTOMATIC)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["alignment", "position"]
        indexes = [models.Index(fields=["alignment", "position"])]
        verbose_name = _("alignment row")
        verbose_name_plural = _("alignment rows")

    def __str__(self) -> str:
        return f"{self.source_sids} ↔ {self.target_sids}"


class AlignmentChange(models.Model):
    """One change to an alignment: who, when, what, and the rows before and after."""

    alignment = models.ForeignKey(Alignment, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    operation = models.CharField(max_length=30)
    # The summary is kept untranslated (a message of the catalogue) with its arguments, so
    # that each reader sees the history in their own language (``summary_text``). Entries
    # made before ``summary_args`` existed hold text already translated; shown as they are.
    summary = models.CharField(max_length=300)
    summary_args = models.JSONField(default=dict, blank=True)
    before = models.JSONField(default=list)
    after = models.JSONField(default=list)
    # For an undo or a redo: the change it undid or redid.
    reverts = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["alignment", "-pk"]
        verbose_name = _("alignment change")
        verbose_name_plural = _("alignment changes")

    def __str__(self) -> str:
        return f"{self.operation}: {self.summary}"

    @property
    def summary_text(self) -> str:
        return translated_summary(self.summary, self.summary_args)


def translated_summary(message: str, args: dict) -> str:
    """A history message in the current language. An argument given as [message, args] is
    itself such a message (what an undo undid)."""
    values = {
        key: translated_summary(*value) if isinstance(value, list) else value
        for key, value in args.items()
    }
    text = gettext(message) if message else ""
    return text % values if values else text
