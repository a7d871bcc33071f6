"""The load benchmark's book and its figures (the benchmark itself runs by hand: BENCHMARKS.md)."""

import pytest
from django.test import Client

from benchmarks.report import Page, choose, measure, percentile, table, verdict
from editions.management.commands.load_book import TEXTS, paragraphs

# The paragraph counts that the corpus's README states, chapter headings included.
STATED_PARAGRAPHS = {"fr-1864": 2326, "en-1871": 2517, "en-1877": 2266}
CHAPTERS = {"fr-1864": 45, "en-1871": 44, "en-1877": 45}


def test_the_book_has_the_paragraphs_and_chapters_the_corpus_states(shared_dir):
    for filename, slug, *_rest in TEXTS:
        text = (shared_dir / "corpora" / "verne-voyage" / filename).read_text(encoding="utf-8")
        blocks = paragraphs(text)
        assert len(blocks) == STATED_PARAGRAPHS[slug]
        assert sum(kind == "heading" for kind, _text in blocks) == CHAPTERS[slug]
        assert all("\n" not in block and "  " not in block for _kind, block in blocks)


def test_percentiles_are_read_from_the_histogram_of_answer_times():
    histogram = [(10.0, 50), (20.0, 45), (900.0, 5)]
    assert percentile(histogram, 0.5) == 10.0
    assert percentile(histogram, 0.95) == 20.0
    assert percentile(histogram, 0.96) == 900.0


def test_throughput_counts_every_answer_over_the_whole_load_time():
    page = Page("comparison", "/compare/")
    entry = {
        "num_requests": 30,
        "num_failures": 1,
        "response_times": {"100": 20, "300": 9, "2000": 1},
    }
    measure(page, entry, elapsed=15.0)
    assert (page.requests, page.failures, page.rps) == (30, 1, 2.0)
    assert (page.median, page.p95) == (100.0, 300.0)


def test_a_page_that_never_answered_keeps_zero_and_fails_its_targets():
    page = Page("document page", "/d/")
    measure(page, None, elapsed=20.0)
    assert page.requests == 0
    assert verdict(page, 0.0, 0.0) == "throughput NO, p95 NO, size yes"


def test_the_table_compares_each_page_with_the_bare_view():
    bare = Page("bare view", "/bench/bare/", rps=100.0, median=50, p95=100, requests=2000)
    page = Page(
        "document page", "/d/", rps=30.0, median=120, p95=350, requests=600, size=200 * 1024
    )
    lines = table([bare, page], bare).splitlines()
    assert lines[2].startswith("| bare view | 100.0 req/s (100%) | 50 / 100 ms | 1.0x |")
    assert lines[3] == (
        "| document page | 30.0 req/s (30%) | 120 / 350 ms | 3.5x | 200.0 KiB | 0 | 600 (0) "
        "| throughput yes, p95 yes, size NO |"
    )


def test_the_bare_view_is_served_only_to_the_signed_in(settings, client_as, edition):
    settings.ROOT_URLCONF = "benchmarks.urls"
    assert Client().get("/bench/bare/").status_code == 302
    answer = client_as("reader").get("/bench/bare/")
    assert answer.status_code == 200 and answer.content == b"ok reader"


def test_the_pages_to_load_can_be_chosen_the_bare_view_always_among_them():
    pages = [Page("bare view", "/b/"), Page("document page", "/d/"), Page("search", "/s/")]
    assert [p.name for p in choose(pages, "")] == ["bare view", "document page", "search"]
    assert [p.name for p in choose(pages, "search")] == ["bare view", "search"]
    with pytest.raises(ValueError, match="Unknown page comparison: choose among bare view"):
        choose(pages, "search, comparison")
