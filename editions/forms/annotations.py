"""What annotating in the browser posts, and the side panel's and the W3C container's
parameters.

The forms read the request: the selection's JSON, the category's id, the tags as typed. The
note's and the tags' limits and the NUL check stay with ``annotating``, which the W3C protocol
shares, so that both say the same thing.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import limits
from ..annotating import Span
from ..models import Category, Document, Edition, Segment, Status, Visibility
from .fields import ParamsForm, SmallIntField, TextAsTypedField


class SelectionForm(forms.Form):
    """The passages selected, posted by the page as JSON:
    ``[{"segment": pk, "start": n, "end": n}, ...]``, each a segment of ``document``."""

    spans = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, document: Document, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.document = document

    def clean_spans(self) -> list[Span]:
        try:
            items = limits.load_json(self.cleaned_data["spans"] or "[]", _("The selection"))
            if not isinstance(items, list):
                raise forms.ValidationError(_("Select some text to annotate."))
            limits.check_count(
                len(items),
                settings.ANNOTATION_MAX_SPANS,
                _("selected passages"),
                "ANNOTATION_MAX_SPANS",
            )
        except limits.LimitExceeded as exc:
            raise forms.ValidationError(str(exc)) from exc
        wanted = [numbers for item in items if (numbers := _span_numbers(item))]
        if len(wanted) < len(items):
            raise forms.ValidationError(_("Select some text to annotate."))
        segments = Segment.objects.select_related("witness").in_bulk([pk for pk, _s, _e in wanted])
        spans = []
        for pk, start, end in wanted:
            segment = segments.get(pk)
            if segment is None or segment.witness.document_id != self.document.pk:
                raise forms.ValidationError(_("The selected text is not in this document."))
            spans.append(Span(segment, start, end))
        return spans


def _span_numbers(item: Any) -> tuple[int, int, int] | None:
    """(segment pk, start, end) from one posted passage, or None if it is not that."""
    if not isinstance(item, dict):
        return None
    pk = limits.small_int(item.get("segment"))
    start = limits.small_int(item.get("start"), minimum=0)
    end = limits.small_int(item.get("end"), minimum=0)
    return None if pk is None or start is None or end is None else (pk, start, end)


class AnnotationForm(forms.Form):
    """An annotation's note, category, tags and visibility, as the edit form posts them."""

    body = TextAsTypedField()
    category = SmallIntField(error_messages={"invalid": gettext_lazy("Unknown category.")})
    tags = TextAsTypedField()
    visibility = TextAsTypedField()  # anything but a visibility: the edition's

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.edition = edition

    def clean_category(self) -> Category | None:
        pk = self.cleaned_data["category"]
        if pk is None:
            return None
        category = Category.objects.filter(edition=self.edition, pk=pk).first()
        if category is None:  # not one of this edition's: said, not ignored
            raise forms.ValidationError(_("Unknown category."))
        return category

    def clean_tags(self) -> list[str]:
        """Words, with or without a ``#``, apart by spaces or commas."""
        return self.cleaned_data["tags"].replace("#", " ").replace(",", " ").split()

    def clean_visibility(self) -> str:
        wanted = self.cleaned_data["visibility"]
        return wanted if wanted in Visibility.values else Visibility.EDITION

    def typed(self) -> dict[str, Any]:
        """The note, tags and visibility as typed (they are never invalid here), to give back
        with the form when it cannot be saved; the category only once it is known."""
        data = self.cleaned_data
        return {
            "body": data["body"],
            "category": data.get("category"),
            "tags": data["tags"],
            "visibility": data["visibility"],
        }


class NewAnnotationForm(SelectionForm, AnnotationForm):
    """A new annotation: the passages selected, then its note and the rest."""

    field_order = ["spans", "body", "category", "tags", "visibility"]


class AnnotationEditForm(AnnotationForm):
    """An edit, which carries the version of the annotation the editor started from."""

    version = SmallIntField()


class ReplyForm(forms.Form):
    body = TextAsTypedField()


class StatusForm(ParamsForm):
    """Resolve, or open again: anything but "resolved" opens."""

    status = forms.ChoiceField(choices=Status.choices, required=False, initial=Status.OPEN)


class PanelForm(ParamsForm):
    """The side panel's filters, and how far down the list it has scrolled.

    A filter is compared as it is: one that matches nothing lists nothing. A NUL cannot be
    stored, so it matches nothing; PostgreSQL refuses it in a query: it becomes U+FFFD.
    """

    FILTERS = ("category", "author", "status", "witness", "tag", "mine")

    category = TextAsTypedField(initial="")
    author = TextAsTypedField(initial="")
    status = TextAsTypedField(initial="")
    witness = TextAsTypedField(initial="")
    tag = TextAsTypedField(initial="")
    mine = TextAsTypedField(initial="")
    # Not a small integer (offset=10**25 overflows the database's OFFSET): from the start.
    offset = SmallIntField(minimum=0, initial=0)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name in self.FILTERS:
            if name in cleaned:
                cleaned[name] = cleaned[name].replace("\x00", "\ufffd")
        return cleaned

    def filters(self) -> dict[str, str]:
        values = self.values()
        return {name: values[name] for name in self.FILTERS}


# The protocol's words, as its other errors (not translated).
PAGE_PROBLEM = f"page must be a number from 0 to {limits.MAX_ID}"


class ContainerPageForm(forms.Form):
    """A page of a W3C annotation container: ``?page=N``, from 0."""

    page = SmallIntField(
        minimum=0, required=True, error_messages={"invalid": PAGE_PROBLEM, "required": PAGE_PROBLEM}
    )
