"""Run the demo: migrate, load the seed edition, print the URL and the login, serve (uvicorn),
with the background worker (``db_worker``, which runs whole-edition exports) beside it."""

import signal
import subprocess
import sys
from pathlib import Path

import uvicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from .load_demo import DEMO_PASSWORD, DEMO_USER

WORKER_STOP_SECONDS = 10


class Command(BaseCommand):
    help = "Migrate, load the demo edition, and serve it (SQLite unless DATABASE_URL is set)."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the database and stop."
        )

    def handle(self, *args, host: str, port: str, no_serve: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo")
        url = f"http://{host}:{port}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe workbench is at {url}\n"
                f"Sign in as: {DEMO_USER} / password: {DEMO_PASSWORD}\n"
            )
        )
        if no_serve:
            return
        worker = self._start_worker()
        # uvicorn stops gracefully on SIGTERM, then raises the signal again with the handler
        # it found: the default one would end this process before ``finally`` stops the
        # worker, leaving it running. Exiting normally lets ``finally`` run.
        signal.signal(signal.SIGTERM, lambda *_signal: sys.exit(0))
        try:
            # ASGI, as deployed: live updates stream as server-sent events.
            uvicorn.run("workbench.asgi:application", host=host, port=int(port), log_level="info")
        finally:
            self._stop_worker(worker)

    def _start_worker(self) -> subprocess.Popen:
        """The task worker, in a process of its own, with this process's settings."""
        manage = Path(settings.BASE_DIR) / "manage.py"
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(manage), "db_worker", "--no-reload"]
        )
        self.stdout.write(f"Background worker started (process {worker.pid}).")
        return worker

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is None:
            worker.terminate()  # db_worker finishes the task it is running, then exits
            try:
                worker.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stdout.write("Background worker stopped.")
