"""Whole-edition exports in the background (django-tasks, database backend).

``start_export`` records an ``ExportJob`` and enqueues ``run_export``; the worker
(``manage.py db_worker``) runs it, writing the progress after each file, and within a long
file (TEI, PDF, DOCX) as its steps are done, at most every ``PROGRESS_SECONDS``, and the ZIP
at the end. The page polls ``refresh`` for the job's state.

A worker can die mid-export (SIGKILL, a lost container): while it runs a job it writes a
heartbeat; a running job whose heartbeat is older than ``EXPORT_STALE_SECONDS`` is queued
again, or failed with the reason after ``EXPORT_MAX_ATTEMPTS`` runs, by the next worker to
start or by the job's page when it polls (``recover_stale_jobs``).
"""

import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.timezone import now
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from ..job_tasks import fail_if_its_task_failed, start_job
from ..models import Edition, ExportJob, JobStatus
from .bundle import edition_bundle, edition_file_count

# Finished exports are kept this long, then deleted when someone starts a new one.
KEEP_FINISHED = timedelta(days=1)
# A step within a file is written at most this often: a book's DOCX has 2,400 rows, and the
# page polls every second.
PROGRESS_SECONDS = 1.0


def start_export(edition: Edition, user, keys: list[str], base_url: str) -> ExportJob:
    ExportJob.objects.filter(finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    return start_job(
        ExportJob,
        run_export,
        edition=edition,
        requested_by=user,
        formats=keys,
        base_url=base_url,
        total=edition_file_count(edition, keys),
    )


@task()
def run_export(job_id: int) -> int:
    """Write the edition's archive; returns its size in bytes (0 if the job was not queued)."""
    jobs = ExportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED)
    if not jobs.update(status=JobStatus.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now()):
        return 0  # finished, failed or taken by another run meanwhile
    job = ExportJob.objects.select_related("edition").get(pk=job_id)
    # Only this run writes the job: a run started again after it was thought lost wins.
    jobs = ExportJob.objects.filter(pk=job_id, attempts=job.attempts)

    last_step = 0.0

    def progress(done: int, total: int, step: int, steps: int) -> None:
        nonlocal last_step
        if steps and 0 < step < steps and time.monotonic() - last_step < PROGRESS_SECONDS:
            return
        last_step = time.monotonic()
        jobs.update(done=done, total=total, step=step, steps=steps, heartbeat_at=now())

    try:
        with Heartbeat(job_id), translation.override(job.language or settings.LANGUAGE_CODE):
            bundle = edition_bundle(job.edition, job.formats, job.base_url, progress)
    except (OperationalError, InterfaceError):
        # The connection was lost (the database restarted, or the connection was cut): start
        # afresh on a new one, and give the job to the next run, or fail it, saying why.
        connection.close()
        lost(job, _("The database connection was lost during the export."))
        raise
    except Exception as exc:
        jobs.update(status=JobStatus.FAILED, message=str(exc)[:500], finished_at=now())
        raise
    jobs.update(
        status=JobStatus.DONE,
        archive=bundle.data,
        archive_name=bundle.name,
        done=F("total"),
        step=0,
        steps=0,
        finished_at=now(),
    )
    return len(bundle.data)


class Heartbeat:
    """Writes the job's heartbeat every ``EXPORT_HEARTBEAT_SECONDS`` from a thread, while one
    file takes long to write: only a dead (or hung) worker leaves it stale."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{job_id}")

    def __enter__(self) -> "Heartbeat":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop.set()  # not joined: a beat waiting on a lock must not hold the export up

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.EXPORT_HEARTBEAT_SECONDS):
                try:
                    ExportJob.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=now()
                    )
                except DatabaseError:
                    connection.close()  # this thread's own connection; the next beat reopens
        finally:
            connection.close()


def lost(job: ExportJob, reason: str) -> None:
    """A run of the job stopped without finishing: queue it again, or fail it after
    ``EXPORT_MAX_ATTEMPTS`` runs. The reason is kept and shown on the job's page."""
    running = ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if job.attempts >= settings.EXPORT_MAX_ATTEMPTS:
            message = _("%(reason)s It was given up after %(count)s attempt(s).") % {
                "reason": reason,
                "count": job.attempts,
            }
            running.update(status=JobStatus.FAILED, message=message, finished_at=now())
        else:
            message = _("%(reason)s It was started again.") % {"reason": reason}
            if running.update(status=JobStatus.QUEUED, done=0, step=0, steps=0, message=message):
                result = run_export.enqueue(job.pk)
                ExportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    if job.task_id:  # the lost run's task will never finish: say so in the task queue too
        DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=now()
        )


def recover_stale_jobs(job_ids: list[int] | None = None) -> int:
    """Queue again (or fail) running jobs whose worker stopped beating; how many there were.

    Called when a worker starts (``manage.py db_worker``) and when a job's page polls.
    """
    cutoff = now() - timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    stale = ExportJob.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    if job_ids is not None:
        stale = stale.filter(pk__in=job_ids)
    found = list(stale.only("pk", "attempts", "language", "task_id", "heartbeat_at"))
    for job in found:
        since = timezone.localtime(job.heartbeat_at or cutoff).strftime("%H:%M:%S")
        with translation.override(job.language or settings.LANGUAGE_CODE):
            reason = _("The worker stopped during the export (last sign of life at %(time)s).") % {
                "time": since
            }
        lost(job, reason)
    return len(found)


def refresh(job: ExportJob) -> ExportJob:
    """The job as stored; failed if its task failed before it could say so itself, queued
    again (or failed) if its worker died."""
    if job.status == JobStatus.RUNNING:
        recover_stale_jobs([job.pk])
    job.refresh_from_db(
        fields=["status", "done", "total", "step", "steps", "message", "finished_at", "task_id"]
    )
    fail_if_its_task_failed(job, _("The worker could not run the export."))
    return job
