"""The export forms: which formats, and a TEI or TMX file to import back."""

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..exporters import FORMATS


def format_choices() -> list[tuple[str, str | Promise]]:
    return [(key, fmt.label) for key, fmt in FORMATS.items()]


class FormatsForm(forms.Form):
    format = forms.MultipleChoiceField(
        label=gettext_lazy("Formats"),
        choices=format_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one format.")},
    )


class ExchangeImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("TEI or TMX file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": settings.IMPORT_MAX_BYTES}
            )
        return upload
