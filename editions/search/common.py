"""What a query may return (``Filters``), what it returns, and the SQL conditions both
databases share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Filters:
    """Which entries a query may return. ``edition_ids`` is what the user may read.

    How they combine: edition and dates are the document's, for every source. Language, role
    and translator are a witness's: a segment's and a quote's own witness, any target's
    witness for an annotation's note (a note about the Martin translation is found with the
    Martin translation), and metadata never. ``category_ids`` (None: any) keeps annotations
    of those categories only. ``user_id`` is whose private annotations may be found (None:
    nobody's): any other private annotation never is, on either database.
    """

    edition_ids: Sequence[int]
    language: str = ""
    role: str = ""
    translator: str = ""
    date_from: date | None = None
    date_to: date | None = None
    document_ids: Sequence[int] = ()
    user_id: int | None = None
    category_ids: Sequence[int] | None = None
    # Spellings searched as one (``equivalence_groups`` of the editions searched).
    equivalents: Sequence[Sequence[str]] = ()

    @property
    def witness_only(self) -> bool:
        return bool(self.language or self.role or self.translator)


@dataclass(frozen=True)
class Match:
    source: int
    object_id: int
    score: float
    snippet: str = ""


def in_list(column: str, values: Sequence) -> tuple[str, list]:
    values = list(values) or [0]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", values


def document_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the document ``d``: readable edition, chosen documents, dates."""
    sql, params = in_list("d.edition_id", filters.edition_ids)
    conditions = [sql]
    if filters.document_ids:
        sql, ids = in_list("d.id", filters.document_ids)
        conditions.append(sql)
        params += ids
    dates = (("d.date >= %s", filters.date_from), ("d.date <= %s", filters.date_to))
    for condition, value in dates:
        if value:
            conditions.append(condition)
            params.append(value)
    return " AND ".join(conditions), params


def witness_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the witness ``w``: language, role, translator."""
    conditions, params = ["1 = 1"], []
    for column in ("language", "role", "translator"):
        value = getattr(filters, column)
        if value:
            conditions.append(f"w.{column} = %s")
            params.append(value)
    return " AND ".join(conditions), params


def annotation_conditions(filters: Filters) -> tuple[str, list]:
    """Conditions on the annotation ``a``: visible to the user, of the chosen categories."""
    sql, params = "a.visibility = 'edition'", []
    if filters.user_id is not None:
        sql, params = "(a.visibility = 'edition' OR a.author_id = %s)", [filters.user_id]
    if filters.category_ids is not None:
        categories, ids = in_list("a.category_id", filters.category_ids)
        sql, params = f"{sql} AND {categories}", params + ids
    return sql, params


def targets_on_witnesses(filters: Filters) -> tuple[str, list]:
    """The ids of annotations with a target on a witness the witness filters keep."""
    witnesses, params = witness_conditions(filters)
    return (
        "SELECT t.annotation_id FROM editions_annotationtarget t "
        f"JOIN editions_witness w ON w.id = t.witness_id WHERE {witnesses}",
        params,
    )


@dataclass(frozen=True)
class Candidate:
    """A segment that may hold hits; ``marked`` has the index's hits marked, when it knows.

    ``order`` is its place in document date order, for reading on after it.
    """

    segment_id: int
    witness_id: int
    document_id: int
    sid: str
    text: str
    marked: str = ""
    order: tuple = ()
