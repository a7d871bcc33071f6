"""What the views' parameter forms share: bounded integers, text kept as typed, and the
forms of a page's parameters (each unusable one takes its default).
"""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.functional import Promise

from .. import limits


class SmallIntField(forms.Field):
    """An id, a version, a page or row number: an integer from ``minimum`` to
    ``limits.MAX_ID`` (PostgreSQL's integer columns stop there), written in ASCII digits."""

    # Django's own words (and translations) for a number that is not a whole one.
    default_error_messages = {"invalid": forms.IntegerField.default_error_messages["invalid"]}

    def __init__(self, *, minimum: int = 1, **kwargs: Any):
        self.minimum = minimum
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = limits.small_int(value, minimum=self.minimum)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class TextAsTypedField(forms.CharField):
    """Text kept exactly as typed, NUL included: the layer that stores it refuses what it
    cannot store, with the message that names the limit (and keeps the text for the form)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class FlagField(forms.TypedChoiceField):
    """A toggle in a page's URL: ``1`` on, ``0`` off."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[("0", "0"), ("1", "1")], coerce=lambda v: v == "1", empty_value=None, **kwargs
        )


class ParamsForm(forms.Form):
    """The parameters that choose what a page shows.

    A page's URL is made by the page's own links, but can be typed by hand or cut short: a
    parameter that is missing, empty or not one the field accepts takes its field's
    ``initial`` value rather than failing the page. Read them with ``values()``.
    """

    def __init__(self, data: Any = None, **kwargs: Any):
        super().__init__(data if data is not None else {}, **kwargs)

    def values(self) -> dict[str, Any]:
        self.is_valid()  # what is not valid is left out of cleaned_data
        return {name: self._value(name, field) for name, field in self.fields.items()}

    def _value(self, name: str, field: forms.Field) -> Any:
        value = self.cleaned_data.get(name)
        return field.initial if value in (None, "", []) else value


def choose(field: forms.Field, choices: Sequence[tuple[str, str | Promise]]) -> None:
    """Set the choices of a choice field (made per request: a document's witnesses...)."""
    cast(forms.ChoiceField, field).choices = choices


def first_error(form: forms.Form) -> str:
    """The first thing wrong with a bound, invalid form, in the order of its fields."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return ""
