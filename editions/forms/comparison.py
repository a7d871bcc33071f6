"""The comparison page's parameters: the two witnesses, the view and its toggles, the rows."""

from typing import Any

from django import forms

from ..models import Witness
from .fields import FlagField, ParamsForm, SmallIntField, choose

MODES = ("side", "inline")


class ComparisonForm(ParamsForm):
    """What the comparison shows: every view of a comparison has its own URL.

    ``a`` and ``b`` are witness slugs of the document (missing: the pair ``default_pair``);
    ``mode`` side by side or inline; the toggles ``punct``, ``space``, ``case``, ``changed``;
    ``offset`` the first row sent, or ``row`` a row the page sent must hold; ``fragment`` what
    an htmx request swaps (``rows``: the next rows, else the whole ``diff``).
    """

    a = forms.ChoiceField(required=False)
    b = forms.ChoiceField(required=False)
    mode = forms.ChoiceField(required=False, choices=[(m, m) for m in MODES], initial="side")
    punct = FlagField(initial=True)
    space = FlagField(initial=False)
    case = FlagField(initial=False)
    changed = FlagField(initial=False)
    offset = SmallIntField(minimum=0, initial=0)
    row = SmallIntField()
    fragment = forms.ChoiceField(
        required=False, choices=[("rows", "rows"), ("diff", "diff")], initial="diff"
    )

    def __init__(
        self,
        *args: Any,
        witnesses: list[Witness],
        default_pair: tuple[Witness | None, Witness | None],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.witnesses = {w.slug: w for w in witnesses}
        for name, default in zip(("a", "b"), default_pair, strict=True):
            choose(self.fields[name], [(slug, slug) for slug in self.witnesses])
            self.fields[name].initial = default

    def clean_a(self) -> Witness | None:
        return self.witnesses.get(self.cleaned_data["a"])

    def clean_b(self) -> Witness | None:
        return self.witnesses.get(self.cleaned_data["b"])

    def unknown_witness(self) -> bool:
        """Whether ``a`` or ``b`` names a witness the document does not have."""
        self.is_valid()
        return "a" in self.errors or "b" in self.errors
