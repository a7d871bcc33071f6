"""Editions and their members: settings, adding a member, changing a role."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Edition, Membership, Role
from ..search import line_spellings

MAX_EQUIVALENTS = 20_000  # characters: some hundreds of groups


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["title", "slug", "description", "is_public", "search_equivalents"]
        widgets = {"search_equivalents": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["slug"].help_text = gettext_lazy("Left empty, it is made from the title.")

    def clean_search_equivalents(self) -> str:
        """Every line a group of two spellings or more: a lone one would search for nothing
        more, and is most likely a missing comma."""
        text = self.cleaned_data.get("search_equivalents", "")
        if len(text) > MAX_EQUIVALENTS:
            raise forms.ValidationError(
                _("Keep the equivalents under %(n)s characters."), params={"n": MAX_EQUIVALENTS}
            )
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip() and len(line_spellings(line)) < 2:
                raise forms.ValidationError(
                    _("Line %(n)s names one spelling only: separate the spellings with commas."),
                    params={"n": number},
                )
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title", ""))
        if not slug:
            raise forms.ValidationError(_("Give the edition a title or a slug."))
        taken = Edition.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists()
        if taken:
            raise forms.ValidationError(_("Another edition already uses this slug."))
        return slug


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_username(self):
        name = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No user is called %(name)s.") % {"name": name})
        if Membership.objects.filter(edition=self.edition, user=user).exists():
            raise forms.ValidationError(_("%(name)s is already a member.") % {"name": name})
        self.cleaned_data["user"] = user
        return name


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
