"""What the history pages read: the two versions compared, a revert, a revision's label."""

from typing import Any

from django import forms

from ..models import Witness
from .fields import ParamsForm, SmallIntField, choose


class VersionPairForm(ParamsForm):
    """The versions of a segment's text a history compares (``?a=N&b=N``); a number that is
    not one of its versions is the default: the one before the newest, and the newest."""

    a = forms.TypedChoiceField(coerce=int, required=False)
    b = forms.TypedChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, versions: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            choose(self.fields[name], [(str(n), str(n)) for n in versions])
        newest = versions[-1]
        self.fields["a"].initial = versions[-2] if len(versions) > 1 else newest
        self.fields["b"].initial = newest


class RevertForm(forms.Form):
    """Revert to version ``to``, from ``version``, the one the page showed."""

    to = SmallIntField(required=True)
    version = SmallIntField(required=True)


class RevisionLabelForm(forms.Form):
    """A new revision's label: plain text that fits (empty: the label is made up)."""

    label = forms.CharField(
        required=False, strip=False, max_length=Witness._meta.get_field("label").max_length
    )
