"""Editions: the list, one edition's page and settings, and its members (owners only)."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..annotating import visible_in_edition
from ..forms import EditionForm, MemberForm, RoleForm
from ..http import AuthenticatedHttpRequest
from ..models import Edition, Membership, Role, Witness
from ..permissions import Abilities, edition_for, readable_editions
from .common import redirect_after_post, render_partial_if_htmx


def _edition_list(
    request: AuthenticatedHttpRequest, form: EditionForm, status: int = 200
) -> HttpResponse:
    editions = readable_editions(request.user).annotate(
        document_count=Count("documents", distinct=True)
    )
    roles = dict(Membership.objects.filter(user=request.user).values_list("edition_id", "role"))
    rows = [(e, Role(roles[e.pk]).label if e.pk in roles else None) for e in editions]
    context = {"rows": rows, "form": form}
    return render(request, "editions/edition_list.html", context, status=status)


@require_GET
def edition_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _edition_list(request, EditionForm())


@require_POST
def edition_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EditionForm(request.POST)
    if not form.is_valid():
        return _edition_list(request, form, status=400)
    try:
        with transaction.atomic():
            edition = form.save()
            Membership.objects.create(edition=edition, user=request.user, role=Role.OWNER)
    except IntegrityError:
        # The same slug saved at the same moment (a double click): the unique slug decided.
        existing = Edition.objects.filter(slug=form.cleaned_data["slug"]).first()
        if existing is not None and existing.memberships.filter(user=request.user).exists():
            messages.info(request, _("This edition was just created."))
            return redirect(existing)
        form.add_error("slug", _("An edition with this slug already exists."))
        return _edition_list(request, form, status=400)
    messages.success(request, _("Edition created. You are its owner."))
    return redirect(edition)


@require_GET
def edition_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug)
    documents = edition.documents.prefetch_related(
        Prefetch("witnesses", queryset=Witness.objects.annotate(segment_count=Count("segments")))
    )
    context = {
        "edition": edition,
        "documents": documents,
        "can": Abilities(role),
        # Shared annotations, or the reader's own: an edition without them says how to start.
        "has_annotations": visible_in_edition(request.user, edition).exists(),
    }
    return render(request, "editions/edition_detail.html", context)


@require_http_methods(["GET", "POST"])
def edition_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug, needs=Role.OWNER)
    form = EditionForm(request.POST or None, instance=edition)
    if request.method == "POST" and form.is_valid():
        edition = form.save()
        messages.success(request, _("Edition saved."))
        return redirect(edition)
    return render(
        request,
        "editions/edition_edit.html",
        {"edition": edition, "form": form, "can": Abilities(role)},
    )


@require_http_methods(["GET", "POST"])
def members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug, needs=Role.OWNER)
    form = MemberForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                Membership.objects.create(
                    edition=edition, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
                )
        except IntegrityError:  # added at the same moment by another request: it is there
            messages.info(request, _("This user is already a member."))
        else:
            messages.success(request, _("Member added."))
        return redirect_after_post(request, _members_url(edition))
    context = {
        "edition": edition,
        "memberships": edition.memberships.select_related("user"),
        "form": form,
        "roles": Role.choices,
        "can": Abilities(role),
    }
    status = 400 if form.is_bound else 200
    return render_partial_if_htmx(request, "editions/members.html", "member-list", context, status)


def _members_url(edition: Edition) -> str:
    return reverse("editions:members", args=[edition.slug])


def _is_last_owner(membership: Membership) -> bool:
    if membership.role != Role.OWNER:
        return False
    owners = Membership.objects.filter(edition=membership.edition, role=Role.OWNER)
    return owners.count() == 1


@require_POST
def member_update(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    edition, _role = edition_for(request, slug, needs=Role.OWNER)
    membership = get_object_or_404(Membership, pk=membership_id, edition=edition)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown role."))
    elif _is_last_owner(membership) and form.cleaned_data["role"] != Role.OWNER:
        messages.error(request, _("An edition keeps at least one owner."))
    else:
        membership.role = form.cleaned_data["role"]
        membership.save(update_fields=["role"])
        messages.success(request, _("Role changed."))
    return redirect(_members_url(edition))


@require_POST
def member_remove(request: AuthenticatedHttpRequest, slug: str, membership_id: int) -> HttpResponse:
    edition, _role = edition_for(request, slug, needs=Role.OWNER)
    membership = get_object_or_404(Membership, pk=membership_id, edition=edition)
    if _is_last_owner(membership):
        messages.error(request, _("An edition keeps at least one owner."))
    else:
        membership.delete()
        messages.success(request, _("Member removed."))
    return redirect(_members_url(edition))
