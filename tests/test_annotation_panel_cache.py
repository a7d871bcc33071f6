"""The annotation panel's caches: filter choices per annotation state and reader, items by content."""

import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from editions import panel_cache
from editions.annotating import (
    Span,
    add_reply,
    create_annotation,
    delete_annotation,
    set_status,
    update_annotation,
)
from editions.booksize import synthetic_book
from editions.models import Segment, Status, Visibility


@pytest.fixture
def book(edition):
    return synthetic_book(edition, rows=30)


def user(name: str):
    return get_user_model().objects.get(username=name)


def note(document, author: str, tags, visibility=Visibility.EDITION, n: int = 0):
    segment = Segment.objects.filter(witness__document=document).order_by("pk")[n]
    return create_annotation(
        user=user(author), document=document, spans=[Span(segment, 0, 5)],
        body=f"note {n}", tags=tags, visibility=visibility,
    )  # fmt: skip


def panel(client, document) -> str:
    url = reverse("editions:annotation_panel", args=[document.edition.slug, document.slug])
    return client.get(url).content.decode()


def tag_choices(html: str) -> list[str]:
    select = re.search(r'<select name="tag".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(0)) if select else []


def author_choices(html: str) -> list[str]:
    select = re.search(r'<select name="author".*?</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def counting(name: str):
    return mock.patch.object(panel_cache, name, wraps=getattr(panel_cache, name))


def test_a_warm_panel_reads_no_choices_and_renders_no_item(client_as, book):
    for n in range(5):
        note(book, "annotator", [f"t{n}"], n=n)
    client = client_as("reader")
    panel(client, book)
    with counting("read_facets") as read, counting("render_item") as render:
        html = panel(client, book)
    assert read.call_count == 0 and render.call_count == 0
    assert tag_choices(html) == ["t0", "t1", "t2", "t3", "t4"]
    assert html.count('class="annotation-item') == 5


def test_the_choices_follow_every_change(client_as, book):
    first = note(book, "annotator", ["alpha"])
    client = client_as("reader")
    assert tag_choices(panel(client, book)) == ["alpha"]
    second = note(book, "editor", ["beta"], n=1)
    html = panel(client, book)
    assert tag_choices(html) == ["alpha", "beta"] and author_choices(html) == [
        "annotator",
        "editor",
    ]
    update_annotation(
        first, first.version, body="note", category=None, tags=["gamma"], visibility="edition"
    )
    assert tag_choices(panel(client, book)) == ["beta", "gamma"]
    delete_annotation(second)
    html = panel(client, book)
    assert tag_choices(html) == ["gamma"] and author_choices(html) == ["annotator"]


def test_private_tags_stay_with_their_author(client_as, book):
    note(book, "annotator", ["shared"])
    reader = panel(client_as("reader"), book)  # cached first by another reader
    note(book, "annotator", ["secret"], visibility=Visibility.PRIVATE, n=1)
    mine = panel(client_as("annotator"), book)
    assert tag_choices(mine) == ["secret", "shared"]
    assert tag_choices(reader) == ["shared"]
    assert tag_choices(panel(client_as("reader"), book)) == ["shared"]  # after the author's
    assert tag_choices(panel(client_as("editor"), book)) == ["shared"]
    assert "secret" not in panel(client_as("owner"), book)


def test_an_item_is_rendered_again_when_what_it_shows_changes(client_as, book):
    annotation = note(book, "annotator", ["alpha"])
    note(book, "annotator", ["beta"], n=1)
    client = client_as("reader")
    panel(client, book)
    add_reply(annotation, user("editor"), "agreed")
    with counting("render_item") as render:
        html = panel(client, book)
    assert render.call_count == 1 and "1 reply" in html
    set_status(annotation, Status.RESOLVED)
    with counting("render_item") as render:
        html = panel(client, book)
    assert render.call_count == 1 and "status-resolved" in html


def test_items_are_listed_in_the_readers_language(client_as, book):
    note(book, "annotator", ["alpha"])
    client = client_as("reader")
    assert "go to the passage" in panel(client, book)
    client.cookies["django_language"] = "fr"
    with counting("render_item") as render:
        html = panel(client, book)
    assert render.call_count == 1 and "go to the passage" not in html
