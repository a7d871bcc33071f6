"""A document's metadata and a segment's text, each saved with the version it was edited from;
what a page of the document's text shows."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import limits
from ..models import Document, Witness
from .fields import ParamsForm, SmallIntField

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


# A document's search looks for this many characters at most (more are cut off).
MAX_FIND = 200


class SlugListField(forms.Field):
    """Slugs given as ``?w=a,b`` or ``?w=a&w=b`` (or both), in that order."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = [value] if isinstance(value, str) else value or []
        return [slug for item in values for slug in str(item).split(",") if slug]


class DocumentPageForm(ParamsForm):
    """What a page of the document's text shows.

    ``w``: the witnesses shown, in that order (else all); ``at``: a segment's anchor on the
    page (``<witness>-<sid>``), or ``row``: a row the page must hold; a live refresh
    (``fragment=body``) re-reads rows ``start`` to ``end``, and a page of rows starts at
    ``start``; ``q``: what the document's search looks for.
    """

    w = SlugListField(required=False)
    at = forms.CharField(required=False)
    row = SmallIntField()
    fragment = forms.ChoiceField(required=False, choices=[("body", "body")], initial="")
    start = SmallIntField()
    end = SmallIntField()
    q = forms.CharField(required=False, initial="")

    def __init__(self, *args: Any, witnesses: list[Witness], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.witnesses = witnesses
        self.fields["w"].initial = witnesses

    def clean_w(self) -> list[Witness]:
        by_slug = {w.slug: w for w in self.witnesses}
        chosen = [by_slug[slug] for slug in self.cleaned_data["w"] if slug in by_slug]
        return list(dict.fromkeys(chosen))

    def clean_at(self) -> tuple[Witness, str] | None:
        """The anchor's witness and segment id, if it names a witness shown on the page."""
        witness_slug, _dash, sid = self.cleaned_data["at"].rpartition("-")
        witness = next((w for w in self.witnesses if w.slug == witness_slug), None)
        return (witness, sid) if witness is not None and sid else None

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:MAX_FIND]
