"""The search and concordance forms: what may be asked, offered from what the user may read;
the page of results."""

from dataclasses import replace
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import search
from ..concordance import MODES, SORTS
from ..models import Category, Edition, Witness, WitnessRole
from ..text import fold
from .fields import ParamsForm, SmallIntField, choose

MAX_QUERY = 200


def _choices(values, empty_label) -> list[tuple[str, str]]:
    return [("", empty_label)] + [(v, v) for v in values]


class FilterForm(forms.Form):
    """Filters both pages share; the choices come from the editions the user may read."""

    edition = forms.ChoiceField(label=_("Edition"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, editions: list[Edition], **kwargs):
        super().__init__(*args, **kwargs)
        self.editions = {e.slug: e for e in editions}
        # The form's copy of ``edition`` above: a ChoiceField, as declared.
        edition_field = cast(forms.ChoiceField, self.fields["edition"])
        edition_field.choices = [("", _("All editions"))] + [(e.slug, e.title) for e in editions]
        self.witnesses = Witness.objects.filter(document__edition__in=editions)

    def languages(self) -> list[str]:
        return sorted(set(self.witnesses.values_list("language", flat=True)))

    def filters(self) -> search.Filters:
        """The query's filters; ``is_valid()`` must have been called."""
        data = self.cleaned_data
        chosen = self.editions.get(data.get("edition") or "")
        ids = [chosen.pk] if chosen else [e.pk for e in self.editions.values()]
        return search.Filters(
            edition_ids=ids,
            language=data.get("language") or "",
            role=data.get("role") or "",
            translator=data.get("translator") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The first date comes after the second."))
        return cleaned


class SearchForm(FilterForm):
    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY)
    language = forms.ChoiceField(label=_("Language"), required=False)
    role = forms.ChoiceField(
        label=_("Witness"),
        required=False,
        choices=[("", _("Any witness"))] + list(WitnessRole.choices),
    )
    translator = forms.ChoiceField(label=_("Translator"), required=False)
    category = forms.ChoiceField(label=_("Annotation category"), required=False)
    field_order = [
        "q",
        "edition",
        "language",
        "role",
        "translator",
        "category",
        "date_from",
        "date_to",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        choose(self.fields["language"], _choices(self.languages(), _("Any language")))
        translators = self.witnesses.exclude(translator="").values_list("translator", flat=True)
        choose(
            self.fields["translator"],
            _choices(sorted(set(translators), key=fold), _("Any translator")),
        )
        self.categories = Category.objects.filter(edition__in=list(self.editions.values()))
        choose(self.fields["category"], [("", _("All categories")), *self._categories()])

    def _categories(self) -> list[tuple[str, str]]:
        """One choice per slug: every edition starts with the same taxonomy, so a slug names
        the same category across editions (its first name is shown)."""
        choices: dict[str, str] = {}
        for slug, name in self.categories.order_by("position", "name").values_list("slug", "name"):
            choices.setdefault(slug, name)
        return list(choices.items())

    def filters(self) -> search.Filters:
        """Also: the user's own private annotations, the category chosen, in any edition the
        other filters keep, and the search equivalents of the editions searched."""
        filters = replace(super().filters(), user_id=self.user.pk)
        searched = [e for e in self.editions.values() if e.pk in filters.edition_ids]
        groups = [g for e in searched for g in search.equivalence_groups(e.search_equivalents)]
        filters = replace(filters, equivalents=groups)
        slug = self.cleaned_data.get("category")
        if not slug:
            return filters
        chosen = self.categories.filter(slug=slug, edition_id__in=filters.edition_ids)
        return replace(filters, category_ids=list(chosen.values_list("pk", flat=True)))


class ConcordanceForm(FilterForm):
    q = forms.CharField(label=_("Word or phrase"), max_length=MAX_QUERY)
    language = forms.ChoiceField(label=_("In"))
    mode = forms.ChoiceField(
        label=_("Match"),
        required=False,
        choices=list(
            zip(MODES, [_("stemmed"), _("exact words"), _("regular expression")], strict=True)
        ),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=list(
            zip(
                SORTS,
                [_("document date"), _("left context"), _("right context"), _("translator")],
                strict=True,
            )
        ),
    )
    field_order = ["q", "language", "mode", "edition", "date_from", "date_to", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages = self.languages()
        choose(self.fields["language"], [(code, code) for code in languages])
        self.fields["language"].initial = "fr" if "fr" in languages else next(iter(languages), "")


class PageForm(ParamsForm):
    """Which page of results (``?page=N``, from 1); not a small integer (page=10**25 overflowed
    the database's OFFSET): the first page. Past the last page, the search shows the last."""

    page = SmallIntField(initial=1)
