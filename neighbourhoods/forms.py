"""Forms for residents (an inspector's scores, a report) and officers (the inspection checklist,
a repair raised from it), as GOV.UK forms that work on a phone without JavaScript."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from kernel.forms import (
    IdempotentFormMixin,
    gds_helper,
    length_messages,
    reject_control_characters,
)
from neighbourhoods.models import ChecklistItem, Place, ReportKind, Score


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


class ReportForm(IdempotentFormMixin):
    """Report a service not done, bulk rubbish or graffiti. The fields for each kind are all on
    the page (no JavaScript needed); the service checks what each kind needs."""

    kind = forms.ChoiceField(
        label="What do you want to report?",
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you want to report"},
    )
    communal_service = forms.TypedChoiceField(
        label="If cleaning or grounds work was not done: which service?",
        coerce=int,
        required=False,
        empty_value=None,
        choices=(),
    )
    offensive = forms.BooleanField(
        label="The graffiti is racist, sexual, threatening or abusive (we remove it within 24 "
        "hours)",
        required=False,
    )
    place = forms.ChoiceField(
        label="Where is it?",
        choices=Place.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where it is"},
    )
    where = forms.CharField(
        label="Describe exactly where",
        help_text="For example: the bin store behind Alder Court, or the third-floor landing.",
        max_length=300,
        error_messages={"required": "Describe where it is"} | length_messages("Where", 300),
    )
    latitude = forms.DecimalField(
        label="Latitude (optional, from a map app)",
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=8,
        decimal_places=6,
    )
    longitude = forms.DecimalField(
        label="Longitude (optional, from a map app)",
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
    )
    details = forms.CharField(
        label="Tell us what you found",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Tell us what you found"} | length_messages("Details", 3000),
    )
    photo = forms.FileField(label="Add a photo (optional)", required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communal_service"].choices = [("", "Choose the service")] + [
            (s.pk, f"{s.get_kind_display()}: {s.what[:60]} ({s.get_frequency_display().lower()})")
            for s in services
        ]
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("communal_service"),
            Field.checkbox("offensive"),
            Field.radios("place", legend_size=Size.MEDIUM),
            Field.text("where"),
            Field.text("latitude", field_width=10),
            Field.text("longitude", field_width=10),
            Field.textarea("details"),
            Field("photo"),
            Field("idempotency_key"),
            Button("submit", "Send the report"),
        )

    def clean_where(self) -> str:
        return reject_control_characters(self.cleaned_data["where"])

    def clean_details(self) -> str:
        return reject_control_characters(self.cleaned_data["details"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ReportKind.MISSED_SERVICE and not cleaned.get("communal_service"):
            self.add_error("communal_service", "Choose the service that was not done")
        if cleaned.get("offensive") and cleaned.get("kind") != ReportKind.GRAFFITI:
            self.add_error("offensive", "Only graffiti can be marked as offensive")
        return cleaned
