"""One page under load: every simulated reader asks for it again as soon as it has it.

Run by load.py, which sets BENCH_PATH (the page), BENCH_NAME (its name in the report),
BENCH_HEADERS (the request's headers as a JSON object: htmx's for a page of rows),
BENCH_SESSIONS (signed-in session ids, one per simulated reader, comma-separated), and
BENCH_CLOCK: a file where the load's start and end go (the end comes once the requests still
running when the time is up have been answered), to compute the throughput over.
"""

import itertools
import json
import os
import time

from locust import HttpUser, constant, events, task

SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
PATH = os.environ["BENCH_PATH"]
NAME = os.environ["BENCH_NAME"]
HEADERS = json.loads(os.environ.get("BENCH_HEADERS") or "{}")
# A request slower than this counts as failed (the run stays bounded in time; load.py waits
# this long and a little more for the requests still running when a page's time is up).
TIMEOUT_SECONDS = 60


class Reader(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", next(SESSIONS))

    @task
    def read(self) -> None:
        self.client.get(PATH, name=NAME, headers=HEADERS, timeout=TIMEOUT_SECONDS)


CLOCK: dict[str, float] = {}


@events.test_start.add_listener
def started(**_kwargs) -> None:
    CLOCK["start"] = time.time()


@events.test_stop.add_listener
def stopped(**_kwargs) -> None:
    CLOCK["stop"] = time.time()
    with open(os.environ["BENCH_CLOCK"], "w") as clock:
        json.dump(CLOCK, clock)
