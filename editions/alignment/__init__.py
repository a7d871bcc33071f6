"""Automatic alignment of an original and its translation (pure Python, no Django).

>>> from editions.alignment import align
>>> beads = align(["Il pleut. Il fait froid.", "Rusk arrive."],
...               ["It rains.", "It is cold.", "Rusk comes."])

See `aligner` for the method, `sentences` for the splitter, `scoring` for the benchmark scores.
"""

from . import aligner
from .aligner import *  # noqa: F403 (the names in aligner.__all__)
from .sentences import sentence_spans, split_sentences

# The aligner's public names, and the splitter's.
__all__ = ["sentence_spans", "split_sentences"]
__all__ += aligner.__all__
