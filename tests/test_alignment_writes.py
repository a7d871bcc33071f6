"""An edit to a long alignment rewrites only the rows it changed, not the whole alignment."""

from django.contrib.auth import get_user_model

from editions.alignment import rows as ops
from editions.alignment_store import change, create_alignment, rows_of
from editions.models import Document, Segment, Witness, WitnessRole


def _witness(document, slug, language, role, count):
    witness = Witness.objects.create(
        document=document, slug=slug, label=slug, language=language, role=role
    )
    Segment.objects.bulk_create(
        Segment(witness=witness, sid=f"p{n}", position=n, text=f"Paragraph {n} " * (n % 7 + 3))
        for n in range(count)
    )
    return witness


def _stored(alignment):
    return list(alignment.rows.order_by("position").values_list("pk", "position", "updated_by"))


def test_a_merge_rewrites_one_row_and_moves_the_rest_up_as_they_were(edition):
    document = Document.objects.create(edition=edition, slug="long", title="Long")
    french = _witness(document, "fr", "fr", WitnessRole.ORIGINAL, 40)
    english = _witness(document, "en", "en", WitnessRole.TRANSLATION, 40)
    owner, editor = (get_user_model().objects.get(username=n) for n in ("owner", "editor"))
    alignment = create_alignment(document, french, english, owner)
    before_rows, before = rows_of(alignment), _stored(alignment)

    change(
        alignment,
        alignment.version,
        editor,
        "merge",
        ("m", {}),
        lambda r: ops.merge_with_next(r, 5),
    )

    after = _stored(alignment)
    assert rows_of(alignment) == ops.merge_with_next(before_rows, 5)
    assert [position for _pk, position, _by in after] == list(range(len(before) - 1))
    # Rows before the edit are untouched, those after it kept their ids and authors.
    assert after[:5] == before[:5]
    assert [(pk, by) for pk, _p, by in after[6:]] == [(pk, by) for pk, _p, by in before[7:]]
    assert after[5][2] == editor.pk and after[5][0] not in {pk for pk, _p, _b in before}


def test_a_split_after_a_merge_stores_exactly_the_rows_the_operation_made(edition):
    document = Document.objects.create(edition=edition, slug="long", title="Long")
    french = _witness(document, "fr", "fr", WitnessRole.ORIGINAL, 12)
    english = _witness(document, "en", "en", WitnessRole.TRANSLATION, 12)
    alignment = create_alignment(document, french, english, None)
    merged = ops.merge_with_next(rows_of(alignment), 3)
    change(alignment, alignment.version, None, "merge", ("m", {}), lambda _r: merged)
    change(alignment, alignment.version, None, "split", ("s", {}), lambda r: ops.split(r, 3))
    rows = rows_of(alignment)
    assert rows == ops.split(merged, 3) and len(rows) > len(merged)
    assert [p for _pk, p, _by in _stored(alignment)] == list(range(len(rows)))
