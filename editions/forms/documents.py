"""A document's metadata and a segment's text, each saved with the version it was edited from."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import limits
from ..models import Document

DOCUMENT_METADATA_FIELDS = [
    "title",
    "date",
    "time",
    "author",
    "recipient",
    "place",
    "classification",
    "reference_numbers",
    "received_note",
    "source_series",
    "source_volume",
    "source_pages",
    "source_publication",
    "summary",
]


class DocumentForm(forms.ModelForm):
    # The version the editor started from; a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=limits.MAX_ID)

    class Meta:
        model = Document
        fields = DOCUMENT_METADATA_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


class SegmentTextForm(forms.Form):
    """A segment's new text, with the version it was edited from."""

    text = forms.CharField(
        label=gettext_lazy("Text"), strip=True, widget=forms.Textarea(attrs={"rows": 6})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("a typo, a better rendering…")}),
    )
    # The version the editor started from; a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=limits.MAX_ID)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            limits.check_length(
                text, settings.SEGMENT_MAX_CHARS, _("The text"), "SEGMENT_MAX_CHARS"
            )
        except limits.LimitExceeded as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text
