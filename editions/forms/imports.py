"""Importing a record: a file uploaded or a text pasted, parsed for the preview."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import limits
from ..importers import parse_record, read_text
from ..importers.base import ParsedRecord, RecordError
from ..models import WitnessRole

LANGUAGE_CHOICES = [
    ("", gettext_lazy("Detect")),
    ("fr", gettext_lazy("French")),
    ("en", gettext_lazy("English")),
    ("de", gettext_lazy("German")),
    ("es", gettext_lazy("Spanish")),
    ("it", gettext_lazy("Italian")),
    ("ru", gettext_lazy("Russian")),
]


class ImportForm(forms.Form):
    """Upload a file or paste text; the preview posts the decoded text back as ``text``."""

    file = forms.FileField(label=gettext_lazy("File"), required=False)
    text = forms.CharField(
        label=gettext_lazy("or paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    filename = forms.CharField(required=False, widget=forms.HiddenInput, max_length=255)
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=LANGUAGE_CHOICES, required=False
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=[("", gettext_lazy("Detect"))]
        + [(r.value, r.label) for r in (WitnessRole.ORIGINAL, WitnessRole.TRANSLATION)],
        required=False,
    )
    label = forms.CharField(label=gettext_lazy("Label"), required=False, max_length=200)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
                % {"size": upload.size, "limit": settings.IMPORT_MAX_BYTES}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        if self.errors:
            return cleaned
        if not upload and not text.strip():
            raise forms.ValidationError(_("Choose a file or paste a text."))
        data: bytes | str = upload.read() if upload else text
        if upload:
            cleaned["filename"] = upload.name
        try:
            record = parse_record(data, cleaned.get("filename") or "")
        except RecordError as exc:
            raise forms.ValidationError(str(exc)) from exc
        for segment in record.segments:  # each paragraph as bounded as an edited one
            try:
                limits.check_length(
                    segment.text, settings.SEGMENT_MAX_CHARS, _("A paragraph"), "SEGMENT_MAX_CHARS"
                )
            except limits.LimitExceeded as exc:
                raise forms.ValidationError(str(exc)) from exc
        cleaned["record"] = record
        cleaned["decoded_text"] = record_source_text(data, cleaned.get("filename") or "")
        return cleaned

    @property
    def record(self) -> ParsedRecord:
        return self.cleaned_data["record"]


def record_source_text(data: bytes | str, filename: str = "") -> str:
    """The text the preview sends back on save (already checked by ``parse_record``): a
    Word file's as read, so saving reads what the preview showed."""
    if isinstance(data, str):
        return data
    text, _warnings = read_text(data, filename)
    return text
