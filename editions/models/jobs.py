"""Automatic alignments of long texts, run in the background with their progress.

A book (two texts of a few thousand paragraphs) takes the aligner several seconds: longer
than a request should hold a web worker. The web process records an ``AlignmentJob`` and
enqueues a task; the worker (``manage.py db_worker``) aligns, writing its progress after each
pass, and links the alignment it made. The page polls the job (htmx) until then.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .alignments import Alignment
from .exports import JobProgress, JobStatus
from .texts import Document, Witness


class AlignmentJob(JobProgress, models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="align_jobs")
    source = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The interface language of the alignment's history entry.
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)  # steps: the aligner's passes, then saving
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)  # why it failed
    task_id = models.CharField(max_length=64, blank=True)
    # The alignment made; for a re-alignment, the one re-aligned from row ``from_row`` on,
    # as it stood at ``version``.
    alignment = models.ForeignKey(
        Alignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_row = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("alignment job")
        verbose_name_plural = _("alignment jobs")

    def __str__(self) -> str:
        return f"{self.source_id} ↔ {self.target_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse(
            "editions:alignment_job",
            args=[self.document.edition.slug, self.document.slug, self.pk],
        )
