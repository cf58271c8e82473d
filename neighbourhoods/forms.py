"""A resident inspector's scores, as a GOV.UK form that works on a phone without JavaScript."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from kernel.forms import gds_helper, length_messages, reject_control_characters
from neighbourhoods.models import ChecklistItem, Score


class ResidentScoreForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ChecklistItem:
            self.fields[item.value] = forms.TypedChoiceField(
                label=item.label,
                choices=Score.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Score {item.label.lower()}"},
            )
        self.helper = gds_helper(
            *[
                Field.radios(item.value, legend_size=Size.SMALL, inline=True)
                for item in ChecklistItem
            ],
            Button("submit", "Send your scores"),
        )

    def scores(self) -> dict[str, int]:
        return {item.value: self.cleaned_data[item.value] for item in ChecklistItem}


class InspectionScoringForm(forms.Form):
    """The officer's checklist, on a phone in the field: a score, a note and a photo for each
    item, on one page that works without JavaScript."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for item in ChecklistItem:
            self.fields[f"{item.value}_score"] = forms.TypedChoiceField(
                label=item.label,
                choices=Score.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Score {item.label.lower()}"},
            )
            self.fields[f"{item.value}_comment"] = forms.CharField(
                label=f"Notes on {item.label.lower()} (optional)",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages=length_messages("Notes", 1000),
            )
            self.fields[f"{item.value}_photo"] = forms.FileField(
                label=f"Photo of {item.label.lower()} (optional)", required=False
            )
            layout += [
                Field.radios(f"{item.value}_score", legend_size=Size.MEDIUM, inline=True),
                Field.textarea(f"{item.value}_comment"),
                Field(f"{item.value}_photo"),
            ]
        self.helper = gds_helper(*layout, Button("submit", "Save scores"))

    def clean(self):
        cleaned = super().clean()
        for item in ChecklistItem:
            comment = cleaned.get(f"{item.value}_comment")
            if comment:
                try:
                    reject_control_characters(comment)
                except forms.ValidationError as exc:
                    self.add_error(f"{item.value}_comment", exc)
        return cleaned

    def items(self):
        data = self.cleaned_data
        for item in ChecklistItem:
            yield (
                item.value,
                data[f"{item.value}_score"],
                data.get(f"{item.value}_comment") or "",
                data.get(f"{item.value}_photo"),
            )


class RaiseRepairForm(forms.Form):
    block = forms.TypedChoiceField(label="Which block?", coerce=int, choices=())
    item_code = forms.ChoiceField(label="What is the problem?", choices=())
    description = forms.CharField(
        label="Describe it for the operative",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the problem"}
        | length_messages("The description", 2000),
    )

    def __init__(self, *args, blocks, item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [(b.pk, b.name) for b in blocks]
        self.fields["item_code"].choices = item_choices
        self.helper = gds_helper(
            Field.select("block"),
            Field.select("item_code"),
            Field.textarea("description"),
            Button("submit", "Raise the repair"),
        )

    def clean_description(self) -> str:
        return reject_control_characters(self.cleaned_data["description"])
