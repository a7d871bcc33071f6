"""``manage.py db_worker``: django-tasks-db's worker, made to outlive its database connection.

The library's worker loop ends (and the process exits) on the first database error that is
not a locked SQLite file: a restarted PostgreSQL, or an administrator cutting the connection
(``pg_terminate_backend``), left no worker running. This one closes its connections, waits,
and carries on; and when it starts, after each reconnection and every few seconds (a thread)
it takes care of the export jobs a dead worker left running (``jobs.recover_stale_jobs``).

It takes the place of the library's command because ``editions`` comes before
``django_tasks_db`` in ``INSTALLED_APPS``.
"""

import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from ...exporters.jobs import recover_stale_jobs

logger = logging.getLogger("django_tasks_db")

MAX_BACKOFF = 30.0  # seconds between attempts while the database stays unreachable


def sweep_lost_jobs(stop: threading.Event) -> None:
    """Every half ``EXPORT_STALE_SECONDS``, recover the jobs a dead worker left running: a
    worker restarted at once finds them not yet stale, and must look again later."""
    while not stop.wait(settings.EXPORT_STALE_SECONDS / 2):
        try:
            recovered = recover_stale_jobs()
            if recovered:
                logger.warning("Took care of %d export job(s) a lost worker left.", recovered)
        except DatabaseError as exc:
            logger.warning("Could not look for lost export jobs (%s).", exc)
        finally:
            connection.close()  # this thread's own connection, opened again next time


class ResilientWorker(db_worker.Worker):
    def run(self) -> None:
        stop = threading.Event()
        sweeper = threading.Thread(target=sweep_lost_jobs, args=(stop,), daemon=True)
        sweeper.start()
        try:
            self._run_reconnecting()
        finally:
            stop.set()

    def _run_reconnecting(self) -> None:
        backoff = first_backoff = max(self.interval, 0.5)
        while True:
            try:
                recovered = recover_stale_jobs()
                backoff = first_backoff  # the database answers again
                if recovered:
                    logger.warning("Took care of %d export job(s) a lost worker left.", recovered)
                super().run()
                return  # --batch or --max-tasks: the library's loop ended by itself
            except DatabaseError as exc:
                if not self.running:
                    raise
                logger.warning(
                    "Database error in the worker (%s); retrying in %.1fs.", exc, backoff
                )
                connections.close_all()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)


class Command(db_worker.Command):
    help = (
        "Run the database background worker; it survives a lost database connection and "
        "recovers export jobs a killed worker left running"
    )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False  # as the library does: a batch run is not reloaded
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
