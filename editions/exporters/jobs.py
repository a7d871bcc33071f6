"""Whole-edition exports in the background (django-tasks, database backend).

``start_export`` records an ``ExportJob`` and enqueues ``run_export``; the worker
(``manage.py db_worker``) runs it, writing the progress after each file and the ZIP at the
end. The page polls ``refresh`` for the job's state.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from ..export_models import ExportJob, JobStatus
from ..models import Edition
from .bundle import edition_bundle

# Finished exports are kept this long, then deleted when someone starts a new one.
KEEP_FINISHED = timedelta(days=1)


def start_export(edition: Edition, user, keys: list[str], base_url: str) -> ExportJob:
    ExportJob.objects.filter(finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    job = ExportJob.objects.create(
        edition=edition,
        requested_by=user,
        formats=keys,
        base_url=base_url,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total=edition.documents.count() * len(keys),
    )
    result = run_export.enqueue(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id
    return job


@task()
def run_export(job_id: int) -> int:
    """Write the edition's archive; returns its size in bytes."""
    job = ExportJob.objects.select_related("edition").get(pk=job_id)
    jobs = ExportJob.objects.filter(pk=job_id)
    jobs.update(status=JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        jobs.update(done=done, total=total)

    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            bundle = edition_bundle(job.edition, job.formats, job.base_url, progress)
    except Exception as exc:
        jobs.update(status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now())
        raise
    jobs.update(
        status=JobStatus.DONE,
        archive=bundle.data,
        archive_name=bundle.name,
        done=F("total"),
        finished_at=timezone.now(),
    )
    return len(bundle.data)


def refresh(job: ExportJob) -> ExportJob:
    """The job as stored; failed if its task failed before it could say so itself."""
    job.refresh_from_db(fields=["status", "done", "total", "message", "finished_at"])
    if job.finished or not job.task_id:
        return job
    try:
        result = default_task_backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return job
    if result.status == TaskResultStatus.FAILED:
        job.status, job.message = JobStatus.FAILED, _("The worker could not run the export.")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
    return job
