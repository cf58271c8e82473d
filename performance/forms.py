from __future__ import annotations

from crispy_forms_gds.layout import Button, Field
from django import forms

from kernel.forms import gds_helper

ALL_COMMITMENTS = ""


class TrendForm(forms.Form):
    """Which commitment the weekly trend shows (all of them when none is chosen)."""

    commitment = forms.ChoiceField(
        label="Show the trend for",
        required=False,
        error_messages={"invalid_choice": "Select a commitment from the list"},
    )

    def __init__(self, *args, commitments: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["commitment"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(ALL_COMMITMENTS, "All commitments"), *commitments]
        self.helper = gds_helper(Field.select("commitment"), Button("show", "Show trend"))
        self.helper.form_method = "get"

    def chosen_code(self) -> str | None:
        """The chosen commitment's code, or None for all (and for a choice not in the list)."""
        if not self.is_valid():
            return None
        return self.cleaned_data["commitment"] or None
