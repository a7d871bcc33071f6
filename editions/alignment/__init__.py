"""Automatic alignment of an original and its translation (pure Python, no Django).

>>> from editions.alignment import align
>>> beads = align(["Il pleut. Il fait froid.", "Rusk arrive."],
...               ["It rains.", "It is cold.", "Rusk comes."])

See `aligner` for the method, `sentences` for the splitter, `scoring` for the benchmark scores.
"""

from .aligner import (
    AlignmentResult,
    Bead,
    ParagraphPair,
    Settings,
    align,
    align_paragraphs_then_sentences,
    align_with_stats,
)
from .sentences import sentence_spans, split_sentences

__all__ = [
    "AlignmentResult",
    "Bead",
    "ParagraphPair",
    "Settings",
    "align",
    "align_paragraphs_then_sentences",
    "align_with_stats",
    "sentence_spans",
    "split_sentences",
]
