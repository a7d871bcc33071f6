from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import limits
from .importers import parse_record, read_text
from .importers.base import ParsedRecord, RecordError
from .models import Document, Edition, Membership, Role, WitnessRole
from .search import line_spellings

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

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        try:
            limits.check_length(
                text, settings.SEGMENT_MAX_CHARS, _("The text"), "SEGMENT_MAX_CHARS"
            )
        except limits.LimitExceeded as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text

    class Meta:
        model = Document
        fields = DOCUMENT_METADATA_FIELDS
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }


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

    def clean(self):
        cleaned = super().clean()
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
