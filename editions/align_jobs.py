"""Automatic alignment in the background (django-tasks, database backend), with progress.

Short texts are aligned within the request. Above ``BACKGROUND_UNITS`` units on the two sides
together (a book: two texts of 2,000 paragraphs and more take the aligner several seconds),
``start_alignment`` records an ``AlignmentJob`` and enqueues ``run_alignment``; the worker
(``manage.py db_worker``) aligns, writing the progress after each of the aligner's passes, and
links the alignment it made. The page polls ``refresh`` for the job's state.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .alignment.rows import RowError
from .alignment_store import (
    check_alignable,
    check_row_exists,
    create_alignment,
    realign_from,
)
from .job_tasks import fail_if_its_task_failed, start_job
from .models import Alignment, AlignmentJob, Document, JobStatus, Witness
from .versioning import StaleVersion, check_current

# Units (headings and paragraphs, both texts together) above which the aligner runs in the
# worker: 1,000 units align in about a second on one core, a request's fair share.
BACKGROUND_UNITS = 1000
# Finished jobs are kept this long (the page that follows them), then deleted.
KEEP_FINISHED = timedelta(days=1)


def runs_in_background(source: Witness, target: Witness) -> bool:
    units = sum(witness.segments.exclude(kind="footnote").count() for witness in (source, target))
    return units > BACKGROUND_UNITS


def start_alignment(document: Document, source: Witness, target: Witness, user) -> AlignmentJob:
    """Queue the pair for the worker; RowError if it cannot be aligned or is already queued."""
    check_alignable(document, source, target)
    AlignmentJob.objects.filter(finished_at__lt=timezone.now() - KEEP_FINISHED).delete()
    pending = AlignmentJob.objects.filter(
        source=source, target=target, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    if pending.exists():
        raise RowError(_("These two witnesses are already being aligned."))
    return start_job(
        AlignmentJob,
        run_alignment,
        document=document,
        source=source,
        target=target,
        requested_by=user,
    )


def start_realignment(alignment: Alignment, version: int, user, row: int) -> AlignmentJob:
    """Queue re-aligning ``alignment`` from ``row`` on, if it is still at ``version`` then."""
    check_current(alignment, version)  # the page is out of date: refused now, not in the worker
    check_row_exists(row, alignment.rows.count())  # likewise a row that does not exist
    pending = AlignmentJob.objects.filter(
        alignment=alignment, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    )
    if pending.exists():
        raise RowError(_("This alignment is already being re-aligned."))
    return start_job(
        AlignmentJob,
        run_alignment,
        document=alignment.document,
        source=alignment.source,
        target=alignment.target,
        requested_by=user,
        alignment=alignment,
        from_row=row,
        version=version,
    )


@task()
def run_alignment(job_id: int) -> int:
    """Align the job's two witnesses; returns the number of rows."""
    job = AlignmentJob.objects.select_related("document", "source", "target", "requested_by").get(
        pk=job_id
    )
    jobs = AlignmentJob.objects.filter(pk=job_id)
    jobs.update(status=JobStatus.RUNNING)

    def progress(done: int, total: int) -> None:
        # One step more than the aligner's passes: saving the rows.
        jobs.update(done=done, total=total + 1)

    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            alignment = _align(job, progress)
    except StaleVersion:
        message = _("Someone else changed this alignment meanwhile: it was not re-aligned.")
        jobs.update(status=JobStatus.FAILED, message=message, finished_at=timezone.now())
        return 0
    except Exception as exc:
        jobs.update(status=JobStatus.FAILED, message=str(exc)[:500], finished_at=timezone.now())
        if isinstance(exc, RowError | ValueError):
            return 0  # a clear refusal, said on the page; not a crash of the worker
        raise
    jobs.update(
        status=JobStatus.DONE, alignment=alignment, done=F("total"), finished_at=timezone.now()
    )
    return alignment.rows.count()


def _align(job: AlignmentJob, progress) -> Alignment:
    if job.from_row is None:
        return create_alignment(
            job.document, job.source, job.target, job.requested_by, progress=progress
        )
    if job.alignment_id is None or job.version is None:  # a realignment always names both
        raise ValueError(f"Alignment job {job.pk} realigns no alignment version.")
    alignment = Alignment.objects.select_related("source", "target").get(pk=job.alignment_id)
    return realign_from(alignment, job.version, job.requested_by, job.from_row, progress)


def refresh(job: AlignmentJob) -> AlignmentJob:
    """The job as stored; failed if its task failed before it could say so itself."""
    job.refresh_from_db(fields=["status", "done", "total", "message", "finished_at", "alignment"])
    fail_if_its_task_failed(job, _("The worker could not run the alignment."))
    return job
