"""Automatic alignments of long texts, run in the background with their progress.

A book (two texts of a few thousand paragraphs) takes the aligner several seconds: longer
than a request should hold a web worker. The web process records an ``AlignmentJob`` and
enqueues a task; the worker (``manage.py db_worker``) aligns, writing its progress after each
pass, and links the alignment it made. The page polls the job (htmx) until then.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .alignments import Alignment
from .exports import JobProgress
from .texts import Document, Witness


class AlignmentJob(JobProgress):
    """An automatic alignment; ``total`` and ``done`` count the aligner's passes, then saving."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="align_jobs")
    source = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Witness, on_delete=models.CASCADE, related_name="+")
    # The alignment made; for a re-alignment, the one re-aligned from row ``from_row`` on,
    # as it stood at ``version``.
    alignment = models.ForeignKey(
        Alignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_row = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)

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
