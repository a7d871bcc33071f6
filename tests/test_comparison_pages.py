"""The comparison page at book size: the first rows first, the rest as the reader scrolls."""

import re

import pytest
from django.urls import reverse

from editions.booksize import synthetic_book


def rows_in(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="drow-(\d+)"', html)]


@pytest.fixture
def book(edition):
    return synthetic_book(edition, rows=120)


def compare(client, book, **params):
    url = reverse("editions:compare", args=[book.edition.slug, book.slug])
    htmx = {"HTTP_HX_REQUEST": "true"} if params.pop("htmx", False) else {}
    return client.get(url, params, **htmx).content.decode()


def test_the_comparison_sends_its_first_rows_and_the_whole_texts_figures(client_as, book):
    html = compare(client_as("reader"), book, a="en-a", b="en-b")
    assert rows_in(html) == list(range(1, 51))
    assert "of 120 rows differ" in html  # the summary still covers every row
    assert 'hx-trigger="revealed"' in html and "offset=50" in html


def test_the_next_rows_come_as_a_fragment_and_end_the_comparison(client_as, book):
    client = client_as("reader")
    html = compare(client, book, a="en-a", b="en-b", offset=50, fragment="rows", htmx=True)
    assert rows_in(html) == list(range(51, 101))
    assert "<html" not in html and "offset=100" in html
    last = compare(client, book, a="en-a", b="en-b", offset=100, fragment="rows", htmx=True)
    assert rows_in(last) == list(range(101, 121)) and "revealed" not in last


def test_a_row_number_opens_the_page_of_rows_holding_it(client_as, book):
    html = compare(client_as("reader"), book, a="en-a", b="en-b", row=110)
    assert rows_in(html) == list(range(101, 121))
    assert "From the first row" in html


def test_two_languages_get_their_anchors_for_the_rows_sent(client_as, book):
    client = client_as("reader")
    html = compare(client, book, a="fr", b="en-a")
    assert rows_in(html) == list(range(1, 51))
    assert 'class="anchor anchor-number"' in html  # the paragraph numbers, marked
    later = compare(client, book, a="fr", b="en-a", offset=50, fragment="rows", htmx=True)
    assert rows_in(later) == list(range(51, 101)) and "anchor-number" in later


def test_an_edit_reaches_the_cached_comparison_at_once(client_as, book, django_user_model):
    from editions.models import Segment
    from editions.revisions import save_text

    client = client_as("reader")
    before = compare(client, book, a="en-a", b="en-b")
    assert "120 of 120 rows differ" in before  # B adds " more" to every paragraph
    segment = Segment.objects.get(witness__slug="en-b", sid="p2")
    editor = django_user_model.objects.get(username="editor")
    same = Segment.objects.get(witness__slug="en-a", sid="p2").text
    save_text(segment, segment.version, same, editor, "as A has it")
    after = compare(client, book, a="en-a", b="en-b")
    assert "119 of 120 rows differ" in after
