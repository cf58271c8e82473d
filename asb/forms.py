"""Forms for reporting (GOV.UK Design System) and for the ASB team's steps (Django admin).

Forms validate and return domain values; the views and steps hand them to one service.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from asb.models import (
    AsbCategory,
    AsbKind,
    CloseReason,
    ContactWay,
    HateCharacteristic,
    IncidentPlace,
    Risk,
    Satisfaction,
    Tool,
)
from asb.services import Incident, SafeContactAnswers
from kernel.formatting import LONDON
from kernel.forms import IdempotentFormMixin, gds_helper, reject_control_characters

DETAILS_MAX = 5000
EVIDENCE_HELP = (
    "A photo (JPG or PNG), a PDF, or a sound or video recording (MP3, M4A, MP4, WAV, OGG or "
    "WebM), smaller than 10MB."
)
SHORT_MAX = 300
RADIO = forms.RadioSelect


def _clean_text(form: forms.Form, *names: str) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            try:
                reject_control_characters(value)
            except forms.ValidationError as exc:
                form.add_error(name, exc)


def _today() -> dt.date:
    return timezone.now().astimezone(LONDON).date()


class IncidentFields(forms.Form):
    kind = forms.ChoiceField(
        label="What are you reporting?",
        choices=AsbKind.choices,
        widget=RADIO,
        error_messages={"required": "Select what you are reporting"},
    )
    category = forms.ChoiceField(
        label="If it is anti-social behaviour, what kind?",
        choices=AsbCategory.choices,
        widget=RADIO,
        required=False,
    )
    hate_characteristic = forms.ChoiceField(
        label="If it is a hate crime, what do you think it was motivated by? (optional)",
        choices=HateCharacteristic.choices,
        widget=RADIO,
        required=False,
    )
    place = forms.ChoiceField(
        label="Where did it happen?",
        choices=IncidentPlace.choices,
        widget=RADIO,
        error_messages={"required": "Select where it happened"},
    )
    place_detail = forms.CharField(
        label="Anything more about where (optional)",
        max_length=SHORT_MAX,
        required=False,
        error_messages={"max_length": f"Where it happened must be {SHORT_MAX} characters or fewer"},
    )
    details = forms.CharField(
        label="What happened?",
        help_text="When it started, how often, and who was involved if you know.",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {DETAILS_MAX} characters or fewer",
        },
    )
    other_party_address = forms.CharField(
        label="If you know the address of the person responsible, enter it (optional)",
        help_text="We never show this to anyone outside our community safety team.",
        max_length=SHORT_MAX,
        required=False,
        error_messages={"max_length": f"The address must be {SHORT_MAX} characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "place_detail", "details", "other_party_address")
        kind = cleaned.get("kind")
        if kind == AsbKind.ASB and not cleaned.get("category"):
            self.add_error("category", "Select what kind of anti-social behaviour it is")
        if kind != AsbKind.HATE_CRIME:
            cleaned["hate_characteristic"] = ""
        if kind != AsbKind.ASB:
            cleaned["category"] = ""
        return cleaned

    def incident(self, **extra) -> Incident:
        data = self.cleaned_data
        return Incident(
            kind=data["kind"],
            category=data.get("category", ""),
            hate_characteristic=data.get("hate_characteristic", ""),
            place=data["place"],
            place_detail=data.get("place_detail", ""),
            details=data["details"],
            other_party_address=data.get("other_party_address", ""),
            **extra,
        )


class SafeContactFields(forms.Form):
    safe_ways = forms.MultipleChoiceField(
        label="Which of these ways of contacting you are safe?",
        help_text=(
            "Tick only what is safe: someone else may read your post, texts, emails or this "
            "account. We will never use a way you leave unticked."
        ),
        choices=[
            ("text", "Texts to the safe number below"),
            ("email", "Email"),
            ("letter", "Letters to my home"),
            ("portal", "Messages in this website"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    safe_phone = forms.CharField(
        label="A safe phone number to call (optional)",
        max_length=30,
        required=False,
        error_messages={"max_length": "The phone number must be 30 characters or fewer"},
    )
    may_leave_message = forms.ChoiceField(
        label="May we leave a message on that number?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=RADIO,
        initial="no",
        required=False,
    )
    safe_times = forms.CharField(
        label="When is it safe to contact you? (optional)",
        max_length=200,
        required=False,
        error_messages={"max_length": "Safe times must be 200 characters or fewer"},
    )
    code_word = forms.CharField(
        label="A code word we will say so you know it is us (optional)",
        max_length=50,
        required=False,
        error_messages={"max_length": "The code word must be 50 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "safe_phone", "safe_times", "code_word")
        phone = cleaned.get("safe_phone", "")
        if phone and not any(ch.isdigit() for ch in phone):
            self.add_error("safe_phone", "Enter a phone number, like 07700 900 982")
        if "text" in cleaned.get("safe_ways", []) and not phone:
            self.add_error("safe_phone", "Enter the safe number we may text")
        return cleaned

    def safe_contact(self) -> SafeContactAnswers:
        data = self.cleaned_data
        ways = set(data.get("safe_ways", []))
        return SafeContactAnswers(
            safe_phone=data.get("safe_phone", ""),
            may_leave_message=data.get("may_leave_message") == "yes",
            safe_times=data.get("safe_times", ""),
            code_word=data.get("code_word", ""),
            may_email="email" in ways,
            may_text="text" in ways,
            may_write="letter" in ways,
            may_use_portal="portal" in ways,
        )


def _incident_layout() -> list:
    return [
        Field.radios("kind", legend_size=Size.MEDIUM),
        Field.radios("category", legend_size=Size.SMALL),
        Field.radios("hate_characteristic", legend_size=Size.SMALL),
        Field.radios("place", legend_size=Size.MEDIUM),
        Field.text("place_detail"),
        Field.textarea("details"),
    ]


def _safe_contact_layout() -> list:
    return [
        Field.checkboxes("safe_ways", legend_size=Size.MEDIUM),
        Field.text("safe_phone", field_width=20),
        Field.radios("may_leave_message", legend_size=Size.SMALL, inline=True),
        Field.text("safe_times"),
        Field.text("code_word", field_width=20),
    ]


def _when_and_witnesses_layout() -> list:
    return [
        Field("started_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
        Field.textarea("witnesses"),
    ]


class WhenAndWitnessesFields(forms.Form):
    """When it started and who else saw or heard it: asked of every report, signed in or not."""

    started_on = DateInputField(
        label="When did it start? (optional)",
        help_text="For example, 27 3 2026",
        required=False,
        require_all_fields=False,
    )
    witnesses = forms.CharField(
        label="Did anyone else see or hear it? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Witnesses must be 2000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "witnesses")
        started_on = cleaned.get("started_on")
        if started_on and started_on > _today():
            self.add_error("started_on", "The date it started must be today or in the past")
        return cleaned

    def incident(self, **extra) -> Incident:
        data = self.cleaned_data
        return super().incident(  # type: ignore[misc]  # IncidentFields comes after it
            started_on=data.get("started_on"), witnesses=data.get("witnesses", ""), **extra
        )


class ReportForm(IdempotentFormMixin, WhenAndWitnessesFields, IncidentFields, SafeContactFields):
    """A report by a signed-in customer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            *_incident_layout(),
            *_when_and_witnesses_layout(),
            Field.text("other_party_address"),
            Field("evidence"),
            *_safe_contact_layout(),
            Field("idempotency_key"),
            Button("submit", "Send your report"),
        )

    evidence = forms.FileField(
        label="Add a photo, document or recording as evidence (optional)",
        help_text=EVIDENCE_HELP,
        required=False,
    )


class AnonymousReportForm(
    IdempotentFormMixin, WhenAndWitnessesFields, IncidentFields, SafeContactFields
):
    """A report by someone who is not signed in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            *_incident_layout(),
            *_when_and_witnesses_layout(),
            Field.text("other_party_address"),
            Field.radios("contact_way", legend_size=Size.MEDIUM),
            Field.text("contact_name"),
            Field.text("contact_email", field_width=30),
            *_safe_contact_layout(),
            Field("idempotency_key"),
            Button("submit", "Send your report"),
        )

    contact_way = forms.ChoiceField(
        label="How, if at all, may we contact you about this?",
        choices=ContactWay.choices,
        widget=RADIO,
        error_messages={"required": "Select how we may contact you, or that we may not"},
    )
    contact_name = forms.CharField(
        label="Your name (optional)",
        max_length=100,
        required=False,
        error_messages={"max_length": "Your name must be 100 characters or fewer"},
    )
    contact_email = forms.EmailField(
        label="A safe email address (if you chose email)",
        required=False,
        error_messages={"invalid": "Enter an email address, like name@example.com"},
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "contact_name")
        way = cleaned.get("contact_way")
        if way == ContactWay.PHONE and not cleaned.get("safe_phone"):
            self.add_error("safe_phone", "Enter the safe number we may call")
        if way == ContactWay.EMAIL and not cleaned.get("contact_email"):
            self.add_error("contact_email", "Enter the safe email address we may use")
        return cleaned

    def safe_contact(self) -> SafeContactAnswers:
        answers = super().safe_contact()
        # Someone without an account has no portal inbox, and gave their own email for this.
        way = self.cleaned_data.get("contact_way")
        return SafeContactAnswers(
            **{
                **answers.__dict__,
                "may_use_portal": False,
                "may_email": way == ContactWay.EMAIL,
            }
        )


class DiaryForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("happened_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("what_happened"),
            Field("evidence"),
            Button("submit", "Add to your diary"),
        )

    happened_on = DateInputField(
        label="When did it happen?",
        help_text="For example, 27 3 2026",
    )
    what_happened = forms.CharField(
        label="What happened?",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter what happened",
            "max_length": f"What happened must be {DETAILS_MAX} characters or fewer",
        },
    )
    evidence = forms.FileField(
        label="Add a photo, document or recording (optional)",
        help_text=EVIDENCE_HELP,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "what_happened")
        day = cleaned.get("happened_on")
        if day and day > _today():
            self.add_error("happened_on", "The date must be today or in the past")
        return cleaned


class CloseAnswerForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("agrees", legend_size=Size.MEDIUM),
            Field.textarea("reason"),
            Button("submit", "Send your answer"),
        )

    agrees = forms.ChoiceField(
        label="May we close your case?",
        choices=[("yes", "Yes, the problem has stopped"), ("no", "No, it is still happening")],
        widget=RADIO,
        error_messages={"required": "Select whether we may close your case"},
    )
    reason = forms.CharField(
        label="If not, tell us what is still happening (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your answer must be 2000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "reason")
        return cleaned


class SatisfactionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("answer", legend_size=Size.MEDIUM), Button("submit", "Send your answer")
        )

    answer = forms.ChoiceField(
        label="How satisfied or dissatisfied are you with our approach to handling anti-social "
        "behaviour?",
        choices=Satisfaction.choices,
        widget=RADIO,
        error_messages={"required": "Select how satisfied you are"},
    )


# ---------------------------------------------------------------------------------------------
# Staff forms (the admin's step pages)
# ---------------------------------------------------------------------------------------------

TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 60})


class AcknowledgeForm(forms.Form):
    contacted_by = forms.ChoiceField(
        label="How did you contact the reporter?",
        choices=[
            ("phone", "Phone, on the safe number"),
            ("sms", "Text"),
            ("email", "Email"),
            ("letter", "Letter"),
            ("portal", "Message in the portal"),
            ("visit", "In person"),
        ],
    )
    risk = forms.ChoiceField(label="Risk", choices=Risk.choices)
    note = forms.CharField(label="Note (internal)", widget=TEXTAREA, required=False)


class RiskForm(forms.Form):
    risk = forms.ChoiceField(label="Risk", choices=Risk.choices)
    refer_to_marac = forms.BooleanField(
        label="Refer to the local MARAC (high-risk domestic abuse only)", required=False
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="What will be done", max_length=500)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label="Who will do it", queryset=None)
    due_on = forms.DateField(label="By (YYYY-MM-DD)")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class ActionDoneForm(forms.Form):
    action: forms.ModelChoiceField = forms.ModelChoiceField(label="Action done", queryset=None)

    def __init__(self, *args, actions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = actions


class ReviewForm(forms.Form):
    review_on = forms.DateField(label="Next review (YYYY-MM-DD)")


class ToolForm(forms.Form):
    tool = forms.ChoiceField(label="Tool used", choices=Tool.choices)
    note = forms.CharField(label="Note (internal)", widget=TEXTAREA, required=False)


class OtherPartyForm(forms.Form):
    tenancy_reference = forms.CharField(
        label="Tenancy reference of the alleged perpetrator (empty to remove the link)",
        max_length=20,
        required=False,
    )


class OfficerDiaryForm(forms.Form):
    happened_on = forms.DateField(label="When (YYYY-MM-DD)")
    what_happened = forms.CharField(label="What happened", widget=TEXTAREA)


class NoFieldsForm(forms.Form):
    pass


class ConsentForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="The reporter's answer",
        choices=[("yes", "Agrees to closing"), ("no", "Does not agree")],
        coerce=lambda value: value == "yes",
    )
    note = forms.CharField(label="What they said (internal)", widget=TEXTAREA, required=False)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="Why the case is closing", choices=CloseReason.choices)
    note = forms.CharField(label="Note (internal)", widget=TEXTAREA, required=False)


class AnonymousAcknowledgeForm(forms.Form):
    note = forms.CharField(label="What you did (internal)", widget=TEXTAREA, required=False)
    closes = forms.BooleanField(label="Nothing more to do: close the report", required=False)


class StaffCustomerSearchForm(forms.Form):
    q = forms.CharField(label="Name, postcode, email or tenancy reference", max_length=100)


class StaffLogReportForm(IdempotentFormMixin, IncidentFields, SafeContactFields):
    """A report taken by phone, email, letter or in person, logged by an ASB officer."""

    received_by = forms.ChoiceField(
        label="How the report came in",
        choices=[
            ("phone", "Phone"),
            ("email", "Email"),
            ("letter", "Letter"),
            ("visit", "In person"),
        ],
    )
    received_at = forms.DateTimeField(
        label="When it was received (YYYY-MM-DD HH:MM, UK time)",
        help_text="The clock starts from when it was received, not when it is logged.",
    )
    witnesses = forms.CharField(label="Witnesses", widget=TEXTAREA, required=False)

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now():
            raise forms.ValidationError("The time received cannot be in the future")
        return value
