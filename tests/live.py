"""The project served by uvicorn in a thread of the test process, and a small HTTP client.

For tests of what a client other than the browser sees (the W3C annotation protocol):
real HTTP, real headers, no test client shortcuts. The server uses the test database
(tests that use it need ``transactional_db``) and stops with the test.
"""

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass


@contextmanager
def serve_asgi():
    import uvicorn

    from workbench.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]  # names in lower case
    text: str

    def json(self):
        return json.loads(self.text)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to read, not to follow


_opener = urllib.request.build_opener(NoRedirect)


def call(method: str, url: str, body=None, headers: dict | None = None) -> Answer:
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with _opener.open(request, timeout=30) as response:
            raw, status, got = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        raw, status, got = error.read(), error.code, error.headers
    merged: dict[str, str] = {}
    for name, value in got.items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return Answer(status, merged, raw.decode("utf-8", "replace"))
