"""The search benchmark: its generated collection is real aligned text, and it cleans up."""

import io
import re

import pytest
from django.core.management import call_command

from benchmarks.management.commands import search_benchmark
from benchmarks.management.commands.search_benchmark import (
    load_texts,
    marked,
    percentile,
    revised,
)
from editions.models import Alignment, Document, Edition, Segment

pytestmark = pytest.mark.shared


def test_the_gold_texts_become_aligned_paragraph_pairs(shared_dir):
    texts = load_texts(shared_dir)
    assert len(texts) == 7
    candide = next(t for t in texts if t.title == "Candide")
    assert candide.author == "Voltaire"
    french, english = candide.pairs[1]
    assert "Vestphalie" in french[0] and "Westphalia" in english[0]
    one, two = marked(french, 1), marked(french, 2)
    assert one != two
    assert re.sub("[\u200b-\u200d\u2060]", "", one) == " ".join(french)


@pytest.mark.slow
def test_the_benchmark_generates_measures_and_deletes_its_collection(shared_dir, db):
    out = io.StringIO()
    call_command(
        search_benchmark.Command(), documents=4, paragraphs=5, runs=1, shared=shared_dir, stdout=out
    )
    report = out.getvalue()
    assert "Generated 4 documents, 60 segments, 40 alignment rows" in report
    for kind in ("search (query)", "search (page)", "concordance (query)", "concordance (page)"):
        assert f"{kind}: median" in report
    assert not Edition.objects.filter(slug="search-benchmark").exists()
    assert not Segment.objects.exists() and not Alignment.objects.exists()
    assert not Document.objects.exists()


def test_the_revision_differs_and_percentiles_are_nearest_rank():
    assert revised("The sea, said the captain.") == "The ocean, declared the captain."
    assert percentile(list(range(1, 101)), 0.95) == 95
    assert percentile([5.0], 0.95) == 5.0
