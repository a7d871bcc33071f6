"""The load benchmark: the book-size document's pages under 20 concurrent readers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench \
        .venv/bin/python benchmarks/load.py [--users 20] [--seconds 20] [--skip-build] \
        [--pages "annotation panel,alignment editor"]

1. builds the Verne book with 1,000 annotations (``manage.py load_book``) on PostgreSQL, and
   refreshes the planner's statistics (``ANALYZE``);
2. counts each page's database queries and bytes with Django's test client (one warm request);
3. serves the project as deployed (uvicorn, 2 workers) on 127.0.0.1 only;
4. runs headless locust against each page in turn, and against a bare signed-in Django view
   in the same run, ``--users`` readers asking again as soon as they are answered, for
   ``--seconds`` each;
5. prints the table of docs/BENCHMARKS.md: throughput (and its share of the bare view's),
   median and p95, p95 against the bare view's, bytes and queries per request.

Everything it starts stops when it ends; nothing but 127.0.0.1 is ever asked.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks.report import TARGETS, Page, choose, measure, table  # noqa: E402
from editions.management.commands.load_book import ANNOTATORS, DOCUMENT, EDITION  # noqa: E402
from editions.models import Alignment, Document  # noqa: E402

HOST = "127.0.0.1"  # the only address this benchmark ever sends a request to
START_SECONDS = 120
SEARCH_WORD = "Saknussemm"
# Requests still running when a page's time is up are waited for this long (the locustfile
# gives up on a request after 60 s, which counts it as failed).
STOP_SECONDS = 65


def pages() -> list[Page]:
    document = Document.objects.get(edition__slug=EDITION, slug=DOCUMENT)
    args = [EDITION, DOCUMENT]
    alignment = Alignment.objects.get(document=document, target__slug="en-1877")
    return [
        Page("bare view", reverse("bench_bare")),
        Page("document page", reverse("editions:document_detail", args=args)),
        Page(
            "a page of rows",
            reverse("editions:document_rows", args=args) + "?start=1201",
            headers={"HX-Request": "true"},
        ),
        Page("annotation panel", reverse("editions:annotation_panel", args=args)),
        Page("find in the document", reverse("editions:document_find", args=args) + "?q=the"),
        Page("comparison", reverse("editions:compare", args=args) + "?a=fr-1864&b=en-1877"),
        Page(
            "alignment editor",
            reverse("editions:alignment_editor", args=[*args, alignment.pk]),
        ),
        Page("search", reverse("editions:search") + f"?q={SEARCH_WORD}"),
    ]


def sessions(count: int) -> list[str]:
    """Signed-in sessions of the book's editor, one per simulated reader."""
    user = get_user_model().objects.get(username=ANNOTATORS[0])
    ids = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        ids.append(client.cookies["sessionid"].value)
    return ids


def count_queries_and_bytes(page: Page, session: str) -> None:
    client = Client()
    client.cookies["sessionid"] = session
    client.get(page.path, headers=page.headers)  # warm the caches, as the load run soon does
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.path, headers=page.headers)
    if response.status_code != 200:
        raise SystemExit(f"{page.name}: {page.path} answered {response.status_code}")
    page.queries = len(queries)
    page.size = len(response.content)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve(port: int, workers: int) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "workbench.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, cwd=REPO, env=os.environ | {"DEBUG": "0"})


def wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("uvicorn stopped on start")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("uvicorn did not start")


def warm(url: str, page: Page, session: str, times: int) -> None:
    """A few requests first, so that each worker process has its caches filled."""
    headers = page.headers | {"Cookie": f"sessionid={session}"}
    request = urllib.request.Request(url + page.path, headers=headers)
    for _ in range(times):
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
        except OSError as exc:
            print(f"{page.name}: a warming request failed ({exc})", flush=True)


def load(url: str, page: Page, ids: list[str], users: int, seconds: int, folder: Path) -> None:
    prefix = folder / page.name.replace(" ", "-")
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(REPO / "benchmarks" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        str(STOP_SECONDS),
        "--host",
        url,
        "--json-file",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    environment = os.environ | {
        "BENCH_PATH": page.path,
        "BENCH_NAME": page.name,
        "BENCH_HEADERS": json.dumps(page.headers),
        "BENCH_SESSIONS": ",".join(ids),
        "BENCH_CLOCK": f"{prefix}.clock",
    }
    subprocess.run(
        command,
        cwd=REPO,
        env=environment,
        check=False,
        timeout=seconds + STOP_SECONDS + 60,
        stdout=subprocess.DEVNULL,
    )
    entries = json.loads(Path(f"{prefix}.json").read_text())
    clock = json.loads(Path(f"{prefix}.clock").read_text())
    entry = next((e for e in entries if e["name"] == page.name), None)
    measure(page, entry, clock["stop"] - clock["start"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=20, help="load time per page")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--skip-build", action="store_true", help="reuse the built book")
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages (comma-separated names as in the table), beside the bare view",
    )
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run it on PostgreSQL, as deployed: set DATABASE_URL=postgres://...")
    if not options.skip_build:
        call_command("load_book")
    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum keeps them on a live database: right after
        # the book's bulk inserts they are missing, and plans pick sequential scans.
        cursor.execute("ANALYZE")
    try:
        results = choose(pages(), options.pages)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    ids = sessions(options.users)
    for page in results:
        count_queries_and_bytes(page, ids[0])
    connection.close()  # the server's processes open their own
    port = free_port()
    url = f"http://{HOST}:{port}"
    server = serve(port, options.workers)
    try:
        wait_until_up(url, server)
        with tempfile.TemporaryDirectory(prefix="workbench-load-") as folder:
            for page in results:
                warm(url, page, ids[0], 2 * options.workers)
                load(url, page, ids, options.users, options.seconds, Path(folder))
                print(f"{page.name}: {page.rps:.1f} req/s, p95 {page.p95:.0f} ms", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(
        f"\n{options.users} concurrent readers, {options.seconds} s a page, uvicorn "
        f"{options.workers} workers, PostgreSQL. Targets: {TARGETS}.\n"
    )
    print(table(results, results[0]))


if __name__ == "__main__":
    main()
