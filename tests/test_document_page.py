"""The document page at book size: first screen, pages of rows, jumps, search, print, cache."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from editions import docpage
from editions.booksize import bulk_annotations, synthetic_book, verne_book
from editions.docpage import PAGE_ROWS
from editions.models import Segment, Visibility, Witness, WitnessRole
from editions.revisions import save_text


def rows_in(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="srow-(\d+)"', html)]


def url(document, name="document_detail"):
    return reverse(f"editions:{name}", args=[document.edition.slug, document.slug])


@pytest.fixture
def book(edition):
    return synthetic_book(edition, rows=120)


@pytest.mark.slow
def test_the_first_screen_of_a_book_is_its_first_rows_and_under_150_kib(
    client_as, edition, shared_dir
):
    document = verne_book(edition, shared_dir)
    response = client_as("reader").get(url(document))
    html = response.content.decode()
    assert rows_in(html) == list(range(1, PAGE_ROWS + 1))
    assert len(response.content) < 150 * 1024
    assert "Le 24 mai 1863, un dimanche" in html  # the French text, on the first screen
    assert 'hx-trigger="revealed"' in html  # the rest comes as the reader scrolls
    assert "MY UNCLE MAKES A GREAT DISCOVERY" in html  # a heading, in the navigator too


def test_the_rest_comes_by_pages_of_rows_as_the_reader_scrolls(client_as, book):
    client = client_as("reader")
    page = client.get(url(book, "document_rows"), {"start": PAGE_ROWS + 1}, HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert rows_in(html) == list(range(PAGE_ROWS + 1, 2 * PAGE_ROWS + 1))
    assert f"start={2 * PAGE_ROWS + 1}" in html  # and the next page after it
    last = client.get(
        url(book, "document_rows"), {"start": 121 - PAGE_ROWS}, HTTP_HX_REQUEST="true"
    )
    assert rows_in(last.content.decode()) == list(range(121 - PAGE_ROWS, 121))
    assert 'hx-trigger="revealed"' not in last.content.decode()


def test_a_page_of_rows_without_htmx_is_the_document_page_at_that_row(client_as, book):
    response = client_as("reader").get(url(book, "document_rows"), {"start": 50})
    assert response.status_code == 302
    assert response["Location"].endswith("?row=50")


def test_a_link_to_a_segment_lands_on_the_page_of_rows_holding_it(client_as, book):
    client = client_as("reader")
    html = client.get(url(book), {"at": "en-b-p100"}).content.decode()
    assert 'id="en-b-p100"' in html
    first = (100 - 1) // PAGE_ROWS * PAGE_ROWS + 1
    assert rows_in(html)[0] == first  # its page, with a link to the rows before it
    assert f"Show rows {first - PAGE_ROWS}–{first - 1}" in html
    assert 'id="srow-95"' in client.get(url(book), {"row": 95}).content.decode()


def test_rows_above_the_window_come_without_repeating_the_window(client_as, book):
    client = client_as("reader")
    start, end = PAGE_ROWS + 1, 2 * PAGE_ROWS
    html = client.get(
        url(book, "document_rows"), {"start": start, "end": end}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert rows_in(html) == list(range(start, end + 1))
    assert "revealed" not in html and f"Show rows 1–{PAGE_ROWS}" in html


def test_printing_gets_every_row(client_as, book):
    html = client_as("reader").get(url(book, "document_print")).content.decode()
    assert rows_in(html) == list(range(1, 121))


def test_searching_the_document_finds_the_rows_and_links_to_them(client_as, book):
    client = client_as("reader")
    html = client.get(url(book, "document_find"), {"q": "PARAGRAPH 77:"}).content.decode()
    assert "3 passages hold" in html  # the French and both translations
    assert "?at=en-a-p78#en-a-p78" in html
    assert "row 78" in html
    found = client.get(url(book, "document_find"), {"q": "paragraph 77:"}, HTTP_HX_REQUEST="true")
    assert "<html" not in found.content.decode()


def test_a_search_holding_a_nul_looks_for_nothing_and_the_page_stands(client_as, book):
    # PostgreSQL refuses a NUL in a query: the search form drops it before it gets there.
    response = client_as("reader").get(url(book, "document_find"), {"q": "PARAGRAPH\x0077"})
    assert response.status_code == 200 and "passages hold" not in response.content.decode()


def test_the_reader_chooses_the_witnesses_and_their_order(client_as, book):
    html = client_as("reader").get(url(book), {"w": "en-b,fr"}).content.decode()
    heads = re.findall(r'class="cell-head col-\d[^"]*" id="witness-([\w-]+)"', html)
    assert heads == ["en-b", "fr"]
    assert 'id="en-a-p1"' not in html
    assert f"w=en-b%2Cfr&amp;start={PAGE_ROWS + 1}" in html  # the next rows keep that choice


def test_an_unaligned_witness_stands_in_the_same_synopsis_in_its_own_order(client_as, book):
    stray = Witness.objects.create(
        document=book, slug="stray", label="Stray", language="de", role=WitnessRole.TRANSLATION
    )
    Segment.objects.create(witness=stray, sid="p1", position=0, text="Ein Absatz.")
    html = client_as("reader").get(url(book)).content.decode()
    assert 'id="witness-stray"' in html and "not aligned: in its own order" in html
    assert html.index('id="srow-1"') < html.index("Ein Absatz.") < html.index('id="srow-2"')


@pytest.mark.slow
def test_the_document_page_costs_the_same_queries_for_10_rows_or_2300(
    client_as, edition, django_assert_max_num_queries
):
    client = client_as("annotator")
    for rows, slug in ((10, "short"), (2300, "long")):
        document = synthetic_book(edition, rows=rows, slug=slug)
        client.get(url(document))  # warm the layout
        with django_assert_max_num_queries(14):
            assert client.get(url(document)).status_code == 200


def annotate(document, user, count: int, visibility=Visibility.EDITION):
    """``count`` annotations of the first rows."""
    segments = list(Segment.objects.filter(witness__document=document).order_by("pk")[:count])
    bulk_annotations(
        document, segments, [user], count, body="note {n}", quote=5, visibility=visibility
    )


@pytest.mark.parametrize("count", [10, 500])
def test_the_document_page_costs_the_same_queries_whatever_the_annotations(
    client_as, book, django_user_model, django_assert_max_num_queries, count
):
    annotate(book, django_user_model.objects.get(username="annotator"), count)
    client = client_as("annotator")
    with django_assert_max_num_queries(26):  # cold: the layout built, every row rendered
        assert client.get(url(book)).status_code == 200
    with django_assert_max_num_queries(14):  # warm: the rows from the cache
        assert client.get(url(book)).status_code == 200


def test_a_warm_read_renders_no_row_and_an_edit_renders_one(client_as, book, django_user_model):
    client = client_as("editor")
    client.get(url(book))
    with mock.patch.object(docpage, "render_row", wraps=docpage.render_row) as render_row:
        client.get(url(book))
        assert render_row.call_count == 0  # every row from the cache
        segment = Segment.objects.get(witness__slug="en-a", sid="p3")
        editor = django_user_model.objects.get(username="editor")
        save_text(segment, segment.version, "A new third paragraph.", editor, "")
        html = client.get(url(book)).content.decode()
        assert render_row.call_count == 1
    assert "A new third paragraph." in html


def test_another_readers_private_annotation_is_not_served_from_the_cache(
    client_as, book, django_user_model
):
    author = django_user_model.objects.get(username="annotator")
    annotate(book, author, 1, visibility=Visibility.PRIVATE)
    mine = client_as("annotator").get(url(book)).content.decode()
    assert 'class="anno"' in mine
    theirs = client_as("reader").get(url(book)).content.decode()
    assert 'class="anno"' not in theirs


def test_a_new_annotation_changes_its_row_only(client_as, book, django_user_model):
    client = client_as("annotator")
    client.get(url(book))
    annotate(book, django_user_model.objects.get(username="annotator"), 1)
    with mock.patch.object(docpage, "render_row", wraps=docpage.render_row) as render_row:
        html = client.get(url(book)).content.decode()
    assert render_row.call_count == 1 and 'class="anno"' in html


def test_the_live_refresh_rereads_the_rows_the_reader_has_loaded(client_as, book):
    html = (
        client_as("reader")
        .get(url(book), {"fragment": "body", "start": 1, "end": 90}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert rows_in(html) == list(range(1, 91))
    assert html.lstrip().startswith('<div id="document-body"')


def test_outsiders_get_no_rows_search_or_print(client_as, book):
    client = client_as("outsider")
    for name in ("document_rows", "document_find", "document_print"):
        assert client.get(url(book, name), {"q": "x"}).status_code == 404
