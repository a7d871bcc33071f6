"""The book-size exports through the worker: time, peak memory and the progress it reports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench \
        .venv/bin/python benchmarks/exports.py [--format tei --format pdf --format docx]

Runs on the Verne book that ``manage.py load_book`` builds (built here if absent). For each
format, starts the edition's export job as the page does, runs the real worker
(``manage.py db_worker --batch``) in a process of its own, reads the job's progress while it
runs, and reports the time from the job's start to its end, the worker's peak resident memory
(its whole process: Python, Django, the exporter), the file's size and the progress seen
(files written of files, and within a file its steps: TEI texts, PDF parts, DOCX rows).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from editions.exporters.jobs import start_export  # noqa: E402
from editions.management.commands.load_book import ANNOTATORS, EDITION  # noqa: E402
from editions.models import Edition, ExportJob  # noqa: E402

POLL_SECONDS = 0.5
WORKER_SECONDS = 1800  # a worker still running after this is stopped: the run stays bounded


def worker() -> subprocess.Popen:
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
    ]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)


def run(edition: Edition, key: str) -> str:
    job = start_export(edition, get_user_model().objects.get(username=ANNOTATORS[0]), [key], "")
    connection.close()
    started = time.monotonic()
    process = worker()
    seen: list[str] = []
    peak_kib = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        job.refresh_from_db(fields=["status", "done", "total", "step", "steps"])
        step = f"{job.status} {job.done}/{job.total}"
        if job.steps:
            step += f" ({job.step}/{job.steps})"
        if not seen or seen[-1] != step:
            seen.append(step)
        if pid:
            peak_kib = usage.ru_maxrss
            break
        if time.monotonic() - started > WORKER_SECONDS:
            process.kill()
            process.wait()
            return f"| {key} | stopped after {WORKER_SECONDS} s | | | |"
        time.sleep(POLL_SECONDS)
    job.refresh_from_db()
    seconds = (job.finished_at - job.created_at).total_seconds() if job.finished_at else 0
    size = len(ExportJob.objects.values_list("archive", flat=True).get(pk=job.pk) or b"")
    return (
        f"| {key} | {job.status}, {seconds:.1f} s | {peak_kib / 1024:.0f} MiB "
        f"| {size / 1024:.0f} KiB (ZIP) | {_progress(seen)} |"
    )


def _progress(seen: list[str]) -> str:
    """The states the job went through, the middle ones counted when there are many."""
    if len(seen) <= 7:
        return " → ".join(seen)
    return f"{' → '.join(seen[:3])} → … {len(seen) - 5} more … → {' → '.join(seen[-2:])}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", action="append", dest="formats")
    options = parser.parse_args()
    if not Edition.objects.filter(slug=EDITION).exists():
        call_command("load_book")
    edition = Edition.objects.get(slug=EDITION)
    rows = [
        "| format | job, start to end | worker's peak memory | archive | progress seen |",
        "| --- | --- | --- | --- | --- |",
    ]
    for key in options.formats or ["tei", "pdf", "docx"]:
        rows.append(run(edition, key))
        print(rows[-1], flush=True)
    print("\n" + "\n".join(rows))


if __name__ == "__main__":
    main()
