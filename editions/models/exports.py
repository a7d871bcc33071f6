"""Whole-edition exports that run in the background, with their progress and their ZIP.

The web process creates an ``ExportJob`` and enqueues a task; the worker fills in the
progress as each file is written (and within a long file, as its steps are done), then
stores the archive. The archive lives in the
database because the web process and the worker share nothing else (separate containers
under docker compose); an edition's export is a few megabytes at most.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .editions import Edition


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("running")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class JobProgress(models.Model):
    """A background job: who asked, in what language, and its progress as its page shows it.

    Abstract: the fields every job has, and what its page reads of them. ``total`` and
    ``done`` count what the job does in steps of its own (an export's files, an alignment's
    passes); ``message`` says why it failed (or why it was started again).
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The requester's interface language: what the job writes (an export's headings and
    # labels, an alignment's history entry) is in it.
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class ExportJob(JobProgress):
    """An edition's export; ``total`` and ``done`` count its files."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="export_jobs")
    formats = models.JSONField(default=list)
    # Absolute IRIs in the files (JSON-LD, links in the HTML) start with this.
    base_url = models.CharField(max_length=300)
    # Within the file being written (TEI, PDF, DOCX): steps done (rows, parts) of how many;
    # 0 of 0 when it says nothing.
    step = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=0)
    # The worker running the job writes the time here every few seconds (jobs.Heartbeat): a
    # running job whose heartbeat is stale lost its worker, and is started again or failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started
    archive = models.BinaryField(null=True, blank=True)
    archive_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.edition.slug} {', '.join(self.formats)} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("editions:export_job", args=[self.edition.slug, self.pk])

    @property
    def percent(self) -> int:
        """As ``JobProgress.percent``, with the steps within the file being written."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        within = self.step / self.steps if self.steps else 0
        return min(99, round(100 * (self.done + within) / self.total))

    @property
    def file_percent(self) -> int:
        """How much of the file being written is done."""
        return round(100 * self.step / self.steps) if self.steps else 0
