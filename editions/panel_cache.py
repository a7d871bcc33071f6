"""The annotation panel at book size: its filters' choices and its items, each made once.

The panel's author and tag filters offer every author and tag of the annotations the reader
may see: a book's thousand annotations read per request. They are kept in Django's cache under
a signature of the annotations (their count, and sums of their ids, versions and authors: an
annotation added, deleted or edited, whose every edit moves its version on, changes it), read
in one aggregate query. The edition-wide annotations' choices are shared by every reader of the
document; the reader's own private annotations' are kept apart, under their own signature and
the reader's id, so nobody's private tags reach another reader's filters.

Each listed annotation's HTML is cached under a key of everything it shows (its targets'
quotes and places, category, tags, author, status, visibility, reply count, the language):
a warm list costs its query, not fifty renders.
"""

import hashlib

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .annotation_models import Annotation, Visibility
from .models import Document

FACETS_TIMEOUT = 24 * 3600
ITEM_TIMEOUT = 24 * 3600
# Bump when what the choices hold, or an item's template, changes.
FACETS_SCHEMA = 1
ITEM_SCHEMA = 1

Facets = tuple[frozenset[str], frozenset[str]]  # (author usernames, tags)


def filter_choices(user, document: Document) -> dict[str, list[str]]:
    """Every author and tag of the annotations ``user`` may see on ``document`` (cached)."""
    shared = Q(visibility=Visibility.EDITION)
    own = ~shared & Q(author=user)
    signatures = Annotation.objects.filter(document=document).aggregate(
        **_signature("shared", shared), **_signature("own", own)
    )
    authors: set[str] = set()
    tags: set[str] = set()
    parts = [("shared", shared, f"annofacets:{FACETS_SCHEMA}:{document.pk}:shared")]
    if signatures["own_count"]:
        parts.append(("own", own, f"annofacets:{FACETS_SCHEMA}:{document.pk}:user{user.pk}"))
    for name, subset, prefix in parts:
        key = f"{prefix}:{_digest(signatures, name)}"
        found = cache.get(key)
        if found is None:
            found = read_facets(document, subset)
            cache.set(key, found, FACETS_TIMEOUT)
        authors |= found[0]
        tags |= found[1]
    return {"authors": sorted(authors), "tags": sorted(tags, key=str.casefold)}


def _signature(name: str, subset: Q) -> dict:
    return {
        f"{name}_count": Count("id", filter=subset),
        f"{name}_ids": Sum("id", filter=subset),
        f"{name}_versions": Sum("version", filter=subset),
        f"{name}_authors": Sum("author_id", filter=subset),
    }


def _digest(signatures: dict, name: str) -> str:
    values = sorted((k, v) for k, v in signatures.items() if k.startswith(f"{name}_"))
    return hashlib.sha1(repr(values).encode()).hexdigest()


def read_facets(document: Document, subset: Q) -> Facets:
    """The authors and tags of ``document``'s annotations in ``subset`` (on a cache miss)."""
    rows = (
        Annotation.objects.filter(subset, document=document)
        .order_by()  # the model's order joins the documents; a set needs none
        .values_list("author__username", "tags")
    )
    authors, tags = set(), set()
    for author, annotation_tags in rows:
        if author:
            authors.add(author)
        tags.update(annotation_tags or [])
    return frozenset(authors), frozenset(tags)


def rendered_items(annotations: list, document: Document) -> list[str]:
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


def _item_key(annotation: Annotation, document: Document) -> str:
    """Everything an item shows, hashed: a change to any of it is a new key."""
    category = annotation.category
    parts = (
        ITEM_SCHEMA, get_language(), document.edition.slug, document.slug,
        annotation.pk, annotation.status, annotation.visibility, annotation.tags,
        annotation.reply_count, annotation.author and annotation.author.get_username(),
        category and (category.label, category.color),
        [(t.pk, t.quote, t.start, t.witness.slug, t.segment.sid) for t in annotation.targets.all()],
    )  # fmt: skip
    return "annoitem:" + hashlib.sha1(repr(parts).encode()).hexdigest()


def render_item(annotation: Annotation, document: Document) -> str:
    """One item of the list (what a cache miss costs; tests count these calls)."""
    context = {"annotation": annotation, "document": document}
    return render_to_string("editions/annotation_panel.html#item", context)
