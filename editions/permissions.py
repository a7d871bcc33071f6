"""Who may do what in an edition.

Every view asks ``edition_for(request, slug, needs=...)`` before touching an edition. A user
who may not read an edition gets 404 (its existence is not revealed); one who may read it but
lacks the role gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import ROLE_RANK, Edition, Membership, Role


def role_in(user, edition: Edition) -> Role | None:
    """The user's effective role: their membership, reader on a public edition, or none."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.OWNER
    membership = Membership.objects.filter(edition=edition, user=user).only("role").first()
    if membership is not None:
        return Role(membership.role)
    return Role.READER if edition.is_public else None


def has_role(role: Role | None, needs: Role) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[needs]


def readable_editions(user) -> QuerySet[Edition]:
    if user.is_superuser:
        return Edition.objects.all()
    return Edition.objects.filter(Q(is_public=True) | Q(memberships__user=user)).distinct()


def edition_for(request: HttpRequest, slug: str, needs: Role = Role.READER) -> tuple[Edition, Role]:
    edition = get_object_or_404(Edition, slug=slug)
    role = role_in(request.user, edition)
    if role is None:
        raise Http404("No such edition.")
    if not has_role(role, needs):
        raise PermissionDenied
    return edition, role


class Abilities:
    """What the templates ask: ``can.edit``, ``can.manage``, ``can.annotate``."""

    def __init__(self, role: Role | None):
        self.role = role
        self.read = has_role(role, Role.READER)
        self.annotate = has_role(role, Role.ANNOTATOR)
        self.edit = has_role(role, Role.EDITOR)
        self.manage = has_role(role, Role.OWNER)
