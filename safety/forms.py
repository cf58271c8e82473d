"""Forms of the compliance team: record a check done (with its certificate), take the next
no-access step, import last-check dates. They validate and return domain values; the views hand
them to one service each."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from kernel.forms import (
    IdempotentFormMixin,
    gds_helper,
    length_messages,
    reject_control_characters,
)
from safety.models import (
    NO_ACCESS_STEPS,
    AccessStage,
    AlterationKind,
    ComplianceCheck,
    Contractor,
    Outcome,
    ReportKind,
    outcomes_for,
)
from safety.services import RecordDetails

NOTES_MAX = 2000
NAME_MAX = 200
REGISTRATION_MAX = 20
# A spreadsheet of 100,000 rows is about 10 MB; larger imports are split.
IMPORT_MAX_BYTES = 20 * 1024 * 1024


def _text(value: str) -> str:
    return reject_control_characters(value.strip())


class RecordForm(forms.Form):
    done_on = DateInputField(label="Date of the check", help_text="For example, 27 3 2026.")
    outcome = forms.ChoiceField(
        label="Outcome", widget=forms.RadioSelect, error_messages={"required": "Select the outcome"}
    )
    contractor = forms.ModelChoiceField(
        label="Contractor",
        queryset=Contractor.objects.filter(is_active=True),
        required=False,
        empty_label="Choose the contractor",
    )
    engineer_name = forms.CharField(
        label="Engineer's name",
        max_length=NAME_MAX,
        required=False,
        error_messages=length_messages("The engineer's name", NAME_MAX),
    )
    engineer_registration = forms.CharField(
        label="Engineer's registration number (Gas Safe, NICEIC or NAPIT)",
        max_length=REGISTRATION_MAX,
        required=False,
        error_messages=length_messages("The registration number", REGISTRATION_MAX),
    )
    next_due_months = forms.IntegerField(
        label="Next check due in (months), if the report sets a sooner date",
        min_value=1,
        max_value=120,
        required=False,
        error_messages={
            "invalid": "Enter the months as a whole number",
            "min_value": "Enter at least 1 month",
            "max_value": "Enter 120 months or fewer",
        },
    )
    alarms_checked = forms.BooleanField(
        label="The smoke and carbon monoxide alarms were checked", required=False
    )
    notes = forms.CharField(
        label="What the report asks for (if anything)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=NOTES_MAX,
        required=False,
        error_messages=length_messages("The notes", NOTES_MAX),
    )
    certificate = forms.FileField(
        label="Certificate (PDF)",
        help_text="The LGSR (CP12), EICR, assessment or report, as a PDF smaller than 10MB.",
        error_messages={"required": "Select the certificate", "empty": "The selected PDF is empty"},
    )

    def __init__(self, *args, check: ComplianceCheck, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [  # type: ignore[attr-defined]
            (value, Outcome(value).label) for value in outcomes_for(check.check_type)
        ]
        self.helper = gds_helper(
            Field("done_on"),
            Field.radios("outcome"),
            Field("contractor"),
            Field.text("engineer_name"),
            Field.text("engineer_registration", field_width=10),
            Field.text("next_due_months", field_width=3),
            Field.checkbox("alarms_checked"),
            Field.textarea("notes"),
            Field("certificate"),
            Button("submit", "Keep the record"),
        )

    def clean_done_on(self) -> dt.date:
        value = self.cleaned_data["done_on"]
        if not isinstance(value, dt.date):
            raise forms.ValidationError("Enter a real date")
        return value

    def clean_engineer_name(self) -> str:
        return _text(self.cleaned_data["engineer_name"])

    def clean_engineer_registration(self) -> str:
        return _text(self.cleaned_data["engineer_registration"])

    def clean_notes(self) -> str:
        return _text(self.cleaned_data["notes"])

    def details(self) -> RecordDetails:
        data = self.cleaned_data
        return RecordDetails(
            done_on=data["done_on"],
            outcome=data["outcome"],
            contractor=data["contractor"],
            engineer_name=data["engineer_name"],
            engineer_registration=data["engineer_registration"],
            next_due_months=data["next_due_months"],
            alarms_checked=data["alarms_checked"],
            notes=data["notes"],
        )


class AccessAttemptForm(forms.Form):
    stage = forms.ChoiceField(
        label="Step taken",
        widget=forms.RadioSelect,
        choices=[(value, AccessStage(value).label) for value in NO_ACCESS_STEPS],
        error_messages={"required": "Select the step taken"},
    )
    note = forms.CharField(
        label="Note (what happened at the visit)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX,
        required=False,
        error_messages=length_messages("The note", NOTES_MAX),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("stage", legend_size=Size.SMALL),
            Field.textarea("note"),
            Button("submit", "Record the step"),
        )

    def clean_note(self) -> str:
        return _text(self.cleaned_data["note"])


class ImportForm(forms.Form):
    spreadsheet = forms.FileField(
        label="Spreadsheet of last checks (CSV)",
        help_text=(
            "Columns: uprn, block, check_type, appliance, done_on, outcome, contractor, "
            "engineer_registration, next_due_months."
        ),
        error_messages={
            "required": "Select the spreadsheet",
            "empty": "The selected file is empty",
        },
    )
    dry_run = forms.BooleanField(
        label="Only check the rows: import nothing", required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("spreadsheet"), Field.checkbox("dry_run"), Button("submit", "Check or import")
        )

    def clean_spreadsheet(self) -> str:
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The spreadsheet must be smaller than 20MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Save the spreadsheet as CSV (UTF-8)") from None
        if "\x00" in text:
            raise forms.ValidationError("Save the spreadsheet as CSV (UTF-8)")
        return text


# --- what households report and ask -------------------------------------------------------------

DETAILS_MAX = 3000
WHERE_MAX = 200


class ReportForm(IdempotentFormMixin):
    """A fire, items in a shared area, or a request to alter the home: one form, its questions
    chosen by ``kind``."""

    details = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DETAILS_MAX,
        error_messages={
            "required": "Tell us what happened",
            **length_messages("Your answer", DETAILS_MAX),
        },
    )
    where = forms.CharField(
        label="Where in the building?",
        help_text="For example, the landing on the third floor, by the lift.",
        max_length=WHERE_MAX,
        required=False,
        error_messages=length_messages("Where", WHERE_MAX),
    )
    alteration_kind = forms.ChoiceField(
        label="What do you want to alter?",
        widget=forms.RadioSelect,
        choices=AlterationKind.choices,
        required=False,
    )
    photo = forms.FileField(
        label="Add a photo (optional)",
        help_text="A JPG or PNG, smaller than 10MB.",
        required=False,
        error_messages={"empty": "The selected photo is empty"},
    )

    LABELS: dict[str, str] = {
        ReportKind.FIRE: "What happened? Tell us where the fire was and whether anyone was hurt.",
        ReportKind.COMMUNAL_ITEMS: "What has been left, and since when?",
        ReportKind.ALTERATION: "Describe the change you want to make, and why.",
    }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["details"].label = self.LABELS[kind]
        layout: list = []
        if kind == ReportKind.ALTERATION:
            self.fields["alteration_kind"].required = True
            self.fields["alteration_kind"].error_messages["required"] = (
                "Select what you want to alter"
            )
            layout.append(Field.radios("alteration_kind", legend_size=Size.SMALL))
        layout.append(Field.textarea("details"))
        if kind == ReportKind.COMMUNAL_ITEMS:
            layout.extend([Field.text("where"), Field("photo")])
        else:
            del self.fields["photo"]
            if kind != ReportKind.FIRE:
                del self.fields["where"]
            else:
                layout.append(Field.text("where"))
        layout.extend([Field("idempotency_key"), Button("submit", "Send")])
        self.helper = gds_helper(*layout)

    def clean_details(self) -> str:
        return _text(self.cleaned_data["details"])

    def clean_where(self) -> str:
        return _text(self.cleaned_data.get("where") or "")


class PeepForm(forms.Form):
    needs = forms.CharField(
        label="What help would you need to leave the building in an emergency?",
        help_text="For example, you use a wheelchair, cannot manage stairs, or would not hear an alarm.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DETAILS_MAX,
        error_messages={
            "required": "Tell us what help you would need",
            **length_messages("Your answer", DETAILS_MAX),
        },
    )
    consent = forms.BooleanField(
        label="I agree that you keep this information to plan my evacuation",
        error_messages={"required": "We can only make a plan with your consent"},
    )
    share_with_fire_service = forms.BooleanField(
        label="I also agree that you share my plan with the fire and rescue service",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("needs"),
            Field.checkbox("consent"),
            Field.checkbox("share_with_fire_service"),
            Button("submit", "Ask for a plan"),
        )

    def clean_needs(self) -> str:
        return _text(self.cleaned_data["needs"])


# --- staff steps on a report ------------------------------------------------------------------


class DealtWithForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX,
        error_messages={"required": "Say what was done", **length_messages("The note", NOTES_MAX)},
    )

    def clean_note(self) -> str:
        return _text(self.cleaned_data["note"])


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("approve", "Give permission"), ("refuse", "Refuse permission")],
        error_messages={"required": "Select the decision"},
    )
    reason = forms.CharField(
        label="Reason and any conditions (told to the household)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTES_MAX,
        required=False,
        error_messages=length_messages("The reason", NOTES_MAX),
    )

    def clean_reason(self) -> str:
        return _text(self.cleaned_data["reason"])


class PeepAgreeForm(forms.Form):
    statement = forms.CharField(
        label="Evacuation statement agreed with the resident",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DETAILS_MAX,
        error_messages={
            "required": "Write the evacuation statement",
            **length_messages("The statement", DETAILS_MAX),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("statement"), Button("submit", "Record the agreed plan")
        )

    def clean_statement(self) -> str:
        return _text(self.cleaned_data["statement"])


class VisitSlotForm(forms.Form):
    slot = forms.TypedChoiceField(
        label="Choose a time for the visit",
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": "Select a time for the visit"},
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(str(s.pk), s.label) for s in slots]  # type: ignore[attr-defined]
        self.helper = gds_helper(
            Field.radios("slot", legend_size=Size.MEDIUM), Button("submit", "Book this time")
        )
