"""The annotation panel at book size: its filters' choices and its items, each made once.

The panel's author and tag filters offer every author and tag of the annotations the reader
may see: a book's thousand annotations read per request. They are kept in Django's cache under
a signature of the annotations (their count, and sums of their ids, versions and authors: an
annotation added, deleted or edited, whose every edit moves its version on, changes it), read
in one aggregate query. The edition-wide annotations' choices are shared by every reader of the
document; the reader's own private annotations' are kept apart, under their own signature and
the reader's id, so nobody's private tags reach another reader's filters. (A username changed
in the admin shows in the choices once the annotations change.)

Each listed annotation is read as plain values, and its HTML cached under a key of everything
it shows (its targets' quotes and places, category, tags, author, status, visibility, reply
count, the language): a warm list costs its two queries, not fifty model graphs and renders.
"""

import hashlib
from dataclasses import astuple, dataclass, field

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .annotating import visible_annotations
from .models import (
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Reply,
    Status,
    Visibility,
    anchor_id,
)

FACETS_TIMEOUT = 24 * 3600
ITEM_TIMEOUT = 24 * 3600
# Bump when what the choices hold, or an item's template, changes.
FACETS_SCHEMA = 1
ITEM_SCHEMA = 1

Facets = tuple[frozenset[str], frozenset[str]]  # (author usernames, tags)


def filter_choices(user, document: Document) -> dict[str, list[str]]:
    """Every author and tag of the annotations ``user`` may see on ``document`` (cached)."""
    # The visible annotations' signatures by visibility, in one query: the edition-wide ones
    # (everybody's), and the private ones, which are the reader's own.
    signatures = (
        visible_annotations(user, document)
        .order_by()
        .values("visibility")
        .annotate(count=Count("id"), ids=Sum("id"), versions=Sum("version"), authors=Sum("author"))
    )
    authors: set[str] = set()
    tags: set[str] = set()
    for signature in signatures:
        shared = signature["visibility"] == Visibility.EDITION
        owner = "shared" if shared else f"user{user.pk}"
        digest = hashlib.sha1(
            repr(sorted(signature.items())).encode(), usedforsecurity=False
        ).hexdigest()
        key = f"annofacets:{FACETS_SCHEMA}:{document.pk}:{owner}:{digest}"
        found = cache.get(key)
        if found is None:
            found = read_facets(document, _subset(shared, user))
            cache.set(key, found, FACETS_TIMEOUT)
        authors |= found[0]
        tags |= found[1]
    return {"authors": sorted(authors), "tags": sorted(tags, key=str.casefold)}


def _subset(shared: bool, user) -> Q:
    """The edition-wide annotations, or the reader's own private ones."""
    edition_wide = Q(visibility=Visibility.EDITION)
    return edition_wide if shared else ~edition_wide & Q(author=user)


def read_facets(document: Document, subset: Q) -> Facets:
    """The authors and tags of ``document``'s annotations in ``subset`` (on a cache miss)."""
    rows = (
        Annotation.objects.filter(subset, document=document)
        .order_by()  # the model's order joins the documents; a set needs none
        .values_list("author__username", "tags")
    )
    authors: set[str] = set()
    tags: set[str] = set()
    for author, annotation_tags in rows:
        if author:
            authors.add(author)
        tags.update(annotation_tags or [])
    return frozenset(authors), frozenset(tags)


@dataclass
class ListedTarget:
    pk: int
    quote: str
    start: int | None
    witness_slug: str
    sid: str

    @property
    def anchor(self) -> str:
        return anchor_id(self.witness_slug, self.sid)


@dataclass
class ListedAnnotation:
    """What an item of the list shows, read as plain values (no model instances: a warm list
    costs its two queries and fifty cache keys)."""

    pk: int
    status: str
    visibility: str
    tags: list[str]
    author: str | None
    category: Category | None  # unsaved: its name, slug and colour, for its label
    reply_count: int
    targets: list[ListedTarget] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def listed_annotations(annotations: QuerySet[Annotation]) -> list[ListedAnnotation]:
    """The annotations of ``annotations`` (a slice of a filtered query), with their reply counts
    and targets, in two queries."""
    rows = annotations.annotate(reply_count=_reply_count()).values_list(
        "pk", "status", "visibility", "tags", "author__username",
        "category__name", "category__slug", "category__color", "reply_count",
    )  # fmt: skip
    listed = [
        ListedAnnotation(
            pk=pk,
            status=status,
            visibility=visibility,
            tags=tags or [],
            author=author,
            category=Category(name=name, slug=slug, color=color) if name is not None else None,
            reply_count=replies,
        )  # fmt: skip
        for pk, status, visibility, tags, author, name, slug, color, replies in rows
    ]
    by_pk = {annotation.pk: annotation for annotation in listed}
    targets = (
        AnnotationTarget.objects.filter(annotation_id__in=by_pk)
        .order_by("annotation_id", "pk")  # the model's order would join the documents
        .values_list("annotation_id", "pk", "quote", "start", "witness__slug", "segment__sid")
    )
    for annotation_pk, pk, quote, start, witness_slug, sid in targets:
        by_pk[annotation_pk].targets.append(ListedTarget(pk, quote, start, witness_slug, sid))
    return listed


def _reply_count() -> Coalesce:
    """Each annotation's replies, counted for the listed ones only (a subquery: counting by a
    join and GROUP BY counts every visible annotation's replies before the list is cut)."""
    replies = (
        Reply.objects.filter(annotation=OuterRef("pk"))
        .order_by()
        .values("annotation")
        .annotate(count=Count("*"))
        .values("count")
    )
    return Coalesce(Subquery(replies, output_field=IntegerField()), 0)


def rendered_items(annotations: list[ListedAnnotation], document: Document) -> list[str]:
    """Each annotation's list item: cached HTML, the others rendered and stored."""
    keys = [_item_key(annotation, document) for annotation in annotations]
    found = cache.get_many(keys)
    fresh = {
        key: render_item(annotation, document)
        for annotation, key in zip(annotations, keys, strict=True)
        if key not in found
    }
    if fresh:
        cache.set_many(fresh, ITEM_TIMEOUT)
        found.update(fresh)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 - rendered by the item template


def _item_key(annotation: ListedAnnotation, document: Document) -> str:
    """Everything an item shows, hashed: a change to any of it is a new key."""
    category = annotation.category
    parts = (
        ITEM_SCHEMA, get_language(), document.edition.slug, document.slug,
        annotation.pk, annotation.status, annotation.visibility, annotation.tags,
        annotation.reply_count, annotation.author,
        category and (category.name, category.slug, category.color),
        [astuple(target) for target in annotation.targets],
    )  # fmt: skip
    return "annoitem:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def render_item(annotation: ListedAnnotation, document: Document) -> str:
    """One item of the list (what a cache miss costs; tests count these calls)."""
    url = reverse(
        "editions:annotation_detail", args=[document.edition.slug, document.slug, annotation.pk]
    )
    context = {"annotation": annotation, "document": document, "url": url}
    return render_to_string("editions/annotation_panel.html#item", context)
