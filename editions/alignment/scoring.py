"""Strict and lax precision, recall and F1 of predicted beads against gold beads.

The definitions of the published sentence-alignment benchmarks (Bleualign, Vecalign,
Bertalign), as in the gold sets' README and their `score_alignment.py`, summed over documents:

- precision is taken over the predicted beads that hold at least one unit; a bead counts as
  *strict* if it is a gold bead, *lax* if its target touches a gold target of one of its
  source units;
- recall is the same with gold and prediction swapped, leaving out beads empty on a side.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["GoldBead", "format_beads", "read_beads", "score", "score_documents"]

GoldBead = tuple[tuple[int, ...], tuple[int, ...]]


def read_beads(path: Path) -> list[GoldBead]:
    """Beads of a `.idx` file: one `[i, ...]:[j, ...]` per line."""
    beads = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            src, tgt = line.split(":")
            beads.append((tuple(json.loads(src)), tuple(json.loads(tgt))))
    return beads


def format_beads(beads: Iterable[GoldBead]) -> str:
    return "".join(f"{list(src)}:{list(tgt)}\n" for src, tgt in beads)


def _counts(reference: Iterable[GoldBead], predicted: Iterable[GoldBead]) -> list[int]:
    """[strict hits, strict misses, lax hits, lax misses] of `predicted` against `reference`."""
    reference_set = {bead for bead in reference if bead[0] or bead[1]}
    touched: dict[int, set[int]] = defaultdict(set)
    for src, tgt in reference_set:
        for i in src:
            touched[i].update(tgt)
    counts = [0, 0, 0, 0]
    for src, tgt in {bead for bead in predicted if bead[0] or bead[1]}:
        strict = (src, tgt) in reference_set
        lax = strict or any(not touched[i].isdisjoint(tgt) for i in src)
        counts[0 if strict else 1] += 1
        counts[2 if lax else 3] += 1
    return counts


def _both_sides(beads: Iterable[GoldBead]) -> list[GoldBead]:
    return [bead for bead in beads if bead[0] and bead[1]]


def _ratio(hits: int, misses: int) -> float:
    return hits / (hits + misses) if hits + misses else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(pairs: Iterable[tuple[Sequence[GoldBead], Sequence[GoldBead]]]) -> dict[str, float]:
    """Micro-averaged scores over (gold, predicted) bead lists, one pair per document."""
    precision_counts = [0, 0, 0, 0]
    recall_counts = [0, 0, 0, 0]
    for gold, predicted in pairs:
        for index, value in enumerate(_counts(gold, predicted)):
            precision_counts[index] += value
        for index, value in enumerate(_counts(_both_sides(predicted), _both_sides(gold))):
            recall_counts[index] += value
    precision_strict = _ratio(precision_counts[0], precision_counts[1])
    precision_lax = _ratio(precision_counts[2], precision_counts[3])
    recall_strict = _ratio(recall_counts[0], recall_counts[1])
    recall_lax = _ratio(recall_counts[2], recall_counts[3])
    return {
        "precision_strict": precision_strict,
        "recall_strict": recall_strict,
        "f1_strict": _f1(precision_strict, recall_strict),
        "precision_lax": precision_lax,
        "recall_lax": recall_lax,
        "f1_lax": _f1(precision_lax, recall_lax),
    }


def score_documents(gold_and_predicted_files: Iterable[tuple[Path, Path]]) -> dict[str, float]:
    """`score` over pairs of `.idx` files (gold first)."""
    return score(
        (read_beads(gold), read_beads(predicted)) for gold, predicted in gold_and_predicted_files
    )
