"""The first readers after a restart: 20 of them open the book's document page at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench REDIS_URL=redis://... \\
        CACHE_KEY_PREFIX=cold-$(date +%s) .venv/bin/python benchmarks/cold_start.py [--users 20]

Uses the book that benchmarks/load.py built; serves the project as deployed (uvicorn, 2
workers, on 127.0.0.1 only) with an empty cache (a fresh CACHE_KEY_PREFIX with Redis, fresh
processes without it), sends the readers' requests all at once, and prints how long the last
one waited and how much CPU the server's processes spent answering them all. The server stops
when it ends.
"""

import argparse
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402

from benchmarks import load  # noqa: E402  (sets Django up)

TIMEOUT_SECONDS = 170


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU time of the server's worker processes (children of ``pid``)."""
    total = 0
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    options = parser.parse_args()
    page = load.pages()[1]  # the document page
    ids = load.sessions(options.users)
    connection.close()
    port = load.free_port()
    url = f"http://{load.HOST}:{port}"
    server = load.serve(port, options.workers)

    def read(session: str) -> float:
        started = time.monotonic()
        headers = {"Cookie": f"sessionid={session}"}
        request = urllib.request.Request(url + page.path, headers=headers)
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
        return time.monotonic() - started

    try:
        load.wait_until_up(url, server)
        before = server_cpu_seconds(server.pid)
        with ThreadPoolExecutor(options.users) as pool:
            waits = sorted(pool.map(read, ids))
        cpu = server_cpu_seconds(server.pid) - before
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{options.users} readers at once on a cold cache: median {waits[len(waits) // 2]:.1f} s, "
        f"slowest {waits[-1]:.1f} s; the server's CPU {cpu:.1f} s"
    )


if __name__ == "__main__":
    main()
