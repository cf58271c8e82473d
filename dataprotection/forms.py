"""Forms validate and hand back domain values; the services do the writing."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field
from django import forms

from casework.models import ReceivedBy
from dataprotection.models import RedactionKind, RequestKind
from kernel.forms import (
    IdempotentFormMixin,
    gds_helper,
    length_messages,
    reject_control_characters,
)

DETAILS_MAX = 5000
NOTE_MAX = 2000


def _no_control_characters(value: str) -> None:
    reject_control_characters(value)


def _text(label: str, name: str, *, required_message: str, max_length: int = NOTE_MAX, **kw):
    return forms.CharField(
        label=label,
        max_length=max_length,
        widget=forms.Textarea,
        validators=[_no_control_characters],
        error_messages={"required": required_message, **length_messages(name, max_length)},
        **kw,
    )


# --- customers -------------------------------------------------------------------------------


class DataRequestForm(IdempotentFormMixin):
    kind = forms.ChoiceField(
        label="What would you like us to do?",
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you would like us to do"},
    )
    details = _text(
        "Tell us more",
        "Details",
        required_message="Tell us what you would like us to do",
        max_length=DETAILS_MAX,
        help_text=(
            "For a copy of your data, say if you want only part of it. To correct or erase "
            "something, say what it is. For a complaint, say what went wrong."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("kind", legend_size="m"),
            Field.textarea("details", rows=6),
            Button("send", "Send your request"),
        )


# --- staff steps -----------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = _text("What to tell the person", "Note", required_message="Enter a note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("note", rows=4), Button("save", "Save"))


class IdentityConfirmedForm(forms.Form):
    how = _text(
        "How the identity was confirmed",
        "How",
        required_message="Say how the identity was confirmed",
        help_text="For example: signed in with a confirmed account; passport seen at the office.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("how", rows=3), Button("save", "Confirm"))


class ConfirmForm(forms.Form):
    """A step with nothing to fill in: the button is the decision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Button("go", "Go ahead"))


class RedactionForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to remove",
        choices=RedactionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to remove"},
    )
    target = forms.CharField(
        label="The words, or the record's key",
        max_length=300,
        validators=[_no_control_characters],
        error_messages={"required": "Enter what to remove", **length_messages("This", 300)},
    )
    reason = _text("Why", "Reason", required_message="Give the reason")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("kind"),
            Field.text("target"),
            Field.textarea("reason", rows=3),
            Button("save", "Remove from the pack"),
        )


class AnswerForm(forms.Form):
    answer = _text(
        "Answer to the person",
        "Answer",
        required_message="Enter the answer",
        max_length=DETAILS_MAX,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("answer", rows=8), Button("save", "Send"))


class ExtendForm(forms.Form):
    reason = _text(
        "Why the request is complex (told to the person)",
        "Reason",
        required_message="Give the reason",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=3), Button("save", "Extend"))


class RepresentativeForm(forms.Form):
    email = forms.EmailField(
        label="The representative's sign-in email address",
        help_text="They need their own sign-in to this website to download the pack.",
        error_messages={"required": "Enter their email address"},
    )
    authority = _text("The authority seen", "Authority", required_message="Describe it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email"),
            Field.textarea("authority", rows=3),
            Button("save", "Record"),
        )


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label="Tenancy reference, surname, email or postcode", max_length=100)


class LogRequestForm(forms.Form):
    """A request made by phone, email, letter or in person, logged by staff."""

    kind = forms.ChoiceField(label="What they asked for", choices=RequestKind.choices)
    received_by = forms.ChoiceField(
        label="How it reached us",
        choices=[
            c for c in ReceivedBy.choices if c[0] not in (ReceivedBy.PORTAL, ReceivedBy.STAFF)
        ],
    )
    details = _text(
        "What they asked, in their words",
        "Details",
        required_message="Enter what they asked",
        max_length=DETAILS_MAX,
    )
