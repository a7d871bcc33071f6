"""The aligner at book size: Verne's French against each English translation.

    .venv/bin/python benchmarks/align_book.py

The texts are split as ``manage.py load_book`` splits them (2,326 French paragraphs against
2,517 and 2,266). Reports wall and CPU seconds, the peak of Python's allocations while
aligning (tracemalloc, in a second run), the grid nodes the banded search visited against the
full grid's, and the beads. No database: this is ``editions.alignment.align`` alone.
"""

import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from editions.alignment import align_with_stats  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "verne-voyage"


def paragraphs(filename: str) -> list[str]:
    text = (CORPUS / filename).read_text(encoding="utf-8")
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def main() -> None:
    french = paragraphs("fr-1864-hetzel.txt")
    print("| translation | paragraphs | wall s | CPU s | peak MiB | nodes visited / grid | beads |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for filename in ("en-1871-griffith-farran.txt", "en-1877-malleson.txt"):
        english = paragraphs(filename)
        wall, cpu = time.perf_counter(), time.process_time()
        result = align_with_stats(french, english)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        # Memory in a second run: tracing allocations slows the aligner down several times.
        tracemalloc.start()
        again = align_with_stats(french, english)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert again.beads == result.beads  # the aligner is deterministic
        grid = (len(french) + 1) * (len(english) + 1)
        print(
            f"| {filename} | {len(french):,} / {len(english):,} | {wall:.1f} | {cpu:.1f} "
            f"| {peak / 2**20:.0f} | {result.stats.cells:,} / {grid:,} | {len(result.beads):,} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
