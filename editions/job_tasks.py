"""What the background jobs (exports, alignments) share: a job recorded with its task, and
noticing a task that failed unseen.

A job's task may fail before it could mark its job (the worker ran out of memory, an import
failed): the job would wait forever. Its page asks the task backend, and marks it failed.
"""

from typing import TypeVar

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import AlignmentJob, ExportJob, JobStatus

Job = TypeVar("Job", AlignmentJob, ExportJob)


def start_job(model: type[Job], run: Task[[int], int], **fields) -> Job:
    """Record a ``model`` job with ``fields``, in the interface language of the request, and
    enqueue ``run`` for it; the job keeps the task's id (its page asks how the task fared)."""
    job = model.objects.create(
        language=translation.get_language() or settings.LANGUAGE_CODE, **fields
    )
    result = run.enqueue(job.pk)
    model.objects.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id
    return job


def fail_if_its_task_failed(job: AlignmentJob | ExportJob, message: str) -> None:
    """Mark ``job`` failed with ``message`` if its task failed; a finished job is left as is."""
    if job.finished or not job.task_id:
        return
    try:
        result = default_task_backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return
    if result.status == TaskResultStatus.FAILED:
        job.status, job.message = JobStatus.FAILED, message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
