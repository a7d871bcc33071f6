"""The edition's annotation categories, which its owners edit."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..annotating import ensure_categories
from ..forms import CategoryForm
from ..http import AuthenticatedHttpRequest
from ..models import Category, Role
from ..permissions import Abilities, edition_for


@require_http_methods(["GET", "POST"])
def categories(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    edition, role = edition_for(request, slug, needs=Role.OWNER)
    ensure_categories(edition)
    form = CategoryForm(request.POST or None, initial={"position": edition.categories.count()})
    if request.method == "POST" and form.is_valid():
        category = form.save(commit=False)
        category.edition = edition
        category.slug = _free_slug(edition, category.name)
        try:
            with transaction.atomic():
                category.save()
        except IntegrityError:  # the same name added at the same moment took the slug
            messages.info(request, _("A category with this name was just added."))
        else:
            messages.success(request, _("Category added."))
        return redirect("editions:categories", edition.slug)
    context = {
        "edition": edition,
        "rows": [(c, CategoryForm(instance=c, prefix=str(c.pk))) for c in edition.categories.all()],
        "form": form,
        "can": Abilities(role),
    }
    return render(
        request, "editions/categories.html", context, status=400 if form.is_bound else 200
    )


def _free_slug(edition, name: str) -> str:
    base = slugify(name)[:50] or "category"
    taken = set(edition.categories.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@require_POST
def category_update(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    edition, _role = edition_for(request, slug, needs=Role.OWNER)
    category = get_object_or_404(Category, edition=edition, pk=pk)
    if "delete" in request.POST:
        # Its annotations stay, without a category.
        category.delete()
        messages.success(request, _("Category removed; its annotations are kept."))
        return redirect("editions:categories", edition.slug)
    form = CategoryForm(request.POST, instance=category, prefix=str(category.pk))
    if form.is_valid():
        form.save()
        messages.success(request, _("Category saved."))
    else:
        messages.error(request, _("Not saved: %(errors)s") % {"errors": form.errors.as_text()})
    return redirect("editions:categories", edition.slug)
