"""Annotations as a service: making, changing, re-anchoring after edits, orphans."""

import pytest
from django.contrib.auth import get_user_model

from editions.annotating import (
    AnnotationError,
    Span,
    add_reply,
    create_annotation,
    ensure_categories,
    reanchor_segment,
    reattach,
    update_annotation,
    visible_annotations,
)
from editions.models import Event
from editions.versioning import StaleVersion

TEXT = (
    "Everyone admits that the Soviets miscalculated. It remains hard to define their real "
    "aim. We ignore whether the Soviet military reinforcement to Cuba was in response to a "
    "Cuban demand or a Soviet initiative."
)


@pytest.fixture
def paragraph(document):
    segment = document.witnesses.get().segments.get(sid="p1")
    segment.text = TEXT
    segment.save()
    ensure_categories(document.edition)
    return segment


def user(name):
    return get_user_model().objects.get(username=name)


def _annotate(paragraph, quote="We ignore whether", **kwargs):
    start = paragraph.text.index(quote)
    return create_annotation(
        user=kwargs.pop("author", user("annotator")),
        document=paragraph.witness.document,
        spans=[Span(paragraph, start, start + len(quote))],
        body=kwargs.pop("body", "A **false friend**: *ignorer* is *not to know*."),
        category=paragraph.witness.document.edition.categories.get(slug="false-friend"),
        **kwargs,
    )


def _edit(paragraph, new_text):
    paragraph.text = new_text
    paragraph.save()
    return reanchor_segment(paragraph)


def test_an_annotation_stores_w3c_selectors_and_renders_its_markdown_safely(paragraph):
    annotation = _annotate(paragraph, body="**bold** <script>x</script> [a](javascript:x)")
    target = annotation.targets.get()
    types = {s["type"] for s in target.selectors}
    assert types == {"TextQuoteSelector", "TextPositionSelector"}
    assert target.quote == "We ignore whether"
    assert "<strong>bold</strong>" in annotation.body_html
    assert "<script>" not in annotation.body_html
    assert 'href="javascript' not in annotation.body_html


def test_it_follows_a_typo_fixed_inside_the_quote(paragraph):
    annotation = _annotate(paragraph, quote="the Soviet military reinforcement")
    _edit(paragraph, TEXT.replace("military", "militray").replace("militray", "military "))
    target = annotation.targets.get()
    assert target.start is not None
    assert "reinforcement" in paragraph.text[target.start : target.end]


def test_it_follows_words_inserted_before_the_quote(paragraph):
    annotation = _annotate(paragraph)
    _edit(paragraph, "Indeed, as the Department notes, " + TEXT)
    target = annotation.targets.get()
    assert paragraph.text[target.start : target.end] == "We ignore whether"


def test_it_follows_the_quote_when_its_sentence_moves(paragraph):
    annotation = _annotate(paragraph)
    first, second, third = TEXT.split(". ")
    _edit(paragraph, f"{third} {first}. {second}.")
    target = annotation.targets.get()
    assert paragraph.text[target.start : target.end] == "We ignore whether"


def test_a_deleted_quote_makes_an_orphan_that_is_kept_and_reattachable(paragraph):
    annotation = _annotate(paragraph)
    kept, orphaned = _edit(paragraph, TEXT.replace("We ignore whether", "Nobody can say if"))
    target = annotation.targets.get()
    assert (kept, orphaned) == (0, 1)
    assert target.orphaned and target.quote == "We ignore whether"
    start = paragraph.text.index("Nobody can say if")
    reattach(target, Span(paragraph, start, start + len("Nobody can say if")))
    target.refresh_from_db()
    assert not target.orphaned and target.quote == "Nobody can say if"


def test_a_stale_edit_is_refused(paragraph):
    annotation = _annotate(paragraph)
    update_annotation(annotation, 1, body="First", category=None, tags=[], visibility="edition")
    with pytest.raises(StaleVersion):
        update_annotation(
            annotation, 1, body="Second", category=None, tags=[], visibility="edition"
        )
    annotation.refresh_from_db()
    assert annotation.body == "First"


def test_private_annotations_are_visible_to_their_author_only(paragraph):
    _annotate(paragraph, visibility="private")
    document = paragraph.witness.document
    assert visible_annotations(user("annotator"), document).count() == 1
    assert visible_annotations(user("owner"), document).count() == 0


def test_mentions_of_members_are_recorded(paragraph):
    annotation = _annotate(paragraph, body="@editor please check; @nobody is not a member")
    reply = add_reply(annotation, user("editor"), "Agreed, @annotator.")
    assert annotation.mentions == ["editor"]
    assert reply.mentions == ["annotator"]


def test_every_change_is_an_event_for_live_readers(paragraph):
    annotation = _annotate(paragraph)
    add_reply(annotation, user("editor"), "Yes.")
    assert list(Event.objects.values_list("kind", flat=True)) == [
        "annotation-created",
        "annotation-changed",
    ]


def test_selecting_nothing_is_refused(paragraph):
    with pytest.raises(AnnotationError):
        create_annotation(
            user=user("annotator"),
            document=paragraph.witness.document,
            spans=[Span(paragraph, 5, 5)],
            body="x",
        )
