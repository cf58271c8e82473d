"""Forms of the staff step pages in the admin. Each validates and returns plain values; the
admin view calls one service with them."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from casework.models import ReceivedBy
from kernel.forms import IdempotentFormMixin
from repairs import catalogue
from repairs.catalogue import EmergencyKind, Location, Priority
from repairs.models import (
    Contractor,
    DampRoom,
    HazardCategory,
    HazardExtent,
    Operative,
    SlotWindow,
    Vulnerability,
)
from tenancy.models import Block

NOTE_MAX = 2000


def _note(label: str = "Note", required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )


def _item_choices() -> list:
    groups = []
    for area in catalogue.AREAS:
        items = [
            (i.code, f"{i.label} ({i.responsibility_label.lower()})")
            for i in catalogue.items_in(area.code)
            if i.becomes_a_job
        ]
        groups.append((area.label, items))
    return [("", "Choose the problem"), *groups]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label="Tenancy reference, surname, email or postcode", max_length=100)


class RaiseRepairForm(IdempotentFormMixin, forms.Form):
    """A repair reported by phone, email, letter or in person: the same questions as the
    portal, on one page."""

    received_by = forms.ChoiceField(
        choices=[c for c in ReceivedBy.choices if c[0] != ReceivedBy.PORTAL],
        initial=ReceivedBy.PHONE,
    )
    emergency = forms.ChoiceField(
        label="Emergency",
        required=False,
        choices=[
            ("", "Not an emergency"),
            *[(k.value, k.label) for k in EmergencyKind if k != EmergencyKind.GAS],
        ],
        help_text="A smell of gas: give the National Gas Emergency Service number, 0800 111 999.",
    )
    location = forms.ChoiceField(choices=Location.choices, initial=Location.HOME)
    item = forms.ChoiceField(label="Problem", choices=_item_choices)
    description = forms.CharField(
        max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4, "cols": 60})
    )
    priority = forms.ChoiceField(
        required=False,
        choices=[("", "As the catalogue and the answers say"), *Priority.choices],
        help_text="Override only with a reason in the description.",
    )
    damp_rooms = forms.MultipleChoiceField(
        label="Damp or mould: where",
        required=False,
        choices=DampRoom.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    damp_extent = forms.ChoiceField(
        label="Damp or mould: how much", required=False, choices=[("", "-"), *HazardExtent.choices]
    )
    damp_people = forms.MultipleChoiceField(
        label="Damp or mould: people at higher risk",
        required=False,
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("item")
        emergency, location = cleaned.get("emergency"), cleaned.get("location")
        if emergency and location:
            mapped = catalogue.emergency_item(emergency, location)
            if mapped is None:
                self.add_error("emergency", "That emergency cannot be in a shared area.")
            else:
                cleaned["item"] = mapped.code
                code = mapped.code
        entry = catalogue.find_item(code) if code else None
        if entry is not None and entry.hazard_type == catalogue.HazardType.DAMP_MOULD:
            if not cleaned.get("damp_rooms"):
                self.add_error("damp_rooms", "Ask where the damp or mould is.")
            if not cleaned.get("damp_extent"):
                self.add_error("damp_extent", "Ask how much damp or mould there is.")
        return cleaned


class AssignForm(forms.Form):
    operative = forms.ModelChoiceField(queryset=Operative.objects.none(), required=False)
    contractor = forms.ModelChoiceField(
        queryset=Contractor.objects.all(),
        required=False,
        help_text="Or send it to a contractor's firm.",
    )

    def __init__(self, *args, trade: str, **kwargs):
        super().__init__(*args, **kwargs)
        operative = self.fields["operative"]
        assert isinstance(operative, forms.ModelChoiceField)
        operative.queryset = Operative.objects.filter(trade=trade, is_active=True).select_related(
            "contractor"
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("operative") and not cleaned.get("contractor"):
            raise forms.ValidationError("Choose an operative or a contractor.")
        return cleaned


class BookForm(forms.Form):
    slot = forms.ChoiceField(label="Appointment")
    after_due_reason = _note(
        "Reason for booking after the due date (only for an appointment marked so; kept on "
        "the case and flagged on the queue)"
    )

    def __init__(self, *args, slots, due_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        slot = self.fields["slot"]
        assert isinstance(slot, forms.ChoiceField)
        slot.choices = [
            (
                s.pk,
                f"{s} ({s.places_left} left)"
                + (" - AFTER THE DUE DATE" if due_day is not None and s.date > due_day else ""),
            )
            for s in slots
        ]


class ReasonForm(forms.Form):
    reason = _note("Reason (the customer is told it)", required=True)


class NoteForm(forms.Form):
    note = _note()


class AttendedForm(forms.Form):
    made_safe = forms.BooleanField(label="Made safe", required=False)
    note = _note()


class CompletedForm(forms.Form):
    first_time_fix = forms.BooleanField(
        label="Fixed at the first visit", required=False, initial=True
    )
    note = _note()
    follow_on = _note("Follow-on work needed (raised as a new repair)")
    follow_on_priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.ROUTINE)


class BuilderResponseForm(forms.Form):
    response = _note("The builder's response", required=True)
    builder_will_repair = forms.BooleanField(
        label="The builder will do the repair",
        required=False,
        help_text="Untick if the builder refuses: the repair comes back to us to book.",
    )


class InvestigationForm(forms.Form):
    finding = forms.ChoiceField(choices=HazardCategory.choices)
    findings = _note("What the investigation found", required=True)
    further_works_needed = forms.BooleanField(required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Written summary for the tenant",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 80}),
        help_text="What we found, what we will do and by when. It is sent to the tenant as it "
        "is written here.",
    )


class FurtherWorksForm(forms.Form):
    physically_started = forms.BooleanField(
        label="Work has physically started",
        required=False,
        help_text="Leave unticked if steps have been taken to begin (materials ordered, "
        "contractor instructed) but work has not started on site.",
    )
    note = _note()


class DateWindowForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    window = forms.ChoiceField(choices=SlotWindow.choices)


class ConfirmedWorksForm(forms.Form):
    confirmed_works = _note("The works the survey confirmed (the customer is told)", required=True)


class ObservationsForm(forms.Form):
    observations = _note("Leaseholder's observations, and our answer")


class EmptyForm(forms.Form):
    pass


class ProgrammeHomesForm(forms.Form):
    block = forms.ModelChoiceField(
        queryset=Block.objects.all(), required=False, help_text="Every home in this block."
    )
    patch = forms.CharField(required=False, max_length=50, help_text="Or every home in this patch.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("block") and not cleaned.get("patch", "").strip():
            raise forms.ValidationError("Choose a block or a patch.")
        return cleaned

    def homes_q(self) -> Q:
        if self.cleaned_data.get("block"):
            return Q(block=self.cleaned_data["block"])
        return Q(patch=self.cleaned_data["patch"].strip())
