"""The server's CPU per request of each page, as deployed, one request at a time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/workbench_bench \\
        .venv/bin/python benchmarks/server_cpu.py [--requests 100] [--pages "document page,..."]

Serves the project as ``load.py`` does (uvicorn, 2 workers, the bare view beside the pages, on
the book that ``load.py`` builds: run it first) and asks for each page ``--requests`` times in
a row, after a few warming requests; reports the CPU time the uvicorn processes spent per
request (read from /proc: Linux only), with the wall time. On a machine shared with other
work the load test's throughputs move with the others' load; the CPU a request costs the
server moves far less, so this is the figure to compare between two versions of the code.
PostgreSQL's and Redis's own CPU is not counted (nor is the client's).
"""

import argparse
import os
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402

from benchmarks.load import (  # noqa: E402 - sets Django up
    HOST,
    free_port,
    pages,
    serve,
    sessions,
    wait_until_up,
)
from benchmarks.report import chosen  # noqa: E402

WARMING = 6


def cpu_seconds(pid: int) -> float:
    """User and system CPU of ``pid`` and its children (uvicorn's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    total = 0
    for process in [pid, *map(int, children)]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (man 5 proc)
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per page")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--pages", help="only these pages, comma-separated names")
    options = parser.parse_args()
    results = chosen(pages(), options.pages)
    session = sessions(1)[0]
    connection.close()  # the server's processes open their own
    port = free_port()
    url = f"http://{HOST}:{port}"
    server = serve(port, options.workers)
    print("| page | server CPU per request | wall per request |\n| --- | --- | --- |")
    try:
        wait_until_up(url, server)
        for page in results:
            headers = page.headers | {"Cookie": f"sessionid={session}"}
            request = urllib.request.Request(url + page.path, headers=headers)
            for _ in range(WARMING):
                urllib.request.urlopen(request, timeout=120).read()
            cpu, wall = cpu_seconds(server.pid), time.perf_counter()
            for _ in range(options.requests):
                urllib.request.urlopen(request, timeout=120).read()
            cpu = (cpu_seconds(server.pid) - cpu) / options.requests * 1000
            wall = (time.perf_counter() - wall) / options.requests * 1000
            print(f"| {page.name} | {cpu:.1f} ms | {wall:.0f} ms |", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
