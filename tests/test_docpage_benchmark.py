"""The book-size page benchmark measures every page it names and leaves nothing behind."""

import io

import pytest
from django.core.management import call_command

from benchmarks.management.commands import docpage_benchmark
from editions.models import Document, Edition

# Slow: a book-size document built and measured.
pytestmark = pytest.mark.slow


def test_the_benchmark_measures_each_page_and_rolls_its_book_back(db, tmp_path):
    out = io.StringIO()
    call_command(
        docpage_benchmark.Command(), rows=60, annotations=20, runs=1, cold_runs=1, shared=tmp_path,
        stdout=out,
    )  # fmt: skip
    report = out.getvalue()
    assert "generated text: 180 segments in 3 witnesses, 20 annotations" in report
    for page in ("document page, first screen", "a page of rows", "annotation panel",
                 "find in the document", "comparison, first screen", "alignment editor",
                 "right after a paragraph on it is edited"):  # fmt: skip
        assert f"| {page}" in report or page in report
    assert not Edition.objects.exists() and not Document.objects.exists()
