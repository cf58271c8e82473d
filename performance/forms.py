from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from kernel.forms import gds_helper, length_messages, reject_control_characters
from performance.models import Compliance

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


EVIDENCE_MAX = 4000
RESPONSE_MAX = 10000
# A peers' file is a few thousand lines; anything far larger is not one.
PEER_FILE_MAX_BYTES = 2 * 1024 * 1024


class ProvisionAnswerForm(forms.Form):
    """The complaints lead's answer to one provision of the self-assessment."""

    compliance = forms.ChoiceField(
        label="Do we comply with this provision?",
        choices=Compliance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether we comply"},
    )
    evidence = forms.CharField(
        label="Evidence: how we comply, or what we are doing about it",
        max_length=EVIDENCE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the evidence",
            **length_messages("The evidence", EVIDENCE_MAX),
        },
    )
    evidence_link = forms.URLField(
        label="Link to the evidence (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.org/policy",
            **length_messages("The link", 500),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("compliance", legend_size=Size.MEDIUM),
            Field.textarea("evidence"),
            Field.text("evidence_link"),
            Button("save", "Save this answer"),
        )

    def clean_evidence(self) -> str:
        return reject_control_characters(self.cleaned_data["evidence"])


class GoverningBodyResponseForm(forms.Form):
    response = forms.CharField(
        label="The governing body's response to the self-assessment and the annual report",
        max_length=RESPONSE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter the governing body's response",
            **length_messages("The response", RESPONSE_MAX),
        },
    )
    approved_on = DateInputField(
        label="When did the governing body approve it?",
        help_text="For example, 27 6 2027.",
    )

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = gds_helper(
            Field.textarea("response"),
            Field("approved_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("save", "Save the response"),
        )

    def clean_response(self) -> str:
        return reject_control_characters(self.cleaned_data["response"])

    def clean_approved_on(self):
        value = self.cleaned_data.get("approved_on")
        if value is not None and value > self.today:
            raise forms.ValidationError("The date of approval must be today or in the past")
        return value


class PeerFiguresForm(forms.Form):
    file = forms.FileField(
        label="Peer landlords' figures (CSV)",
        help_text="Columns landlord, year, measure, figure; for example: "
        "Example Homes, 2025, CH01(1), 31.2",
        error_messages={"required": "Choose a CSV file", "empty": "The file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), Button("import", "Import the figures"))

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > PEER_FILE_MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a CSV saved as UTF-8") from None
        if "\x00" in text:
            raise forms.ValidationError("The file must be a CSV saved as UTF-8")
        return text
