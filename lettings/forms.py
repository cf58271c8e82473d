"""Forms validate and hand back domain values; the services do the writing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms

from accounts.models import User
from kernel.forms import IdempotentFormMixin, gds_helper, length_messages, reject_control_characters
from lettings.models import Band, ExchangeStatus, LettableStandardItem, LettingScheme, RefusalGround
from repairs.handover import repair_item_choices
from tenancy.models import TenancyType

TEXT_MAX = 2000
LINE_MAX = 200
MONEY_MAX = Decimal("100000")


def _refuse_control_characters(value: str) -> None:
    reject_control_characters(value)


def _text(
    label: str,
    *,
    required: bool = True,
    max_length: int = TEXT_MAX,
    help_text: str = "",
    textarea: bool = True,
    required_message: str = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput,
        validators=[_refuse_control_characters],
        error_messages={
            **length_messages(label, max_length),
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
        },
    )


def _pounds(label: str, *, required_message: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0"),
        max_value=MONEY_MAX,
        decimal_places=2,
        error_messages={
            "required": required_message,
            "invalid": f"{label} must be an amount of money, like 250.00",
            "min_value": f"{label} cannot be less than 0",
            "max_value": f"{label} must be less than £100,000",
            "max_decimal_places": f"{label} must have no more than 2 numbers after the point",
            "max_digits": f"{label} must be less than £100,000",
        },
    )


def pence(amount: Decimal) -> int:
    """Pounds as typed to whole pence (never a float)."""
    return int((amount * 100).to_integral_value())


# --------------------------------------------------------------------------------------------
# Applicants and tenants
# --------------------------------------------------------------------------------------------


class InterestForm(IdempotentFormMixin):
    needs_adapted_home = forms.BooleanField(
        label="I, or someone who would live with me, needs an adapted home",
        required=False,
        help_text="For example level access or a wet room. Adapted homes go first to people "
        "who need them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("needs_adapted_home")


class ApplicationForm(forms.Form):
    household_summary = _text(
        "Who would live in the home",
        help_text="Names, ages and how each person is related to you.",
        required_message="Enter who would live in the home",
    )
    weekly_income = _pounds(
        "Household income each week, in pounds",
        required_message="Enter your household's income each week",
    )
    support_needs = _text(
        "Support you or your household need",
        required=False,
        help_text="Anything that would help you keep your tenancy. Leave blank if none.",
    )
    previous_addresses = _text(
        "Your addresses in the last 5 years",
        help_text="One address on each line, with the dates you lived there.",
        required_message="Enter your addresses in the last 5 years",
    )
    consent_given = forms.BooleanField(
        label="I agree that you may check the details I have given with my current landlord "
        "and the council",
        error_messages={"required": "Give your consent for us to check your details"},
    )
    evidence = forms.FileField(
        label="Proof of income (optional)",
        required=False,
        help_text="A payslip or benefit letter, as a PDF or a photo (JPG or PNG), up to 10MB.",
    )
    accepts_tenancy_terms = forms.BooleanField(
        label="I have read the tenancy agreement's terms and accept them",
        error_messages={"required": "Confirm that you accept the terms of the tenancy agreement"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "household_summary",
            "weekly_income",
            "support_needs",
            "previous_addresses",
            "evidence",
            "consent_given",
            "accepts_tenancy_terms",
        )


class OfferDecisionForm(forms.Form):
    ACCEPT, REFUSE = "accept", "refuse"
    decision = forms.ChoiceField(
        label="Do you want this home?",
        choices=[(ACCEPT, "Yes, I accept the offer"), (REFUSE, "No, I refuse the offer")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you accept the offer"},
    )
    reason = _text(
        "If you refuse, tell us why",
        required=False,
        help_text="So we can offer you a better match next time.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("decision", "reason")

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Tell us why you are refusing the offer")
        return data


class SatisfactionForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with the standard of your new home?",
        coerce=int,
        choices=[
            (5, "Very satisfied"),
            (4, "Fairly satisfied"),
            (3, "Neither satisfied nor dissatisfied"),
            (2, "Fairly dissatisfied"),
            (1, "Very dissatisfied"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are with your new home"},
    )
    comment = _text("Anything you would like to tell us", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("satisfaction", "comment")


class ExchangeForm(IdempotentFormMixin):
    partner_name = _text(
        "Full name of the tenant you want to exchange with",
        max_length=LINE_MAX,
        textarea=False,
        required_message="Enter the full name of the tenant you want to exchange with",
    )
    partner_address = _text(
        "Their address",
        max_length=300,
        textarea=False,
        required_message="Enter the address of the home you want to move to",
    )
    partner_landlord = _text(
        "Their landlord",
        max_length=LINE_MAX,
        textarea=False,
        help_text="Us, or the name of their housing association or council.",
        required_message="Enter the name of their landlord",
    )
    partner_landlord_contact = _text(
        "Their landlord's phone number or email",
        required=False,
        max_length=300,
        textarea=False,
    )
    partner_tenancy_reference = _text(
        "Their tenancy reference, if you know it",
        required=False,
        max_length=30,
        textarea=False,
    )
    reason = _text("Why you want to move", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "partner_name",
            "partner_address",
            "partner_landlord",
            "partner_landlord_contact",
            "partner_tenancy_reference",
            "reason",
        )


# --------------------------------------------------------------------------------------------
# Staff steps
# --------------------------------------------------------------------------------------------


class NoteForm(forms.Form):
    """A step with nothing to fill in but an optional note for the history."""

    note = forms.CharField(required=False, widget=forms.Textarea, max_length=TEXT_MAX)


class VoidCheckForm(forms.Form):
    item = forms.ModelChoiceField(queryset=LettableStandardItem.objects.filter(is_active=True))
    done_on = forms.DateField(help_text="YYYY-MM-DD")
    certificate_reference = forms.CharField(max_length=60, required=False)
    note = forms.CharField(max_length=500, required=False)


class VoidRepairForm(forms.Form):
    item_code = forms.ChoiceField(label="Repair", choices=())
    description = forms.CharField(widget=forms.Textarea, max_length=TEXT_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_code"].choices = repair_item_choices()


class AdvertForm(forms.Form):
    title = forms.CharField(max_length=LINE_MAX)
    area = forms.CharField(max_length=100, required=False)
    scheme = forms.ModelChoiceField(
        queryset=LettingScheme.objects.filter(is_active=True), required=False
    )
    rent_weekly = forms.DecimalField(
        min_value=Decimal("0.01"), max_value=MONEY_MAX, decimal_places=2
    )
    service_charge_weekly = forms.DecimalField(
        min_value=Decimal("0"), max_value=MONEY_MAX, decimal_places=2, initial=Decimal("0")
    )
    description = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)
    eligibility = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)
    closes_at = forms.DateTimeField(help_text="YYYY-MM-DD HH:MM, UK time")


class ImportPrioritiesForm(forms.Form):
    """The scheme's export pasted in: one applicant a line, ``reference,band,YYYY-MM-DD``."""

    rows = forms.CharField(
        label="Bands and dates from the scheme",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=200_000,
        help_text="One applicant a line: reference,band,date (for example "
        "LET-2026-000123,B,2025-04-30).",
    )

    def clean_rows(self) -> list[tuple[str, str, dt.date]]:
        parsed = []
        for line, text in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            if not text.strip():
                continue
            parts = [part.strip() for part in text.split(",")]
            try:
                reference, band, day = parts
                parsed.append((reference, band.upper(), dt.date.fromisoformat(day)))
            except ValueError:
                raise forms.ValidationError(
                    f"Line {line} must be reference,band,date (date as YYYY-MM-DD)"
                ) from None
        if not parsed:
            raise forms.ValidationError("Paste at least one line")
        return parsed


class ShortlistForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=50, initial=5)


class PriorityForm(forms.Form):
    band = forms.ChoiceField(choices=Band.choices)
    band_date = forms.DateField(help_text="YYYY-MM-DD")


class AssessForm(forms.Form):
    suitable = forms.TypedChoiceField(
        label="Does the home suit the household?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)


class ViewingForm(forms.Form):
    viewing_at = forms.DateTimeField(label="Viewing on", help_text="YYYY-MM-DD HH:MM, UK time")
    with_staff = forms.ModelChoiceField(
        label="Accompanied by",
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("email"),
    )


class RecordDecisionForm(OfferDecisionForm):
    pass


class RentForm(forms.Form):
    rent_in_advance = forms.DecimalField(
        label="Rent in advance (pounds)",
        min_value=Decimal("0"),
        max_value=MONEY_MAX,
        decimal_places=2,
    )


class SignUpForm(forms.Form):
    tenancy_start_date = forms.DateField(help_text="YYYY-MM-DD")
    tenancy_type = forms.ChoiceField(
        choices=[
            (TenancyType.STARTER, TenancyType.STARTER.label),
            (TenancyType.ASSURED, TenancyType.ASSURED.label),
        ]
    )


class BookVisitForm(forms.Form):
    visit_at = forms.DateTimeField(label="Visit on", help_text="YYYY-MM-DD HH:MM, UK time")


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(help_text="YYYY-MM-DD HH:MM, UK time")
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)


class ExchangeChecksForm(forms.Form):
    rent_account_clear = forms.BooleanField(required=False)
    no_tenancy_breach = forms.BooleanField(required=False)
    property_suitable = forms.BooleanField(required=False)
    safety_checks_arranged = forms.BooleanField(
        required=False, label="Gas and electrical checks arranged"
    )
    safety_checks_recharge = forms.DecimalField(
        label="Recharge for the checks (pounds)",
        min_value=Decimal("0"),
        max_value=MONEY_MAX,
        decimal_places=2,
        initial=Decimal("0"),
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)


class ExchangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (ExchangeStatus.CONSENTED, ExchangeStatus.CONSENTED.label),
            (ExchangeStatus.CONDITIONAL, ExchangeStatus.CONDITIONAL.label),
            (ExchangeStatus.REFUSED, ExchangeStatus.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)
    refusal_ground = forms.ChoiceField(
        choices=[("", "---"), *RefusalGround.choices], required=False
    )
    explanation = forms.CharField(widget=forms.Textarea, required=False, max_length=TEXT_MAX)


class SignedAgreementForm(forms.Form):
    """Staff upload the tenancy agreement as signed; the service checks the file itself."""

    agreement = forms.FileField(
        label="Signed tenancy agreement (PDF)",
        help_text="The agreement as both sides signed it, scanned to one PDF smaller than 10MB.",
        error_messages={
            "required": "Select the signed tenancy agreement",
            "empty": "The selected PDF is empty",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("agreement")
