"""The inbox: where a member hears that someone @mentioned them, and the member pages that
mentions link to.

A notification names an annotation; it is listed only while its recipient may still read
that annotation (a membership removed, an annotation made private: it drops out).
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from .. import inbox_cache
from ..http import AuthenticatedHttpRequest
from ..models import Annotation, Membership, Notification, Visibility
from ..permissions import readable_editions

# The inbox lists this many notifications at most, newest first; a member page this many notes.
MAX_LISTED = 100
MAX_NOTES = 20


def readable_notifications(user) -> QuerySet[Notification]:
    return Notification.objects.filter(
        recipient=user,
        annotation__edition__in=readable_editions(user),
    ).filter(Q(annotation__visibility=Visibility.EDITION) | Q(annotation__author=user))


def unread_count(user) -> int:
    # Nothing unread at all (the cache knows it, most of the time): no need to count.
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if not inbox_cache.has_unread(user, unread.exists):
        return 0
    return readable_notifications(user).filter(read_at__isnull=True).count()


@require_GET
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = readable_notifications(request.user).select_related(
        "actor", "reply", "annotation__document__edition"
    )[:MAX_LISTED]
    context = {"notifications": notifications, "unread": unread_count(request.user)}
    return render(request, "editions/inbox.html", context)


@require_GET
def inbox_badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The header's unread count, which the page asks for again now and then."""
    return render(request, "editions/base.html#inbox-link", {"unread": unread_count(request.user)})


@require_POST
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go to its thread, open beside its text."""
    notification = get_object_or_404(readable_notifications(request.user), pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    annotation = notification.annotation
    document, annotation_pk = annotation.document, str(annotation.pk)
    target = annotation.targets.select_related("segment__witness").first()
    if target is None:  # no passage left: the thread over the document's first rows
        return redirect(f"{document.get_absolute_url()}?annotation={annotation_pk}")
    return redirect(document.passage_url(target.segment.anchor_id, annotation=annotation_pk))


@require_POST
def inbox_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    readable_notifications(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    inbox_cache.forget([request.user.pk])  # update() sends no signal
    return redirect(reverse("editions:inbox"))


@require_GET
def member_page(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    """A member as another member sees them: the editions they share, and their latest notes
    there. Someone who shares no edition with the reader is not shown (404)."""
    member = get_object_or_404(get_user_model(), username=username)
    shared = readable_editions(request.user).filter(memberships__user=member)
    if member != request.user and not shared.exists():
        raise Http404
    memberships = Membership.objects.filter(user=member, edition__in=shared).select_related(
        "edition"
    )
    notes = (
        Annotation.objects.filter(author=member, edition__in=shared)
        .filter(Q(visibility=Visibility.EDITION) | Q(author=request.user))
        .select_related("document__edition", "category")
        .order_by("-pk")[:MAX_NOTES]
    )
    context = {"member": member, "memberships": memberships, "notes": notes}
    return render(request, "editions/member.html", context)
