"""What the background jobs (exports, alignments) share: noticing a task that failed unseen.

A job's task may fail before it could mark its job (the worker ran out of memory, an import
failed): the job would wait forever. Its page asks the task backend, and marks it failed.
"""

from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from .models import AlignmentJob, ExportJob, JobStatus


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
