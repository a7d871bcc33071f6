"""Counting the work a function does, in steps rather than seconds (the machine is shared).

A step is one line of the workbench's own code executed (``editions/``), as the tracer sees
it: a loop over n items costs about n steps, a loop inside it n² — the difference a test of
growth needs, whatever the load of the machine.
"""

import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import editions

PACKAGE = str(Path(editions.__file__).resolve().parent)


def count_steps(work: Callable[[], object]) -> Counter:
    """Lines of ``editions`` executed by ``work()``, per file."""
    steps: Counter = Counter()

    def trace(frame, event, arg):
        filename = frame.f_code.co_filename
        if not filename.startswith(PACKAGE):
            return None  # not ours: no line events inside it
        if event == "line":
            steps[filename] += 1
        return trace

    previous = sys.gettrace()
    sys.settrace(trace)
    threading.settrace(trace)
    try:
        work()
    finally:
        sys.settrace(previous)
        threading.settrace(None)
    return steps


def growth(make: Callable[[int], Callable[[], object]], small: int, large: int) -> float:
    """How many times more steps the work takes at ``large`` than at ``small`` (per unit of
    size: 1.0 is linear, ``large / small`` is quadratic)."""
    few = sum(count_steps(make(small)).values())
    many = sum(count_steps(make(large)).values())
    return (many / few) / (large / small)
