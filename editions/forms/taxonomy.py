"""An edition's annotation categories, which its owners edit."""

from django import forms

from .. import limits
from ..models import Category


class CategoryForm(forms.ModelForm):
    # Bounded here as PostgreSQL bounds the column: SQLite would store any integer.
    position = forms.IntegerField(min_value=0, max_value=limits.MAX_ID, initial=0)

    class Meta:
        model = Category
        fields = ["name", "color", "position"]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}
