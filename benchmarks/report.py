"""The load benchmark's figures: from locust's final statistics to the table (no Django)."""

from dataclasses import dataclass, field

FIRST_SCREEN_KIB = 150
TARGETS = (
    "first screen >= 25 % of the bare view's throughput, p95 < 4 x the bare view's p95, "
    f"document page's first screen < {FIRST_SCREEN_KIB} KiB"
)


@dataclass
class Page:
    name: str
    path: str
    # Request headers: a page of rows answers htmx's requests only (HX-Request: true).
    headers: dict[str, str] = field(default_factory=dict)
    queries: int = 0
    size: int = 0
    requests: int = 0
    failures: int = 0
    rps: float = 0.0
    median: float = 0.0
    p95: float = 0.0


def choose(pages: list[Page], names: str) -> list[Page]:
    """The bare view and the pages named in ``names`` (comma-separated; empty: every page)."""
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    known = [page.name for page in pages]
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise ValueError(f"Unknown page {', '.join(unknown)}: choose among {', '.join(known)}.")
    return [page for page in pages if not wanted or page.name == "bare view" or page.name in wanted]


def measure(page: Page, entry: dict | None, elapsed: float) -> None:
    """Throughput over the load's time (from the start until the requests still running when
    the time was up were answered), median and p95 of the answers' times."""
    if entry is None or not entry["num_requests"]:
        return
    page.requests, page.failures = entry["num_requests"], entry["num_failures"]
    page.rps = page.requests / elapsed if elapsed > 0 else 0.0
    times = sorted((float(ms), count) for ms, count in entry["response_times"].items())
    page.median, page.p95 = percentile(times, 0.5), percentile(times, 0.95)


def percentile(histogram: list[tuple[float, int]], share: float) -> float:
    total = sum(count for _ms, count in histogram)
    seen = 0
    for ms, count in histogram:
        seen += count
        if seen >= share * total:
            return ms
    return histogram[-1][0]


def table(results: list[Page], bare: Page) -> str:
    lines = [
        "| page | throughput (share of bare) | median / p95 | p95 / bare p95 "
        "| size | queries | requests (failed) | targets met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for page in results:
        share = page.rps / bare.rps if bare.rps else 0
        ratio = page.p95 / bare.p95 if bare.p95 else 0
        lines.append(
            f"| {page.name} | {page.rps:.1f} req/s ({share:.0%}) "
            f"| {page.median:.0f} / {page.p95:.0f} ms | {ratio:.1f}x "
            f"| {page.size / 1024:.1f} KiB | {page.queries} | {page.requests} ({page.failures}) "
            f"| {verdict(page, share, ratio)} |"
        )
    return "\n".join(lines)


def verdict(page: Page, share: float, ratio: float) -> str:
    if page.name == "bare view":
        return "-"
    checks = [("throughput", share >= 0.25 and page.requests > 0), ("p95", 0 < ratio < 4)]
    if page.name == "document page":
        checks.append(("size", page.size < FIRST_SCREEN_KIB * 1024))
    return ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in checks)
