"""Live events: what changed in a document, in order, and who has it open."""

from django.conf import settings
from django.db import models

from .texts import Document


class Event(models.Model):
    """What changed in a document, in order: the live stream replays it from Last-Event-ID."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    # Private annotations' events are only for their author.
    only_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["document", "id"])]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind}"


class Presence(models.Model):
    """Who has a document open: refreshed by their live connection, stale after a while."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_presence_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.document}"
