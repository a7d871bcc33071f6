"""Two web servers against one PostgreSQL database: a change made on one reaches the other.

Each server is a real uvicorn process of its own (nothing shared but the database), as two
containers or two hosts would be. A reader's event stream is held open on server B while an
annotator posts an annotation to server A; PostgreSQL's NOTIFY wakes B's stream, which sends
the event.
"""

import http.client
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from editions.annotating import ensure_categories
from editions.models import Annotation
from tests.conftest import REPO_ROOT

# Bounds that keep a broken server from hanging the suite (they time nothing).
START_SECONDS = 60
EVENT_SECONDS = 30
CSRF_TOKEN = "a" * 32  # any 32-character secret will do: the cookie and the header agree


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


class Server:
    """uvicorn serving the project in a child process, on a port of 127.0.0.1."""

    def __init__(self, database_url: str):
        self.port = _free_port()
        environment = os.environ | {"DATABASE_URL": database_url, "DEBUG": "0"}
        environment.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "workbench.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--lifespan",
                "off",
                "--log-level",
                "warning",
                "--timeout-graceful-shutdown",
                "1",
            ],
            cwd=REPO_ROOT,
            env=environment,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped on start"
            try:
                status, _body = self.request("GET", "/accounts/login/")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"the server on port {self.port} did not start")

    def request(self, method: str, path: str, body: str = "", headers=None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=EVENT_SECONDS)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def two_servers(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("live updates cross servers through PostgreSQL's NOTIFY; SQLite has none")
    servers = [Server(_database_url()), Server(_database_url())]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()


def _session_cookie(username: str) -> str:
    """A signed-in session, stored in the shared database, so valid on every server."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF_TOKEN}"


def _read_events(server: Server, path: str, cookie: str, found: queue.Queue) -> None:
    """Hold the event stream open and pass on each event's data, until the stream ends."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=EVENT_SECONDS)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept": "text/event-stream"})
        response = conn.getresponse()
        found.put(("status", response.status))
        while line := response.fp.readline():
            if line.startswith(b"data: "):
                found.put(("data", json.loads(line[6:])))
    except (OSError, http.client.HTTPException) as exc:
        found.put(("closed", repr(exc)))
    finally:
        conn.close()


def _next_annotation_event(found: queue.Queue) -> dict:
    deadline = time.monotonic() + EVENT_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            what, value = found.get(timeout=left)
        except queue.Empty:
            break
        if what == "closed":
            pytest.fail(f"the stream on server B closed: {value}")
        if what == "data" and value.get("kind") == "annotation-created":
            return value
    pytest.fail("server B's stream never sent the annotation made on server A")


@pytest.mark.django_db(transaction=True)
def test_an_annotation_posted_to_server_a_reaches_a_reader_streaming_from_server_b(
    document, two_servers
):
    server_a, server_b = two_servers
    ensure_categories(document.edition)
    segment = document.witnesses.get().segments.get(sid="p1")
    args = [document.edition.slug, document.slug]
    found: queue.Queue = queue.Queue()
    reader = threading.Thread(
        target=_read_events,
        args=(
            server_b,
            reverse("editions:document_events", args=args),
            _session_cookie("reader"),
            found,
        ),
        daemon=True,
    )
    reader.start()
    assert found.get(timeout=EVENT_SECONDS) == ("status", 200)

    annotator = _session_cookie("annotator")
    body = {
        "spans": json.dumps([{"segment": segment.pk, "start": 3, "end": 7}]),
        "body": "Dean Rusk, Secretary of State",
        "csrfmiddlewaretoken": CSRF_TOKEN,
    }
    status, _page = server_a.request(
        "POST",
        reverse("editions:annotation_create", args=args),
        body=urlencode(body),
        headers={
            "Cookie": annotator,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{server_a.port}/",
        },
    )
    assert status == 302, _page[:500]
    annotation = Annotation.objects.get()

    event = _next_annotation_event(found)
    assert event == {"kind": "annotation-created", "annotation": annotation.pk}
