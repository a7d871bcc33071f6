"""The annotation panel lists annotations, their targets, replies and authors in fixed queries."""

import re

import pytest
from django.urls import reverse

from editions.booksize import bulk_annotations, bulk_replies, synthetic_book
from editions.models import Annotation, AnnotationTarget, Segment
from editions.views.annotations import MAX_LISTED


def annotate(document, users, count: int) -> None:
    """``count`` annotations with a target, a reply, and an orphan target on every third one."""
    segments = list(Segment.objects.filter(witness__document=document).order_by("pk")[:count])
    annotations = bulk_annotations(
        document, segments, users, count, body="note {n} @reader", quote=8, tags=7
    )
    AnnotationTarget.objects.bulk_create(  # orphans: their text changed too much
        AnnotationTarget(annotation=a, witness_id=s.witness_id, segment=s, quote="gone")
        for a, s in zip(annotations[::3], segments[::3], strict=False)
    )
    bulk_replies(annotations, users[0], "agreed")


@pytest.mark.parametrize("count", [10, 500])
def test_the_panel_costs_the_same_queries_for_10_or_500_annotations(
    client_as, edition, django_user_model, django_assert_max_num_queries, count
):
    document = synthetic_book(edition, rows=200)
    users = list(django_user_model.objects.filter(username__in=["annotator", "editor", "owner"]))
    annotate(document, users, count)
    client = client_as("reader")
    panel = reverse("editions:annotation_panel", args=[edition.slug, document.slug])
    with django_assert_max_num_queries(12):
        response = client.get(panel)
    html = response.content.decode()
    assert html.count('class="annotation-item') == min(count, MAX_LISTED)  # the newest first
    assert html.count('class="orphan"') == len(range(0, count, 3))
    assert ("offset=50" in html) == (count > MAX_LISTED)  # the next ones as the panel scrolls
    assert "go to the passage" in html


def test_the_panel_filters_cost_no_more(
    client_as, edition, django_user_model, django_assert_max_num_queries
):
    document = synthetic_book(edition, rows=50)
    users = list(django_user_model.objects.filter(username__in=["annotator", "editor"]))
    annotate(document, users, 60)
    panel = reverse("editions:annotation_panel", args=[edition.slug, document.slug])
    client = client_as("reader")
    with django_assert_max_num_queries(13):
        html = client.get(panel, {"author": "editor", "mine": "1", "tag": "t1"}).content.decode()
    assert 0 < html.count('class="annotation-item') < 60


def test_the_next_annotations_come_as_the_panel_scrolls(
    client_as, edition, django_user_model, django_assert_max_num_queries
):
    document = synthetic_book(edition, rows=50)
    annotate(document, list(django_user_model.objects.filter(username="annotator")), 120)
    panel = reverse("editions:annotation_panel", args=[edition.slug, document.slug])
    client = client_as("reader")
    with django_assert_max_num_queries(10):
        html = client.get(panel, {"offset": 100}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count('class="annotation-item') == 20 and "offset=" not in html
    ids = [int(n) for n in re.findall(r'data-annotation="(\d+)"', html)]
    first = min(Annotation.objects.values_list("pk", flat=True))
    assert ids == list(range(first + 19, first - 1, -1))  # the oldest twenty, newest first
    middle = client.get(panel, {"offset": 50}, HTTP_HX_REQUEST="true").content.decode()
    assert "offset=100" in middle and "<form" not in middle
