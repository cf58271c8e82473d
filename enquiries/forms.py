"""Forms validate and hand back domain values; the services do the writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Size
from django import forms
from django.utils import timezone

from casework.models import Team
from enquiries.models import (
    CallBackOutcome,
    ChatMessage,
    ComplaintChoice,
    EnquiryTopic,
    PreferredTime,
)
from kernel.forms import IdempotentFormMixin, gds_helper, reject_control_characters
from repairs.handover import repair_item_choices, repair_location_choices

SUBJECT_MAX = 200
DETAILS_MAX = 5000
NOTE_MAX = 5000


def _clean_text(form: forms.Form, *names: str) -> None:
    for name in names:
        value = form.cleaned_data.get(name)
        if value:
            try:
                reject_control_characters(value)
            except forms.ValidationError as exc:
                form.add_error(name, exc)


# ---------------------------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------------------------


class EnquiryForm(IdempotentFormMixin):
    topic = forms.ChoiceField(
        label="What is your enquiry about?",
        choices=EnquiryTopic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what your enquiry is about"},
    )
    subject = forms.CharField(
        label="Summary",
        max_length=SUBJECT_MAX,
        help_text="A few words, for example: parking permit for a visitor",
        error_messages={
            "required": "Enter a summary of your enquiry",
            "max_length": f"Summary must be {SUBJECT_MAX} characters or fewer",
        },
    )
    details = forms.CharField(
        label="Your enquiry",
        max_length=DETAILS_MAX,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your enquiry",
            "max_length": f"Your enquiry must be {DETAILS_MAX} characters or fewer",
        },
    )
    file = forms.FileField(
        label="Add a photo or document (optional)",
        required=False,
        help_text="A JPG, PNG or PDF file smaller than 10MB",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("topic", legend_size=Size.MEDIUM),
            Field.text("subject", field_width=Fluid.TWO_THIRDS),
            Field.textarea("details", rows=8),
            Field("file"),
            Button("submit", "Send your enquiry"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "subject", "details")
        return cleaned


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Add a photo or document",
        help_text="A JPG, PNG or PDF file smaller than 10MB",
        error_messages={"required": "Select a file to add"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), Button("submit", "Add the file"))


class CallBackRequestForm(IdempotentFormMixin):
    phone = forms.CharField(
        label="Phone number to call",
        max_length=30,
        error_messages={"required": "Enter the phone number we should call"},
    )
    reason = forms.CharField(
        label="What would you like to talk about?",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={
            "required": "Tell us what you would like to talk about",
            "max_length": "This must be 2000 characters or fewer",
        },
    )
    preferred_date = DateInputField(
        label="Day that suits you (optional)",
        required=False,
        require_all_fields=False,
        help_text="We call Monday to Friday, except bank holidays. Leave it empty and we will "
        "call as soon as we can. For example, 27 3 2026",
    )
    preferred_time = forms.ChoiceField(
        label="Time that suits you",
        choices=PreferredTime.choices,
        widget=forms.RadioSelect,
        initial=PreferredTime.ANY,
        error_messages={"required": "Select a time that suits you"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("phone", field_width=Fluid.ONE_THIRD),
            Field.textarea("reason", rows=4),
            Field("preferred_date", context={"legend_size": "govuk-fieldset__legend--s"}),
            Field.radios("preferred_time", legend_size=Size.SMALL, small=True),
            Button("submit", "Ask for a call back"),
        )

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        digits = [ch for ch in phone if ch.isdigit()]
        if len(digits) < 10 or any(not (ch.isdigit() or ch in " +()-") for ch in phone):
            raise forms.ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
        return phone

    def clean_preferred_date(self) -> dt.date | None:
        day = self.cleaned_data.get("preferred_date")
        if day and day < timezone.localdate():
            raise forms.ValidationError("The day must be today or in the future")
        if day and day > timezone.localdate() + dt.timedelta(days=60):
            raise forms.ValidationError("The day must be within the next 2 months")
        return day

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "reason")
        return cleaned


class ChatStartForm(IdempotentFormMixin):
    message = forms.CharField(
        label="What would you like to ask?",
        max_length=ChatMessage.MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your message must be {ChatMessage.MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("message", rows=4, label_size=Size.SMALL),
            Button("submit", "Start the chat"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "message")
        return cleaned


class ChatMessageForm(forms.Form):
    body = forms.CharField(
        label="Your message",
        max_length=ChatMessage.MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "Enter a message",
            "max_length": f"Your message must be {ChatMessage.MAX_LENGTH} characters or fewer",
        },
    )
    client_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_token", uuid.uuid4())
        self.helper = gds_helper(
            Field.textarea("body", rows=3),
            Button("submit", "Send"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "body")
        return cleaned


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


class StaffChannel:
    """How a contact logged by staff reached us. A home visit is a visit made at the home."""

    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    OFFICE = "visit"
    HOME_VISIT = "home_visit"
    CHOICES = [
        (PHONE, "Phone call"),
        (EMAIL, "Email"),
        (LETTER, "Letter"),
        (OFFICE, "Visit to the office"),
        (HOME_VISIT, "Home visit"),
    ]


class CustomerSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, postcode or tenancy reference",
        max_length=100,
        error_messages={"required": "Enter a name, postcode or tenancy reference"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("q", field_width=Fluid.TWO_THIRDS), Button("search", "Search")
        )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"].strip()
        if len(value) < 2:
            raise forms.ValidationError("Enter at least 2 characters")
        return value


class LogContactForm(IdempotentFormMixin):
    channel = forms.ChoiceField(
        label="How did the customer contact us?",
        choices=StaffChannel.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the customer contacted us"},
    )
    received_at = forms.DateTimeField(
        label="Received",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="When the letter or email arrived, or the call or visit started",
        error_messages={
            "required": "Enter when the contact was received",
            "invalid": "Enter a real date and time",
        },
    )
    topic = forms.ChoiceField(
        label="Topic", choices=EnquiryTopic.choices, error_messages={"required": "Select a topic"}
    )
    subject = forms.CharField(
        label="Summary", max_length=SUBJECT_MAX, error_messages={"required": "Enter a summary"}
    )
    details = forms.CharField(
        label="What the customer asked",
        max_length=DETAILS_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Enter what the customer asked"},
    )
    resolved_now = forms.BooleanField(label="Resolved now, at first contact", required=False)
    answer = forms.CharField(
        label="Answer given",
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea,
        help_text="Required when resolved now. The customer can read it.",
    )
    team = forms.ModelChoiceField(
        label="Team to deal with it",
        queryset=Team.objects.all(),
        required=False,
        empty_label="Customer services",
        help_text="Refer it now if a specialist team must answer",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            local_now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
            self.initial.setdefault("received_at", local_now.isoformat(timespec="minutes"))
        self.helper = gds_helper(
            Field.radios("channel", legend_size=Size.SMALL, small=True),
            Field.text("received_at", field_width=Fluid.ONE_THIRD),
            Field.select("topic"),
            Field.text("subject", field_width=Fluid.TWO_THIRDS),
            Field.textarea("details", rows=5),
            Field.checkbox("resolved_now"),
            Field.textarea("answer", rows=4),
            Field.select("team"),
            Button("submit", "Log the contact"),
        )

    def clean_received_at(self) -> dt.datetime:
        received = self.cleaned_data["received_at"]
        if received > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError("The time received cannot be in the future")
        return received

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "subject", "details", "answer")
        if cleaned.get("resolved_now") and not (cleaned.get("answer") or "").strip():
            self.add_error("answer", "Enter the answer given to the customer")
        if cleaned.get("resolved_now") and cleaned.get("team"):
            self.add_error("team", "A contact resolved now does not need referring")
        return cleaned


class StaffCallBackForm(CallBackRequestForm):
    """A call back logged by staff at busy times: the same questions, asked on the phone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = "What the customer wants to talk about"
        self.fields["phone"].label = "Number to call"


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Message to the customer (optional)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("note", rows=3), Button("acknowledge", "Acknowledge")
        )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Full answer to the customer",
        max_length=DETAILS_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Enter the answer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("answer", rows=6), Button("answer", "Send the answer")
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "answer")
        return cleaned


class ReferForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Refer to", queryset=Team.objects.all(), error_messages={"required": "Select a team"}
    )
    note = forms.CharField(
        label="Why (internal)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("team"), Field.textarea("note", rows=2), Button("refer", "Refer")
        )


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(
        label="New date for the full answer",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the new date", "invalid": "Enter a real date"},
    )
    reason = forms.CharField(
        label="Reason (the customer is told)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason for the new date"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("new_due_date", field_width=Fixed.TEN),
            Field.textarea("reason", rows=2),
            Button("extend", "Set the new date"),
        )

    def clean_new_due_date(self) -> dt.date:
        day = self.cleaned_data["new_due_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError("The new date must be in the future")
        return day


class ContactBackForm(forms.Form):
    note = forms.CharField(
        label="What was said",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was said"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("note", rows=3), Button("contact_back", "Record the contact")
        )


class ComplaintOfferForm(forms.Form):
    choice = forms.ChoiceField(
        label="The customer was offered the choice to complain. What did they say?",
        choices=[
            (ComplaintChoice.ACCEPTED, "They want to make a complaint"),
            (ComplaintChoice.DECLINED, "They do not want to complain"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the customer said"},
    )
    summary = forms.CharField(
        label="What the customer is unhappy about",
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a complaint. Leave empty to use the enquiry's text.",
    )
    keep_enquiry_open = forms.BooleanField(
        label="Carry on with the enquiry as well (the complaint is about how it is handled)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("choice", legend_size=Size.SMALL, small=True),
            Field.textarea("summary", rows=3),
            Field.checkbox("keep_enquiry_open"),
            Button("offer", "Record"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "summary")
        return cleaned


class CallBackOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CallBackOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("outcome", small=True),
            Field.textarea("note", rows=3),
            Button("record", "Record the outcome"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "note")
        if cleaned.get("outcome") == CallBackOutcome.FOLLOW_UP and not cleaned.get("note"):
            self.add_error("note", "Say what needs following up")
        return cleaned


class ChatConvertForm(forms.Form):
    INTO_ENQUIRY = "enquiry"
    INTO_REPAIR = "repair"
    INTO_COMPLAINT = "complaint"
    into = forms.ChoiceField(
        label="Turn this chat into",
        choices=[
            (INTO_ENQUIRY, "An enquiry"),
            (INTO_REPAIR, "A repair"),
            (INTO_COMPLAINT, "A stage 1 complaint"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to turn it into"},
    )
    summary = forms.CharField(
        label="Summary", max_length=SUBJECT_MAX, error_messages={"required": "Enter a summary"}
    )
    repair_item = forms.ChoiceField(label="Repair: the problem", required=False, choices=[])
    repair_location = forms.ChoiceField(
        label="Repair: where", required=False, choices=[], widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repair_item"].choices = repair_item_choices()
        self.fields["repair_location"].choices = repair_location_choices()
        self.helper = gds_helper(
            Field.radios("into", small=True),
            Field.text("summary", field_width=Fluid.TWO_THIRDS),
            Field.select("repair_item"),
            Field.radios("repair_location", small=True),
            Button("convert", "Create it from the chat"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "summary")
        if cleaned.get("into") == self.INTO_REPAIR:
            if not cleaned.get("repair_item"):
                self.add_error("repair_item", "Choose the problem to repair")
            if not cleaned.get("repair_location"):
                self.add_error("repair_location", "Select where the problem is")
        return cleaned


class VisitBookForm(IdempotentFormMixin):
    purpose = forms.CharField(
        label="Purpose of the visit",
        max_length=200,
        error_messages={"required": "Enter the purpose of the visit"},
    )
    starts_at = forms.DateTimeField(
        label="Arrive from",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": "Enter when the visit starts",
            "invalid": "Enter a real date and time",
        },
    )
    ends_at = forms.DateTimeField(
        label="Arrive by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": "Enter the end of the arrival window",
            "invalid": "Enter a real date and time",
        },
    )

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"] = forms.ModelChoiceField(
            label="Officer", queryset=officers, error_messages={"required": "Select the officer"}
        )
        self.helper = gds_helper(
            Field.text("purpose", field_width=Fluid.TWO_THIRDS),
            Field.select("officer"),
            Field.text("starts_at", field_width=Fluid.ONE_THIRD),
            Field.text("ends_at", field_width=Fluid.ONE_THIRD),
            Button("book", "Book the visit"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "purpose")
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and starts < timezone.now():
            self.add_error("starts_at", "The visit must be in the future")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The end of the window must be after the start")
        return cleaned


class VisitLateForm(forms.Form):
    expected_at = forms.DateTimeField(
        label="New expected arrival time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={
            "required": "Enter the new arrival time",
            "invalid": "Enter a real date and time",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("expected_at", field_width=Fluid.ONE_THIRD),
            Button("late", "Tell the customer I am running late"),
        )


class VisitCompleteForm(forms.Form):
    identification_shown = forms.ChoiceField(
        label="Did you show the customer your identification?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you showed your identification"},
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("identification_shown", small=True, inline=True),
            Field.textarea("notes", rows=3),
            Button("complete", "Record the visit"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "notes")
        if cleaned.get("identification_shown") == "no" and not cleaned.get("notes"):
            self.add_error("notes", "Say why the identification was not shown")
        return cleaned


class VisitNoAccessForm(forms.Form):
    notes = forms.CharField(
        label="Notes (internal)",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("notes", rows=2), Button("no_access", "No one in: I left a card")
        )


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why is the visit cancelled? (the customer is told)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("reason", rows=2),
            Button("cancel", "Cancel the visit", css_class="govuk-button--warning"),
        )

    def clean(self):
        cleaned = super().clean()
        _clean_text(self, "reason")
        return cleaned


# ---------------------------------------------------------------------------------------------
# Telephony figures
# ---------------------------------------------------------------------------------------------

CALL_CSV_COLUMNS = ("date", "offered", "answered", "abandoned", "callbacks_offered")
MAX_CSV_BYTES = 1024 * 1024


@dataclass(frozen=True)
class CallDay:
    day: dt.date
    offered: int
    answered: int
    abandoned: int
    callbacks_offered: int


def parse_call_statistics(text: str) -> tuple[list[CallDay], list[str]]:
    """Every row of the phone system's daily CSV, or the errors by line. The caller imports
    nothing unless the error list is empty: a file is taken whole or not at all."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CALL_CSV_COLUMNS if c not in header]
    if missing:
        return [], [
            f"Line 1: the file needs the columns {', '.join(CALL_CSV_COLUMNS)} "
            f"(missing: {', '.join(missing)})"
        ]
    reader.fieldnames = header
    rows: list[CallDay] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for line, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        problems: list[str] = []
        try:
            day = dt.date.fromisoformat(row["date"])
        except ValueError:
            problems.append(f"date '{row['date']}' is not a date like 2026-03-27")
            day = None
        numbers: dict[str, int] = {}
        for column in CALL_CSV_COLUMNS[1:]:
            value = row[column]
            if not value.isdigit():
                problems.append(f"{column} '{value}' is not a whole number")
            else:
                numbers[column] = int(value)
        if len(numbers) == 4 and numbers["answered"] + numbers["abandoned"] > numbers["offered"]:
            problems.append("answered plus abandoned is more than offered")
        if day is not None and day > timezone.localdate():
            problems.append("the date is in the future")
        if day is not None and day in seen:
            problems.append(f"the date is also on line {seen[day]}")
        if problems or day is None:
            errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        seen[day] = line
        rows.append(CallDay(day=day, **numbers))
    if not rows and not errors:
        errors.append("The file has no rows of figures")
    return rows, errors


class CallStatisticsImportForm(forms.Form):
    file = forms.FileField(
        label="Daily call figures (CSV)",
        help_text="Columns: date, offered, answered, abandoned, callbacks_offered. One row a day. "
        "A day already imported is replaced.",
        error_messages={"required": "Select a CSV file"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), Button("import", "Import the figures"))
        self.rows: list[CallDay] = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("The file must be smaller than 1MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file must be a CSV file saved as UTF-8") from exc
        rows, errors = parse_call_statistics(text)
        if errors:
            raise forms.ValidationError(errors)
        self.rows = rows
        return upload


class DashboardPeriodForm(forms.Form):
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    # The measures start with the portal; a date beyond these (the calendar's first or last
    # day, say) would only overflow the arithmetic on it.
    EARLIEST = dt.date(2000, 1, 1)
    LATEST_YEARS_AHEAD = 1

    def _within_range(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        latest = timezone.localdate().replace(month=12, day=31)
        latest = latest.replace(year=latest.year + self.LATEST_YEARS_AHEAD)
        if day is not None and not self.EARLIEST <= day <= latest:
            raise forms.ValidationError(
                f"Enter a date between {self.EARLIEST:%-d %B %Y} and {latest:%-d %B %Y}"
            )
        return day

    def clean_start(self) -> dt.date | None:
        return self._within_range("start")

    def clean_end(self) -> dt.date | None:
        return self._within_range("end")

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=29)
        if start > end:
            start, end = end, start
        return start, end
