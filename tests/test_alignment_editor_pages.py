"""The alignment editor at book size: a window of rows around the one in focus."""

import re

import pytest

from editions.booksize import synthetic_book
from editions.models import Alignment, AlignmentRow
from editions.views.alignments import EDITOR_PAGE_ROWS as PAGE


def rows_in(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="row-(\d+)"', html)]


@pytest.fixture
def alignment(edition):
    document = synthetic_book(edition, rows=250)
    return Alignment.objects.get(document=document, target__slug="en-a")


def test_the_editor_sends_its_first_rows_and_counts_them_all(client_as, alignment):
    html = client_as("editor").get(alignment.get_absolute_url()).content.decode()
    assert rows_in(html) == list(range(PAGE))
    assert "250 rows" in html
    assert 'hx-trigger="revealed"' in html and f"?row={PAGE}&amp;fragment=rows" in html


def test_the_next_rows_come_as_the_editor_scrolls(client_as, alignment):
    client = client_as("editor")
    html = client.get(
        alignment.get_absolute_url(), {"row": PAGE, "fragment": "rows"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert rows_in(html) == list(range(PAGE, 2 * PAGE))
    assert "<html" not in html and f"?row={2 * PAGE}&amp;fragment=rows" in html


def test_a_row_in_focus_brings_its_page(client_as, alignment):
    html = client_as("editor").get(alignment.get_absolute_url(), {"row": 230}).content.decode()
    first = 230 // PAGE * PAGE
    assert rows_in(html) == list(range(first, min(first + PAGE, 250)))
    assert 'class="arow automatic selected"' in html.replace(" low", "")
    assert f"Show rows 1–{first}" in html


def test_next_to_review_finds_a_doubtful_row_beyond_the_page(client_as, alignment):
    AlignmentRow.objects.filter(alignment=alignment, position=180).update(confidence=0.1)
    html = (
        client_as("editor")
        .get(alignment.get_absolute_url(), {"row": 5, "next": 1})
        .content.decode()
    )
    assert 'id="row-180" data-row="180" data-review="1"' in html
    assert 'data-focus="180"' in html
