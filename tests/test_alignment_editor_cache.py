"""The alignment editor's caches: the review state per version, each row by content."""

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse

from editions import editor_rows
from editions.booksize import synthetic_book
from editions.models import Alignment, AlignmentRow, Segment
from editions.views.alignments import EDITOR_PAGE_ROWS as PAGE


@pytest.fixture
def alignment(edition):
    document = synthetic_book(edition, rows=120)
    return Alignment.objects.get(document=document, target__slug="en-a")


def operate(client, alignment, op: str, row: int):
    alignment.refresh_from_db()
    url = reverse(
        "editions:alignment_operate",
        args=[alignment.document.edition.slug, alignment.document.slug, alignment.pk],
    )
    response = client.post(
        url, {"op": op, "row": row, "version": alignment.version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def counting(name: str):
    return mock.patch.object(editor_rows, name, wraps=getattr(editor_rows, name))


def test_a_warm_editor_reads_neither_every_row_nor_renders_one(client_as, alignment):
    client = client_as("editor")
    client.get(alignment.get_absolute_url())
    with counting("read_review_state") as read, counting("render_row") as render:
        html = client.get(alignment.get_absolute_url()).content.decode()
    assert read.call_count == 0 and render.call_count == 0
    assert "120 rows" in html and 'id="row-39"' in html


def test_a_change_reads_the_state_again_and_the_counts_follow(client_as, alignment):
    client = client_as("editor")
    html = client.get(alignment.get_absolute_url()).content.decode()
    assert "0 confirmed" in html and "Undo" in html
    assert re.search(r'value="undo"[^>]*disabled', html)
    with counting("read_review_state") as read:
        html = operate(client, alignment, "confirm", 3)
    assert read.call_count == 1
    assert "1 confirmed" in html and not re.search(r'value="undo"[^>]*disabled', html)
    assert 'class="arow confirmed' in html


def test_a_row_edit_renders_that_row_only(client_as, alignment):
    client = client_as("editor")
    client.get(alignment.get_absolute_url())
    # The next page too, so that a row moving into the first page is cached already.
    client.get(alignment.get_absolute_url(), {"row": PAGE, "fragment": "rows"}, HTTP_HX_REQUEST="1")
    with counting("render_row") as render:
        operate(client, alignment, "confirm", 3)
    assert render.call_count == 1  # the row confirmed; the others only have a new version
    with counting("render_row") as render:
        html = operate(client, alignment, "merge", 5)
    assert render.call_count == 1  # the merged row; the rows after it only moved up
    assert html.count('class="arow ') == 1 + PAGE + 1  # the head, the page's rows, "more"


def test_each_row_gets_its_number_focus_and_form_filled_in(client_as, alignment):
    client = client_as("editor")
    Segment.objects.filter(witness=alignment.target, sid="p3").update(text="odd <!--row--> text")
    client.get(alignment.get_absolute_url())
    html = operate(client, alignment, "merge", 5)  # the rows after the sixth move up
    alignment.refresh_from_db()
    places = re.findall(r'id="row-(\d+)" data-row="(\d+)"', html)
    assert places == [(str(n), str(n)) for n in range(PAGE)]
    numbers = re.findall(r'<span class="rownum">(\d+)</span>', html)
    assert numbers == [str(n + 1) for n in range(PAGE)]
    forms = re.findall(
        r'name="version" value="(\d+)">\s*<input type="hidden" name="row" value="(\d+)">', html
    )
    assert forms == [(str(alignment.version), str(n)) for n in range(PAGE)]
    assert re.findall(r'class="arow [^"]*selected" role="row"\s+id="row-(\d+)"', html) == ["5"]
    assert "odd &lt;!--row--&gt; text" in html  # a mark in a text is only text


def test_an_edited_unit_renders_its_row_again(client_as, alignment):
    client = client_as("editor")
    client.get(alignment.get_absolute_url())
    Segment.objects.filter(witness=alignment.target, sid="p7").update(
        text="A new translation of it.", version=F("version") + 1
    )
    with counting("render_row") as render:
        html = client.get(alignment.get_absolute_url()).content.decode()
    assert render.call_count == 1 and "A new translation of it." in html


def test_next_to_review_follows_the_changes(client_as, alignment):
    client = client_as("editor")
    AlignmentRow.objects.filter(alignment=alignment, position__in=[10, 90]).update(confidence=0.1)
    html = client.get(alignment.get_absolute_url(), {"row": 0, "next": 1}).content.decode()
    assert 'data-focus="10"' in html and "2 to review" in html
    operate(client, alignment, "confirm", 10)
    html = client.get(alignment.get_absolute_url(), {"row": 0, "next": 1}).content.decode()
    assert 'data-focus="90"' in html and "1 to review" in html
    operate(client, alignment, "undo", 0)
    html = client.get(alignment.get_absolute_url(), {"row": 50, "next": 1}).content.decode()
    assert 'data-focus="90"' in html and "2 to review" in html


def test_readers_and_editors_get_their_own_cells(client_as, alignment):
    disabled_unit = 'disabled><span class="sid">'
    editor = client_as("editor").get(alignment.get_absolute_url()).content.decode()
    assert 'class="unit ' in editor and disabled_unit not in editor
    reader = client_as("reader").get(alignment.get_absolute_url()).content.decode()
    assert reader.count(disabled_unit) == editor.count('class="unit ')
    assert 'class="row-ops"' not in reader


def test_a_state_read_while_the_alignment_changed_is_not_cached(alignment):
    stale = Alignment.objects.get(pk=alignment.pk)
    Alignment.objects.filter(pk=alignment.pk).update(version=F("version") + 1)
    editor_rows.review_state(stale)
    assert cache.get(f"alignstate:{editor_rows.STATE_SCHEMA}:{stale.pk}:{stale.version}") is None
    current = Alignment.objects.get(pk=alignment.pk)
    state = editor_rows.review_state(current)
    assert (
        cache.get(f"alignstate:{editor_rows.STATE_SCHEMA}:{current.pk}:{current.version}") == state
    )


def test_the_review_state_wraps_round():
    state = editor_rows.ReviewState("cdcuc", can_undo=False, can_redo=False)
    assert state.next_to_review(-1) == 1  # doubtful first
    assert state.next_to_review(1) == 1  # wrapping round to the only doubtful row
    assert editor_rows.ReviewState("cucuc", False, False).next_to_review(1) == 3
    assert editor_rows.ReviewState("ccc", False, False).next_to_review(0) is None
    assert (state.total, state.confirmed_count, state.low_count) == (5, 3, 1)
