"""Row operations of the alignment editor: each keeps every unit once, in order."""

import pytest

from editions.alignment.rows import (
    Row,
    RowError,
    check_complete,
    confirm,
    confirm_up_to,
    insert_gap,
    link,
    merge_with_next,
    move_unit,
    next_to_review,
    split,
)

SOURCES = ["p1", "p2", "p3", "p4"]
TARGETS = ["p1", "p2", "p3", "p4", "p5"]


def rows_1_to_1() -> list[Row]:
    return [
        Row(("p1",), ("p1",), 0.9),
        Row(("p2",), ("p2", "p3"), 0.4),
        Row(("p3",), ("p4",), 0.8),
        Row(("p4",), ("p5",), 0.95),
    ]


def test_merging_a_row_with_the_next_joins_their_units():
    rows = merge_with_next(rows_1_to_1(), 0)
    assert rows[0] == Row(("p1", "p2"), ("p1", "p2", "p3"))
    check_complete(rows, SOURCES, TARGETS)


def test_the_last_row_cannot_merge():
    with pytest.raises(RowError, match="last row"):
        merge_with_next(rows_1_to_1(), 3)


def test_splitting_a_one_to_two_row_leaves_the_second_target_facing_a_gap():
    rows = split(rows_1_to_1(), 1)
    assert rows[1:3] == [Row(("p2",), ("p2",)), Row((), ("p3",))]
    check_complete(rows, SOURCES, TARGETS)


def test_a_single_unit_row_cannot_be_split():
    with pytest.raises(RowError):
        split([Row(("p1",), ())], 0)


def test_moving_a_target_unit_down_gives_it_to_the_next_row():
    rows = move_unit(rows_1_to_1(), 1, "target", "down")
    assert rows[1].target == ("p2",)
    assert rows[2].target == ("p3", "p4")
    check_complete(rows, SOURCES, TARGETS)


def test_moving_a_unit_up_from_a_one_unit_row_removes_the_emptied_row():
    rows = [Row(("p1",), ("p1",)), Row((), ("p2",))]
    assert move_unit(rows, 1, "target", "up") == [Row(("p1",), ("p1", "p2"))]


def test_moving_past_the_edges_is_refused():
    with pytest.raises(RowError, match="first row"):
        move_unit(rows_1_to_1(), 0, "source", "up")
    with pytest.raises(RowError, match="last row"):
        move_unit(rows_1_to_1(), 3, "source", "down")


def test_inserting_an_empty_counterpart_separates_the_two_sides():
    rows = insert_gap(rows_1_to_1(), 2)
    assert rows[2:4] == [Row(("p3",), ()), Row((), ("p4",))]
    check_complete(rows, SOURCES, TARGETS)


def test_linking_two_units_regroups_what_lies_between():
    rows = link(rows_1_to_1(), "p3", "p3")
    assert rows[1:4] == [Row(("p2",), ("p2",)), Row(("p3",), ("p3",)), Row((), ("p4",))]
    check_complete(rows, SOURCES, TARGETS)


def test_linking_backwards_works_too():
    rows = link(rows_1_to_1(), "p4", "p4")
    assert Row(("p4",), ("p4",)) in rows
    check_complete(rows, SOURCES, TARGETS)


def test_linking_two_units_of_one_row_separates_them_from_the_rest():
    rows = link([Row(("p1", "p2"), ("p1", "p2", "p3"))], "p1", "p1")
    assert rows == [Row(("p1",), ("p1",)), Row(("p2",), ("p2", "p3"))]


def test_linking_the_units_of_a_confirmed_row_keeps_it_confirmed():
    rows = confirm(rows_1_to_1(), 0)
    assert link(rows, "p1", "p1") == rows


def test_linking_keeps_confirmed_the_rows_it_leaves_as_they_were():
    rows = confirm(rows_1_to_1(), 2)
    linked = link(rows, "p2", "p2")  # splits row 2 (p2 -> p2 p3); row 3 is not touched
    assert linked[3] == rows[2] and linked[3].confirmed
    assert not linked[1].confirmed


def test_linking_an_unknown_unit_is_refused():
    with pytest.raises(RowError, match="p9"):
        link(rows_1_to_1(), "p9", "p1")


def test_changed_rows_lose_their_confirmation_and_confidence():
    rows = confirm_up_to(rows_1_to_1(), 3)
    moved = move_unit(rows, 1, "target", "down")
    assert moved[0].confirmed
    assert not moved[1].confirmed and moved[1].confidence is None


def test_confirming_up_to_a_row_confirms_every_row_before_it():
    rows = confirm_up_to(rows_1_to_1(), 1)
    assert [r.confirmed for r in rows] == [True, True, False, False]
    assert confirm(rows, 3)[3].confirmed


def test_the_next_row_to_review_is_the_next_doubtful_unconfirmed_one():
    rows = rows_1_to_1()
    assert next_to_review(rows, 0, threshold=0.5) == 1
    assert next_to_review(rows, 1, threshold=0.5) == 1  # wraps round to the only doubtful row
    assert next_to_review(confirm(rows, 1), 1, threshold=0.5) == 2  # then the unconfirmed
    assert next_to_review(confirm_up_to(rows, 3), 0, threshold=0.5) is None


def test_incomplete_rows_are_detected():
    with pytest.raises(RowError):
        check_complete(rows_1_to_1()[:3], SOURCES, TARGETS)
