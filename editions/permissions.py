"""Who may do what in an edition.

Every view asks ``edition_for(request, slug, needs=...)`` before touching an edition (or
``document_for``, ``witness_for`` for a document or a witness of it, and
``document_with_witnesses`` for a document with all its witnesses). A user who may not read
an edition gets 404 (its existence is not revealed); one who may read it but lacks the role
gets 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import ROLE_RANK, Document, Edition, Membership, Role, Witness, WitnessRole


def role_in(user, edition: Edition) -> Role | None:
    """The user's effective role: their membership, reader on a public edition, or none."""
    if not user.is_authenticated or user.is_superuser:
        return _effective_role(user, edition, None)
    membership = Membership.objects.filter(edition=edition, user=user).only("role").first()
    return _effective_role(user, edition, membership.role if membership else None)


def _effective_role(user, edition: Edition, member_role: str | None) -> Role | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.OWNER
    if member_role is not None:
        return Role(member_role)
    return Role.READER if edition.is_public else None


def has_role(role: Role | None, needs: Role) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[needs]


def readable_editions(user) -> QuerySet[Edition]:
    if user.is_superuser:
        return Edition.objects.all()
    return Edition.objects.filter(Q(is_public=True) | Q(memberships__user=user)).distinct()


def edition_for(request: HttpRequest, slug: str, needs: Role = Role.READER) -> tuple[Edition, Role]:
    # The edition and the user's membership in one query (every page asks for both).
    user = request.user
    editions = Edition.objects.all()
    if user.is_authenticated:
        membership = Membership.objects.filter(edition=OuterRef("pk"), user=user)
        editions = editions.annotate(member_role=Subquery(membership.values("role")[:1]))
    edition = get_object_or_404(editions, slug=slug)
    role = _effective_role(user, edition, getattr(edition, "member_role", None))
    if role is None:
        raise Http404("No such edition.")
    if not has_role(role, needs):
        raise PermissionDenied
    return edition, role


def document_for(
    request: HttpRequest, slug: str, doc_slug: str, needs: Role = Role.READER
) -> tuple[Edition, Role, Document]:
    """The document, if this user may do what ``needs`` allows in its edition."""
    edition, role = edition_for(request, slug, needs=needs)
    document = get_object_or_404(Document, edition=edition, slug=doc_slug)
    document.edition = edition  # known already: its URLs cost no query
    return edition, role, document


def document_with_witnesses(
    request: HttpRequest, slug: str, doc_slug: str, needs: Role = Role.READER
) -> tuple[Edition, Role, Document, list[Witness]]:
    """The document and its witnesses, the original first, if this user may do what ``needs``
    allows in its edition: in two queries, the edition's with the user's role and the
    witnesses' with their document (every page of a document's text asks for both); a
    document without a witness yet costs a third."""
    edition, role = edition_for(request, slug, needs=needs)
    witnesses = list(
        Witness.objects.filter(document__edition=edition, document__slug=doc_slug)
        .select_related("document", "revision_of")
        .order_by("pk")
    )
    if not witnesses:
        document = get_object_or_404(Document, edition=edition, slug=doc_slug)
    else:
        document = witnesses[0].document
        for witness in witnesses:
            witness.document = document  # one instance, as the document's own queries give
    document.edition = edition  # known already: its URLs cost no query
    witnesses.sort(key=lambda w: (w.role != WitnessRole.ORIGINAL, w.pk))
    return edition, role, document, witnesses


def witness_for(
    request: HttpRequest, slug: str, doc_slug: str, witness_slug: str, needs: Role = Role.READER
) -> tuple[Edition, Role, Document, Witness]:
    """The witness, if this user may do what ``needs`` allows in its edition."""
    edition, role, document = document_for(request, slug, doc_slug, needs)
    witness = get_object_or_404(Witness, document=document, slug=witness_slug)
    return edition, role, document, witness


class Abilities:
    """What the templates ask: ``can.edit``, ``can.manage``, ``can.annotate``."""

    def __init__(self, role: Role | None):
        self.role = role
        self.read = has_role(role, Role.READER)
        self.annotate = has_role(role, Role.ANNOTATOR)
        self.edit = has_role(role, Role.EDITOR)
        self.manage = has_role(role, Role.OWNER)
