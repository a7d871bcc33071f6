"""Export jobs outlive their worker: a killed worker's job is started again or failed with the
reason, and the worker outlives a cut database connection.

These run the real ``manage.py db_worker`` in a subprocess on the test database.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.urls import reverse

from editions.exporters.jobs import recover_stale_jobs, start_export
from editions.models import Document, ExportJob, JobStatus, Segment, Witness, WitnessRole

from .conftest import REPO_ROOT

# Slow: workers started and killed in processes of their own.
pytestmark = pytest.mark.slow

DOCUMENTS = 16
WAIT = 120  # seconds the tests wait for the worker at most (a shared, loaded machine)
# A beat every 0.5 s; a job whose worker has not beaten for 6 s is lost (a loaded machine can
# leave a living worker unscheduled for a second or two: it must not count as lost).
FAST_RECOVERY = {"EXPORT_HEARTBEAT_SECONDS": "0.5", "EXPORT_STALE_SECONDS": "6"}


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(**env) -> subprocess.Popen:
    environment = {**os.environ, "DATABASE_URL": database_url(), **FAST_RECOVERY, **env}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload"]
        + ["--interval", "0.1"],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def stop(worker: subprocess.Popen) -> str:
    if worker.poll() is None:
        worker.kill()
    output, _ = worker.communicate(timeout=30)
    return output.decode(errors="replace")


def wait_for(condition, what: str):
    """Poll until ``condition()`` is true (its value is returned); fail after ``WAIT``."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def job_state(job: ExportJob) -> ExportJob:
    return ExportJob.objects.defer("archive").get(pk=job.pk)


def running_mid_export(job: ExportJob) -> bool:
    state = job_state(job)
    assert not state.finished, "the export finished before the worker could be stopped"
    return state.status == JobStatus.RUNNING and 1 <= state.done < state.total


@pytest.fixture
def big_edition(edition):
    """Enough documents that one export takes a few seconds: PDFs, one per document."""
    for n in range(DOCUMENTS):
        document = Document.objects.create(edition=edition, slug=f"d{n}", title=f"Document {n}")
        witness = Witness.objects.create(
            document=document, slug="fr", label="FR", language="fr", role=WitnessRole.ORIGINAL
        )
        Segment.objects.bulk_create(
            Segment(witness=witness, sid=f"p{k}", position=k, text=f"Paragraphe {k}. " * 40)
            for k in range(30)
        )
    return edition


def export(edition, user) -> ExportJob:
    return start_export(edition, user, ["pdf"], "http://testserver")


def kill_a_worker_mid_export(job: ExportJob) -> None:
    """Start a worker, let it get part-way through ``job``, then kill it without warning:
    the job is left RUNNING with nobody to finish it."""
    worker = start_worker()
    try:
        wait_for(lambda: running_mid_export(job), "the export to be under way")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        stop(worker)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_run_again_by_the_next_worker(big_edition):
    from django.contrib.auth.models import User

    job = export(big_edition, User.objects.get(username="reader"))
    kill_a_worker_mid_export(job)
    assert job_state(job).status == JobStatus.RUNNING  # nobody is left to say otherwise
    second = start_worker()
    try:
        done = wait_for(lambda: job_state(job).finished and job_state(job), "the export to finish")
    finally:
        log = stop(second)
    assert done.status == JobStatus.DONE, (done.message, log)
    assert done.attempts == 2
    assert "The worker stopped during the export" in done.message
    assert "It was started again." in done.message


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_job_is_failed_with_the_reason_on_its_page(big_edition, client_as):
    from django.contrib.auth.models import User

    job = export(big_edition, User.objects.get(username="reader"))
    kill_a_worker_mid_export(job)
    url = reverse("editions:export_job", args=[big_edition.slug, job.pk])
    with pytest.MonkeyPatch.context() as patch:
        from django.conf import settings

        patch.setattr(settings, "EXPORT_STALE_SECONDS", 1.5)
        patch.setattr(settings, "EXPORT_MAX_ATTEMPTS", 1)
        reader = client_as("reader")
        page = wait_for(
            lambda: (
                (page := reader.get(url, HTTP_HX_REQUEST="true")) and "failed" in page.text and page
            ),
            "the job page to report the failure",
        )
    assert "The worker stopped during the export (last sign of life at" in page.text
    assert "It was given up after 1 attempt(s)." in page.text
    assert (
        "The worker stopped"
        in reader.get(reverse("editions:edition_export", args=[big_edition.slug])).text
    )
    assert job_state(job).status == JobStatus.FAILED
    assert recover_stale_jobs() == 0  # failed jobs are left alone


@pytest.mark.django_db(transaction=True)
def test_the_worker_outlives_its_database_connection_being_cut(big_edition):
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's: cutting a SQLite file's link is moot")
    from django.contrib.auth.models import User

    reader = User.objects.get(username="reader")
    job = export(big_edition, reader)
    worker = start_worker()
    try:
        wait_for(lambda: running_mid_export(job), "the export to be under way")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        first = wait_for(lambda: job_state(job).finished and job_state(job), "the first job")
        assert worker.poll() is None, "the worker exited"
        second = export(big_edition, reader)
        finished = wait_for(
            lambda: job_state(second).finished and job_state(second), "the next job"
        )
        assert worker.poll() is None, "the worker exited"
    finally:
        log = stop(worker)
    assert first.status == JobStatus.DONE, (first.message, log)
    assert "The database connection was lost during the export." in first.message
    assert finished.status == JobStatus.DONE, (finished.message, log)
