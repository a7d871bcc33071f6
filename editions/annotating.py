"""Annotations: who may see and change them, making and changing them, re-anchoring them.

Every change is one transaction that also publishes an event for the document
(``events.publish``), which is what live readers receive.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from . import inbox_cache, limits
from .anchoring import anchor, build_selectors
from .events import publish
from .markup import mentioned, render_markdown
from .models import (
    DEFAULT_CATEGORIES,
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Edition,
    Notification,
    Reply,
    Role,
    Segment,
    Status,
    Visibility,
)
from .permissions import has_role
from .versioning import update_if_current


class AnnotationError(ValueError):
    """A request that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Span:
    segment: Segment
    start: int
    end: int


def ensure_categories(edition: Edition) -> None:
    """Give an edition the default taxonomy if it has no category yet."""
    if edition.categories.exists():
        return
    # Two first visits at once both find none: the second's inserts are the first's rows.
    Category.objects.bulk_create(
        (
            Category(edition=edition, slug=slug, name=name, color=color, position=n)
            for n, (slug, name, color) in enumerate(DEFAULT_CATEGORIES)
        ),
        ignore_conflicts=True,
    )


def visible_annotations(user, document: Document) -> QuerySet[Annotation]:
    """Edition-wide annotations, and the user's own private ones."""
    return Annotation.objects.filter(document=document).filter(
        Q(visibility=Visibility.EDITION) | Q(author=user)
    )


def visible_in_edition(user, edition: Edition) -> QuerySet[Annotation]:
    return Annotation.objects.filter(edition=edition).filter(
        Q(visibility=Visibility.EDITION) | Q(author=user)
    )


def may_change(user, role: Role | None, annotation: Annotation) -> bool:
    """Authors change their own annotations; owners moderate everyone's."""
    return annotation.author_id == user.pk or has_role(role, Role.OWNER)


def _annotation_event(annotation: Annotation, kind: str) -> None:
    private = annotation.visibility == Visibility.PRIVATE
    publish(
        annotation.document_id,
        kind,
        {"annotation": annotation.pk},
        only_for=annotation.author if private else None,
    )


def _member_names(edition: Edition) -> set[str]:
    users = get_user_model().objects.filter(memberships__edition=edition)
    return set(users.values_list("username", flat=True))


def _check_span(document: Document, span: Span) -> None:
    if span.segment.witness.document_id != document.pk:
        raise AnnotationError(_("The selected text is not in this document."))
    if not 0 <= span.start < span.end <= len(span.segment.text):
        raise AnnotationError(_("Select some text to annotate."))


def _check_text(*texts: str) -> None:
    """User text that the database can store: PostgreSQL refuses the NUL character."""
    if any("\x00" in text for text in texts):
        raise AnnotationError(
            _("The text contains a NUL character (U+0000), which cannot be stored: remove it.")
        )


def _check_sizes(body: str, tags: list[str], spans: int = 0) -> None:
    """The note, the tags and the passages within their limits (before any work on them)."""
    try:
        limits.check_annotation(body, tags, spans)
    except limits.LimitExceeded as exc:
        raise AnnotationError(str(exc)) from exc


def create_annotation(
    *,
    user,
    document: Document,
    spans: list[Span],
    body: str,
    category: Category | None = None,
    tags: list[str] | None = None,
    visibility: str = Visibility.EDITION,
    motivation: str = "commenting",
    extra: dict | None = None,  # slug, canonical, via: what a protocol client sent
) -> Annotation:
    if not spans:
        raise AnnotationError(_("Select some text to annotate."))
    _check_sizes(body, tags or [], len(spans))
    _check_text(body, *(tags or []))
    for span in spans:
        _check_span(document, span)
    if category is not None and category.edition_id != document.edition_id:
        raise AnnotationError(_("Unknown category."))
    mentions = mentioned(body, _member_names(document.edition))
    with transaction.atomic():
        annotation = Annotation.objects.create(
            edition_id=document.edition_id,
            document=document,
            author=user,
            category=category,
            body=body,
            body_html=render_markdown(body, mentions),
            tags=_clean_tags(tags or []),
            mentions=mentions,
            visibility=visibility,
            motivation=motivation,
            **(extra or {}),
        )
        AnnotationTarget.objects.bulk_create(_target(annotation, span) for span in spans)
        notify_mentions(annotation, user, mentions)
        _annotation_event(annotation, "annotation-created")
    return annotation


def _target(annotation: Annotation, span: Span) -> AnnotationTarget:
    text = span.segment.text
    return AnnotationTarget(
        annotation=annotation,
        witness_id=span.segment.witness_id,
        segment=span.segment,
        selectors=build_selectors(text, span.start, span.end),
        quote=text[span.start : span.end],
        start=span.start,
        end=span.end,
    )


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned: list[str] = []
    for tag in tags:
        tag = tag.strip().lstrip("#")[:50]
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned[:20]


def update_annotation(
    annotation: Annotation,
    version: int,
    *,
    body: str,
    category: Category | None,
    tags: list[str],
    visibility: str,
    spans: list[Span] | None = None,
    motivation: str | None = None,
) -> Annotation:
    """Save an edit only if nobody saved since ``version`` (else ``StaleVersion``).

    ``spans``, when given, replace the annotation's targets (a protocol client's PUT).
    """
    _check_sizes(body, tags)
    _check_text(body, *tags)
    mentions = mentioned(body, _member_names(annotation.edition))
    already = set(annotation.mentions or [])
    for span in spans or []:
        _check_span(annotation.document, span)
    if spans is not None and not spans:
        raise AnnotationError(_("Select some text to annotate."))
    with transaction.atomic():
        if spans is not None:
            annotation.targets.all().delete()
            AnnotationTarget.objects.bulk_create(_target(annotation, span) for span in spans)
        update_if_current(
            annotation,
            version,
            motivation=motivation or annotation.motivation,
            body=body,
            body_html=render_markdown(body, mentions),
            category=category,
            tags=_clean_tags(tags),
            mentions=mentions,
            visibility=visibility,
        )
        annotation.refresh_from_db()
        # Only those newly named hear of it: an edit does not notify everyone again.
        fresh = [name for name in mentions if name not in already]
        notify_mentions(annotation, annotation.author, fresh)
        _annotation_event(annotation, "annotation-changed")
    return annotation


def set_status(annotation: Annotation, status: str) -> Annotation:
    if status not in Status.values:
        raise AnnotationError(_("Unknown status."))
    with transaction.atomic():
        Annotation.objects.filter(pk=annotation.pk).update(status=status, version=F("version") + 1)
        annotation.refresh_from_db()
        _annotation_event(annotation, "annotation-changed")
    return annotation


def delete_annotation(annotation: Annotation) -> None:
    with transaction.atomic():
        _annotation_event(annotation, "annotation-deleted")
        annotation.delete()


def add_reply(annotation: Annotation, user, body: str) -> Reply:
    if not body.strip():
        raise AnnotationError(_("Write a reply first."))
    _check_sizes(body, [])
    _check_text(body)
    mentions = mentioned(body, _member_names(annotation.edition))
    with transaction.atomic():
        reply = Reply.objects.create(
            annotation=annotation,
            author=user,
            body=body,
            body_html=render_markdown(body, mentions),
            mentions=mentions,
        )
        notify_mentions(annotation, user, mentions, reply=reply)
        _annotation_event(annotation, "annotation-changed")
    return reply


def notify_mentions(annotation: Annotation, actor, names: list[str], reply=None) -> None:
    """Tell each member named in a note or reply, except its writer. A private annotation is
    seen by its author only: naming someone there tells no one."""
    if annotation.visibility == Visibility.PRIVATE:
        return
    recipients = get_user_model().objects.filter(
        username__in=names, memberships__edition_id=annotation.edition_id
    )
    if actor is not None:
        recipients = recipients.exclude(pk=actor.pk)
    created = Notification.objects.bulk_create(
        Notification(recipient=user, actor=actor, annotation=annotation, reply=reply)
        for user in recipients.distinct()
    )
    inbox_cache.forget(n.recipient_id for n in created)  # bulk_create sends no signal


def reanchor_segment(segment: Segment) -> tuple[int, int]:
    """Re-anchor every target on ``segment`` to its current text: (kept, orphaned).

    A target that still resolves moves to where its quote now stands and its selectors are
    refreshed from the new text; one that does not becomes an orphan, with its selectors
    and quote kept so that it can be shown and re-attached.

    The anchoring (the costly part) runs outside any transaction, on the text of
    ``segment.version``; the results are written in one short transaction that locks the
    segment's row only to check the version is still that one (else a newer save re-anchors).
    At most ``REANCHOR_MAX_ANNOTATIONS`` targets are searched for; beyond that, they are
    orphaned as they stand (nothing is lost: they are listed, to be re-attached by hand).
    """
    targets = list(segment.annotation_targets.select_related("annotation").order_by("pk"))
    budget = settings.REANCHOR_MAX_ANNOTATIONS
    kept = orphaned = 0
    for n, target in enumerate(targets):
        found = anchor(segment.text, target.selectors) if n < budget else None
        if found is None:
            target.start = target.end = None
            orphaned += 1
        else:
            target.start, target.end = found
            target.selectors = build_selectors(segment.text, *found)
            target.quote = segment.text[found[0] : found[1]]
            kept += 1
    with transaction.atomic():
        current = Segment.objects.select_for_update().filter(pk=segment.pk, version=segment.version)
        if not current.exists():
            return 0, 0  # saved again meanwhile: that save re-anchors on its own text
        AnnotationTarget.objects.bulk_update(targets, ["start", "end", "selectors", "quote"])
        for document_id in {target.annotation.document_id for target in targets}:
            publish(document_id, "annotations-reanchored", {"segment": segment.pk})
    return kept, orphaned


def reattach(target: AnnotationTarget, span: Span) -> AnnotationTarget:
    """Attach an orphaned (or misplaced) target to newly selected text."""
    _check_span(target.annotation.document, span)
    with transaction.atomic():
        fresh = _target(target.annotation, span)
        target.segment = span.segment
        target.witness_id = span.segment.witness_id
        target.selectors, target.quote = fresh.selectors, fresh.quote
        target.start, target.end = span.start, span.end
        target.save()
        _annotation_event(target.annotation, "annotation-changed")
    return target
