"""What the alignment pages read: the pair to align, the editor's row, a row operation."""

from typing import Any

from django import forms

from ..models import Witness
from .fields import ParamsForm, SmallIntField, choose


class AlignmentPairForm(forms.Form):
    """The two witnesses of the document to align, by id."""

    source = forms.ChoiceField()
    target = forms.ChoiceField()

    def __init__(self, *args: Any, witnesses: list[Witness], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.witnesses = {str(w.pk): w for w in witnesses}
        for name in ("source", "target"):
            choose(self.fields[name], [(pk, pk) for pk in self.witnesses])

    def clean_source(self) -> Witness:
        return self.witnesses[self.cleaned_data["source"]]

    def clean_target(self) -> Witness:
        return self.witnesses[self.cleaned_data["target"]]


class AlignmentEditorForm(ParamsForm):
    """The row the editor shows (``row``, from 0; the editor keeps it within the alignment's
    rows), the next rows as it scrolls (``fragment=rows``), or the next row to review after it
    (``next``)."""

    row = forms.IntegerField(required=False, initial=0)
    fragment = forms.ChoiceField(required=False, choices=[("rows", "rows")], initial="")
    next = forms.BooleanField(required=False)


class RowOperationForm(ParamsForm):
    """One operation of the editor on a row (``op``, ``row`` from 0, the segments it moves),
    based on the alignment's ``version`` the page showed. What the operation and its segments
    must be, the alignment says (``RowError``, for a row it does not have too); an unusable
    version is a stale one."""

    op = forms.CharField(required=False, initial="")
    row = forms.IntegerField(required=False, initial=0)
    version = SmallIntField(minimum=0, initial=0)
    source_sid = forms.CharField(required=False, strip=False, initial="")
    target_sid = forms.CharField(required=False, strip=False, initial="")
