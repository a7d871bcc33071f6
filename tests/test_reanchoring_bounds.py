"""The work after an edit is bounded and outside the row lock: re-anchoring searches at most
``REANCHOR_MAX_ANNOTATIONS`` targets, and writes nothing if the text moved on meanwhile."""

import pytest
from django.contrib.auth import get_user_model

from editions.annotating import Span, create_annotation, reanchor_segment
from editions.models import AnnotationTarget, Segment
from editions.revisions import save_text

from .steps import count_steps

TEXT = "Mr Rusk stressed that the Soviet bases in Cuba were being built at a fast pace."


@pytest.fixture
def paragraph(document):
    segment = document.witnesses.get().segments.get(sid="p1")
    Segment.objects.filter(pk=segment.pk).update(text=TEXT)
    segment.refresh_from_db()
    return segment


def annotate(paragraph, count: int) -> None:
    author = get_user_model().objects.get(username="annotator")
    for n in range(count):
        start = TEXT.index("Soviet")
        create_annotation(
            user=author,
            document=paragraph.witness.document,
            spans=[Span(paragraph, start, start + 6)],
            body=f"Note {n}",
        )


def test_past_the_limit_targets_become_orphans_without_being_searched(paragraph, settings):
    settings.REANCHOR_MAX_ANNOTATIONS = 2
    annotate(paragraph, 5)
    save_text(paragraph, paragraph.version, "Now the Soviet bases " + TEXT, None)
    targets = AnnotationTarget.objects.order_by("pk")
    assert [t.start is not None for t in targets] == [True, True, False, False, False]
    assert all(t.quote == "Soviet" for t in targets)  # kept, to be re-attached by hand


def test_the_search_grows_with_the_limit_not_with_the_annotations(paragraph, settings):
    settings.REANCHOR_MAX_ANNOTATIONS = 3
    annotate(paragraph, 6)

    def searched() -> int:
        paragraph.text = paragraph.text + " More."
        Segment.objects.filter(pk=paragraph.pk).update(text=paragraph.text)
        steps = count_steps(lambda: reanchor_segment(paragraph))
        return sum(n for name, n in steps.items() if name.endswith("anchoring.py"))

    few = searched()
    annotate(paragraph, 24)
    assert searched() == few


def test_a_text_saved_again_meanwhile_is_left_to_that_save(paragraph):
    annotate(paragraph, 1)
    stale = Segment.objects.get(pk=paragraph.pk)
    Segment.objects.filter(pk=paragraph.pk).update(version=stale.version + 1, text="Other.")
    stale.text = "Changed " + TEXT
    assert reanchor_segment(stale) == (0, 0)
    assert AnnotationTarget.objects.get().start is not None  # untouched
