"""Forms: the customer's (GOV.UK Design System) and the staff's (Django admin).

Forms validate and return domain values; the view hands them to one service. They never write.
Response letter parts are all optional here on purpose: whether a letter may be sent is decided
in one place, ``ComplaintLetter.missing_parts``, so staff see one list of what is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from casework.models import ReceivedBy
from complaints.models import (
    ComplaintPoint,
    FeedbackKind,
    Outcome,
    QuickResolutionOutcome,
    RefusalReason,
    Satisfaction,
    ServiceArea,
)
from complaints.services import (
    PointDecision,
    PromisedAction,
    ResponseDraft,
)
from kernel.formatting import london_short_date
from kernel.forms import gds_helper, reject_control_characters
from kernel.roles import Role

DETAILS_MAX = 5000
SHORT_MAX = 2000
ACTION_ROWS = 5


def _clean_text(form: forms.Form, *names: str) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            try:
                reject_control_characters(value)
            except forms.ValidationError as exc:
                form.add_error(name, exc)


class IdempotentForm(forms.Form):
    """Carries a token minted when the form is shown, so pressing submit twice (or going back
    and submitting again) makes one record."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4())
        super().__init__(*args, **kwargs)

    def clean_idempotency_key(self):
        # A page kept from before this field existed, or a client that drops hidden fields,
        # still submits; it just loses the double-submit protection.
        return self.cleaned_data.get("idempotency_key") or uuid.uuid4()


# ---------------------------------------------------------------------------------------------
# Customer forms
# ---------------------------------------------------------------------------------------------


class ComplaintForm(IdempotentForm):
    service_area = forms.ChoiceField(
        label="What is your complaint about?",
        choices=ServiceArea.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your complaint is about"},
    )
    about = forms.ChoiceField(
        label="Is it about one of your requests or reports?",
        required=False,
        widget=forms.RadioSelect,
        help_text="If you choose one, we will look at its history with your complaint.",
    )
    subject = forms.CharField(
        label="Give your complaint a short title",
        max_length=200,
        error_messages={
            "required": "Enter a short title for your complaint",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    details = forms.CharField(
        label="What went wrong?",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Tell us what happened, when, and how it has affected you.",
        error_messages={
            "required": "Enter what went wrong",
            "max_length": f"What went wrong must be {DETAILS_MAX} characters or fewer",
        },
    )
    outcome_wanted = forms.CharField(
        label="What would you like us to do to put it right? (optional)",
        required=False,
        max_length=SHORT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"This must be {SHORT_MAX} characters or fewer"},
    )
    issue_date = DateInputField(
        label="When did this happen? (optional)",
        required=False,
        require_all_fields=False,
        help_text="Or when you found out about it. For example, 27 3 2026.",
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", "No, none of these")] + [
            (c.reference, f"{c.reference}: {c.title} ({c.status})") for c in cases
        ]
        layout = [Field.radios("service_area", legend_size=Size.MEDIUM)]
        if cases:
            layout.append(Field.radios("about", legend_size=Size.MEDIUM))
        else:
            del self.fields["about"]
        layout += [
            Field.text("subject"),
            Field.textarea("details"),
            Field.textarea("outcome_wanted"),
            Field("issue_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field("idempotency_key"),
            Button("submit", "Send your complaint"),
        ]
        self.helper = gds_helper(*layout)

    def clean_issue_date(self):
        value = self.cleaned_data.get("issue_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "subject", "details", "outcome_wanted")
        return cleaned


class EscalateForm(forms.Form):
    note = forms.CharField(
        label="Is there anything you want to add? (optional)",
        required=False,
        max_length=SHORT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="You do not need to give a reason.",
        error_messages={"max_length": f"This must be {SHORT_MAX} characters or fewer"},
    )

    def __init__(self, *args, button="Ask for a Final Review", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("note"), Button("submit", button))

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "note")
        return cleaned


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="How satisfied are you with how we handled your complaint?",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are"},
    )
    comment = forms.CharField(
        label="Tell us why (optional)",
        required=False,
        max_length=SHORT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"This must be {SHORT_MAX} characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("satisfaction", legend_size=Size.MEDIUM),
            Field.textarea("comment"),
            Button("submit", "Send your rating"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "comment")
        return cleaned


class FeedbackForm(IdempotentForm):
    kind = forms.ChoiceField(
        label="What would you like to send?",
        choices=FeedbackKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a compliment or a comment"},
    )
    service_area = forms.ChoiceField(
        label="What is it about?",
        choices=[("", "Choose one")] + ServiceArea.choices,
        error_messages={"required": "Select what it is about"},
    )
    details = forms.CharField(
        label="Your compliment or comment",
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your compliment or comment",
            "max_length": f"This must be {DETAILS_MAX} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.select("service_area"),
            Field.textarea("details"),
            Field("idempotency_key"),
            Button("submit", "Send"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "details")
        return cleaned


# ---------------------------------------------------------------------------------------------
# Staff forms (admin)
# ---------------------------------------------------------------------------------------------

STAFF_CHANNELS = [c for c in ReceivedBy.choices if c[0] != ReceivedBy.PORTAL]
TEXTAREA = forms.Textarea(attrs={"rows": 4, "cols": 80})


def _issues(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class LogComplaintForm(forms.Form):
    received_by = forms.ChoiceField(
        label="How did the customer contact us?", choices=STAFF_CHANNELS
    )
    received_on = forms.DateField(
        label="Date received", widget=forms.DateInput(attrs={"type": "date"})
    )
    received_time = forms.TimeField(
        label="Time received (24-hour, UK time)", widget=forms.TimeInput(attrs={"type": "time"})
    )
    service_area = forms.ChoiceField(choices=ServiceArea.choices)
    subject = forms.CharField(max_length=200)
    details = forms.CharField(max_length=DETAILS_MAX, widget=TEXTAREA)
    outcome_wanted = forms.CharField(max_length=SHORT_MAX, required=False, widget=TEXTAREA)
    issue_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    about = forms.ChoiceField(label="About one of the household's cases", required=False)
    quick_resolution = forms.BooleanField(
        required=False,
        label="Run as a Quick Resolution",
        help_text="Only if you judge it can be put right within 2 working days.",
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", "None")] + [
            (c.reference, f"{c.reference}: {c.title}") for c in cases
        ]

    def received_at(self) -> dt.datetime:
        local = dt.datetime.combine(
            self.cleaned_data["received_on"],
            self.cleaned_data["received_time"],
            tzinfo=timezone.get_default_timezone(),
        )
        return local

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("received_on")
            and cleaned.get("received_time")
            and self.received_at() > timezone.now()
        ):
            self.add_error("received_on", "The complaint cannot have been received in the future.")
        return cleaned


class DefinitionForm(forms.Form):
    issues = forms.CharField(
        label="Points of the complaint, one per line",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        max_length=DETAILS_MAX,
    )
    outcomes_sought = forms.CharField(
        label="Outcomes the customer wants", widget=TEXTAREA, max_length=SHORT_MAX, required=False
    )

    def issue_list(self) -> list[str]:
        return _issues(self.cleaned_data["issues"])


class AcknowledgeForm(DefinitionForm):
    handler: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        help_text="Who will handle this stage. Leave empty to take it yourself.",
    )

    def __init__(self, *args, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = (
            User.objects.filter(
                is_active=True,
                is_staff=True,
                groups__name__in=[Role.COMPLAINTS.label, Role.MANAGER.label],
            )
            .distinct()
            .order_by("first_name", "last_name")
        )


class ResponseForm(forms.Form):
    """One decision and reasons per point, then the rest of the letter. Every field may be
    empty: the letter's checklist says what is missing when staff try to send."""

    outcome = forms.ChoiceField(
        label="Overall decision", required=False, choices=[("", "---------")] + Outcome.choices
    )
    remedy = forms.CharField(
        label="Remedy (or why there is none)", required=False, widget=TEXTAREA, max_length=SHORT_MAX
    )
    compensation_amount = forms.DecimalField(
        label="Compensation (£)", required=False, min_value=0, max_digits=9, decimal_places=2
    )
    no_outstanding_actions = forms.BooleanField(
        label="Nothing is left for us to do", required=False
    )
    escalation_text = forms.CharField(
        label="How to escalate to stage 2",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )
    ombudsman_text = forms.CharField(
        label="How to go to the Housing Ombudsman",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
    )

    def __init__(self, *args, points: list[ComplaintPoint], stage: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = points
        for point in points:
            self.fields[f"decision_{point.pk}"] = forms.ChoiceField(
                label=f"Decision on point {point.position}",
                required=False,
                choices=[("", "---------")] + Outcome.choices,
            )
            self.fields[f"reasons_{point.pk}"] = forms.CharField(
                label=f"Reasons on point {point.position}",
                required=False,
                widget=TEXTAREA,
                max_length=DETAILS_MAX,
            )
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=f"Outstanding action {n}", required=False, max_length=SHORT_MAX
            )
            self.fields[f"action_{n}_due"] = forms.DateField(
                label=f"Action {n} to be done by",
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if stage == 2:
            del self.fields["escalation_text"]
        else:
            del self.fields["ombudsman_text"]

    def point_rows(self):
        return [(p, self[f"decision_{p.pk}"], self[f"reasons_{p.pk}"]) for p in self.points]

    def action_rows(self):
        return [(self[f"action_{n}"], self[f"action_{n}_due"]) for n in range(1, ACTION_ROWS + 1)]

    def draft(self) -> ResponseDraft:
        data = self.cleaned_data
        return ResponseDraft(
            outcome=data.get("outcome", ""),
            decisions=[
                PointDecision(
                    point_id=p.pk,
                    decision=data.get(f"decision_{p.pk}", ""),
                    reasons=data.get(f"reasons_{p.pk}", ""),
                )
                for p in self.points
            ],
            remedy=data.get("remedy", ""),
            compensation_amount=data.get("compensation_amount"),
            actions=[
                PromisedAction(
                    description=data.get(f"action_{n}", ""), due_date=data.get(f"action_{n}_due")
                )
                for n in range(1, ACTION_ROWS + 1)
            ],
            no_outstanding_actions=data.get("no_outstanding_actions", False),
            escalation_text=data.get("escalation_text", ""),
            ombudsman_text=data.get("ombudsman_text", ""),
        )

    @staticmethod
    def initial_from(letter, points) -> dict:
        """The form's starting values from a saved draft."""
        if letter is None:
            return {}
        initial = {
            "outcome": letter.outcome,
            "remedy": letter.remedy,
            "compensation_amount": letter.compensation_amount,
            "no_outstanding_actions": letter.no_outstanding_actions,
            "escalation_text": letter.escalation_text,
            "ombudsman_text": letter.ombudsman_text,
        }
        for decision in letter.decisions.all():
            initial[f"decision_{decision.point_id}"] = decision.decision
            initial[f"reasons_{decision.point_id}"] = decision.reasons
        for n, action in enumerate(letter.actions.all(), start=1):
            initial[f"action_{n}"] = action.description
            initial[f"action_{n}_due"] = action.due_date
        return initial


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(
        label="New response date", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label="Reason (the customer reads this)", widget=TEXTAREA, max_length=SHORT_MAX
    )
    good_reason = forms.CharField(
        label="Good reason for going beyond the Code's limit (managers only)",
        required=False,
        widget=TEXTAREA,
        max_length=SHORT_MAX,
    )


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(choices=RefusalReason.choices)
    explanation = forms.CharField(
        label="Explanation (the customer reads this)", widget=TEXTAREA, max_length=SHORT_MAX
    )


class CloseForm(forms.Form):
    note = forms.CharField(required=False, widget=TEXTAREA, max_length=SHORT_MAX)


class StaffEscalateForm(forms.Form):
    received_by = forms.ChoiceField(label="How did the customer ask?", choices=STAFF_CHANNELS)
    note = forms.CharField(
        label="What the customer said (optional)",
        required=False,
        widget=TEXTAREA,
        max_length=SHORT_MAX,
    )


class ContinueFormalForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[
            c for c in QuickResolutionOutcome.choices if c[0] != QuickResolutionOutcome.RESOLVED
        ]
    )
    note = forms.CharField(required=False, widget=TEXTAREA, max_length=SHORT_MAX)


class LearningForm(forms.Form):
    lesson = forms.CharField(label="What we learned", widget=TEXTAREA, max_length=SHORT_MAX)
    improvement = forms.CharField(
        label="What we will change", widget=TEXTAREA, max_length=SHORT_MAX
    )


class ActionUpdateForm(forms.Form):
    action = forms.ChoiceField()
    note = forms.CharField(
        label="Update (the customer reads this)", widget=TEXTAREA, max_length=SHORT_MAX
    )
    completed = forms.BooleanField(label="This action is now done", required=False)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (a.pk, f"{a.description} (by {london_short_date(a.due_date)})") for a in actions
        ]


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(
                is_active=True,
                is_staff=True,
                groups__name__in=[Role.COMPLAINTS.label, Role.MANAGER.label],
            )
            .distinct()
            .order_by("first_name", "last_name")
        )


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label="Tenancy reference, surname, email or postcode", max_length=100)
