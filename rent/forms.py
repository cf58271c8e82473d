"""Forms validate and hand back domain values; the services do the writing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fixed, Size
from django import forms
from django.utils import timezone

from kernel.forms import (
    IdempotentFormMixin,
    gds_helper,
    length_messages,
    reject_control_characters,
)
from rent.models import (
    ArrangementFrequency,
    ContactMethod,
    EntryKind,
    PaymentMethod,
    RecoveryStage,
    SupportRequestKind,
)
from rent.modulus import normalise_account_number, normalise_sort_code
from rent.periods import pence_from_pounds

NOTE_MAX = 2000
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _clean_text(form: forms.Form, *names: str) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            try:
                reject_control_characters(value)
            except forms.ValidationError as exc:
                form.add_error(name, exc)


class PoundsField(forms.CharField):
    """An amount of money typed as pounds (``12.50``, ``£1,200``), handed back as pence."""

    def __init__(self, *, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("max_length", 15)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            pence = pence_from_pounds(text)
        except ValueError:
            raise forms.ValidationError("Enter an amount in pounds, like 12.50") from None
        if pence < 0 and not self.allow_negative:
            raise forms.ValidationError("Enter an amount more than zero")
        return pence


# --- customers ------------------------------------------------------------------------------


class StatementForm(forms.Form):
    """The period of a statement or of the payments and charges shown: from and to."""

    start = DateInputField(label="From", require_all_fields=False)
    end = DateInputField(label="To", require_all_fields=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("start", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("end", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("submit", "Show this period"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif (end - start).days > 3 * 366:
                self.add_error("end", "Choose a period of 3 years or less")
        return cleaned


def default_statement_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last three months up to today."""
    return today - dt.timedelta(days=91), today


class DirectDebitForm(forms.Form):
    account_holder = forms.CharField(
        label="Name on the account",
        max_length=18,
        error_messages={
            "required": "Enter the name on the account",
            **length_messages("Name on the account", 18),
        },
    )
    sort_code = forms.CharField(
        label="Sort code",
        max_length=8,
        help_text="Must be 6 digits long",
        error_messages={"required": "Enter a sort code"},
    )
    account_number = forms.CharField(
        label="Account number",
        max_length=10,
        help_text="Must be between 6 and 8 digits long",
        error_messages={"required": "Enter an account number"},
    )
    collection_day = forms.TypedChoiceField(
        label="Which day of the month should we collect your rent?",
        choices=[(str(day), str(day)) for day in range(1, 29)],
        coerce=int,
        error_messages={"required": "Choose a day of the month"},
    )
    confirm_only_signatory = forms.BooleanField(
        label="I am the account holder and the only person needed to authorise debits from it",
        error_messages={
            "required": "Confirm that you can set up a Direct Debit from this account alone"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("account_holder"),
            Field.text("sort_code", field_width=Fixed.FIVE),
            Field.text("account_number", field_width=Fixed.TEN),
            Field.select("collection_day"),
            Field.checkbox("confirm_only_signatory"),
            Button("submit", "Set up Direct Debit"),
        )
        self.fields["sort_code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["account_number"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        )

    def clean_account_holder(self):
        return reject_control_characters(self.cleaned_data["account_holder"]).strip()

    def clean_sort_code(self):
        value = normalise_sort_code(self.cleaned_data["sort_code"])
        if not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError("Enter a valid sort code like 309430")
        return value

    def clean_account_number(self):
        value = normalise_account_number(self.cleaned_data["account_number"])
        if not re.fullmatch(r"[0-9]+", value):
            raise forms.ValidationError("Enter a valid account number like 00733445")
        if not 6 <= len(value) <= 8:
            # A 9 or 10 digit number (some building societies and banks) has an 8 digit form
            # for Direct Debits, which the bank's statement or website gives.
            raise forms.ValidationError(
                "Account number must be between 6 and 8 digits long: if yours is longer, "
                "use the 8 digit number your bank gives for Direct Debits"
            )
        # Six and seven digit account numbers are written with leading zeros to make eight.
        return value.zfill(8)


class DirectDebitCancelForm(forms.Form):
    """Nothing to fill in: the button is the confirmation."""


class SupportForm(IdempotentFormMixin):
    kind = forms.ChoiceField(
        label="What help would you like?",
        choices=SupportRequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the help you would like"},
    )
    phone = forms.CharField(
        label="Phone number (if you would like a call)",
        required=False,
        max_length=30,
        error_messages=length_messages("Phone number", 30),
    )
    best_time = forms.CharField(
        label="When is a good time to call? (optional)",
        required=False,
        max_length=100,
        error_messages=length_messages("A good time", 100),
    )
    note = forms.CharField(
        label="Is there anything you would like us to know? (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=TEXTAREA,
        error_messages=length_messages("This", NOTE_MAX),
    )

    def __init__(self, *args, phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("phone", phone)
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("phone", field_width=Fixed.TWENTY),
            Field.text("best_time"),
            Field.textarea("note"),
            Field("idempotency_key"),
            Button("submit", "Send"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "phone", "best_time", "note")
        if (
            cleaned.get("kind") == SupportRequestKind.CALL_FROM_INCOME_TEAM
            and not (cleaned.get("phone") or "").strip()
        ):
            self.add_error("phone", "Enter a phone number we can call you on")
        return cleaned


class HouseholdAccessForm(forms.Form):
    allowed = forms.TypedChoiceField(
        label="Can other people in your household see your rent account?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes or no"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("allowed", legend_size=Size.MEDIUM, inline=True),
            Button("submit", "Save"),
        )


# --- staff ----------------------------------------------------------------------------------


class PaymentsImportForm(forms.Form):
    file = forms.FileField(
        label="Payments file (CSV)",
        help_text="Columns: date, reference, amount, transaction_id and optionally method.",
        error_messages={"required": "Choose a payments file"},
    )

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 20MB")
        return upload


class RentChangeForm(forms.Form):
    references = forms.CharField(
        label="Tenancy references, one a line",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=200_000,
    )
    effective_from = DateInputField(label="The change takes effect on")
    rent_percent = forms.DecimalField(
        label="Rent change (%)", max_digits=5, decimal_places=2, min_value=Decimal("-50")
    )
    service_charge_percent = forms.DecimalField(
        label="Service charge change (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-50"),
        initial=Decimal("0"),
    )
    cpi_percent = forms.DecimalField(
        label="CPI (previous September, %)",
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-10"),
    )
    reason = forms.CharField(label="Reason", max_length=200)

    def clean_references(self):
        text = reject_control_characters(self.cleaned_data["references"])
        references = sorted({r.strip() for r in re.split(r"[\s,]+", text) if r.strip()})
        if not references:
            raise forms.ValidationError("Enter at least one tenancy reference")
        return references

    def clean_reason(self):
        return reject_control_characters(self.cleaned_data["reason"])


class ContactForm(forms.Form):
    method = forms.ChoiceField(label="How did you reach the tenant?", choices=ContactMethod.choices)
    note = forms.CharField(
        label="What was said (internal)", required=False, widget=TEXTAREA, max_length=NOTE_MAX
    )


class ArrangementForm(forms.Form):
    amount = PoundsField(label="Amount towards the arrears (pounds)")
    frequency = forms.ChoiceField(choices=ArrangementFrequency.choices)
    starts_on = DateInputField(label="First payment on")

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value < timezone.localdate() - dt.timedelta(days=7):
            raise forms.ValidationError("An arrangement cannot start more than a week ago")
        return value


class ReferralForm(forms.Form):
    agency = forms.CharField(label="Referred to", max_length=200, initial="StepChange Debt Charity")
    note = forms.CharField(required=False, widget=TEXTAREA, max_length=NOTE_MAX)


class RecoveryForm(forms.Form):
    stage = forms.ChoiceField(choices=RecoveryStage.choices)
    planned_for = DateInputField(label="Planned for")
    steps_taken_to_avoid_court = forms.CharField(
        label="Steps taken to avoid court action (needed for court action)",
        required=False,
        widget=TEXTAREA,
        max_length=NOTE_MAX,
    )


class LedgerPostForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (EntryKind.ADJUSTMENT, "Adjustment (a minus amount is a credit)"),
            (EntryKind.REFUND, "Refund of a credit"),
            (EntryKind.PAYMENT, "Payment received"),
            (EntryKind.HOUSING_BENEFIT, "Housing Benefit received"),
            (EntryKind.UNIVERSAL_CREDIT, "Universal Credit received"),
        ]
    )
    amount = PoundsField(label="Amount (pounds)", allow_negative=True)
    on = DateInputField(label="Date")
    method = forms.ChoiceField(choices=[("", "-")] + list(PaymentMethod.choices), required=False)
    description = forms.CharField(max_length=200)


class SuspenseAllocateForm(forms.Form):
    tenancy_reference = forms.CharField(label="Post it to the tenancy", max_length=20)

    def clean_tenancy_reference(self):
        return reject_control_characters(self.cleaned_data["tenancy_reference"]).strip()
