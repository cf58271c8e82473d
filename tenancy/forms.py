from __future__ import annotations

import re

from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Size
from django import forms

from kernel.forms import gds_helper, length_messages, reject_control_characters
from tenancy.models import Channel

SAFE_TEXT_MAX = 200
ADJUSTMENTS_MAX = 1000
# Digits with the spaces, brackets, dashes and leading + that people type; at least 7 digits.
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+$")
PHONE_MIN_DIGITS = 7


def _phone_number(value: str, what: str) -> str:
    digits = sum(ch.isdigit() for ch in value)
    if not PHONE_RE.match(value) or digits < PHONE_MIN_DIGITS:
        raise forms.ValidationError(f"Enter a {what}, like 07700 900 982 or +44 7700 900 982")
    return value


class ContactDetailsForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="If you change it, we send a link to the new address. We use the new address "
        "once you open the link.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            **length_messages("Email address", 254),
        },
    )
    phone = forms.CharField(
        label="Home phone number",
        required=False,
        max_length=30,
        error_messages=length_messages("Home phone number", 30),
    )
    mobile = forms.CharField(
        label="Mobile phone number",
        required=False,
        max_length=30,
        help_text="We use this to text you about appointments if you agree.",
        error_messages=length_messages("Mobile phone number", 30),
    )
    preferred_channel = forms.ChoiceField(
        label="How would you like us to contact you?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you would like us to contact you",
            "invalid_choice": "Select how you would like us to contact you",
        },
    )
    consent_to_sms = forms.BooleanField(label="You may send me text messages", required=False)
    large_print = forms.BooleanField(label="Large print letters", required=False)
    easy_read = forms.BooleanField(label="Easy read letters", required=False)
    interpreter_language = forms.CharField(
        label="Language you need an interpreter for (if any)",
        required=False,
        max_length=60,
        error_messages=length_messages("Language", 60),
    )
    other_adjustments = forms.CharField(
        label="Anything else we should do to make it easier for you to deal with us",
        required=False,
        max_length=ADJUSTMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        # crispy-forms-gds's character count needs a hint to describe the field (it fails
        # without one), and the hint helps in its own right.
        help_text="For example: call me after 2pm, or write to me instead of phoning.",
        error_messages=length_messages("Your answer", ADJUSTMENTS_MAX),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Fieldset(
                Field.text("email", field_width=Fluid.TWO_THIRDS),
                Field.text("phone", field_width=Fluid.ONE_THIRD),
                Field.text("mobile", field_width=Fluid.ONE_THIRD),
                legend="Your contact details",
                legend_size=Size.MEDIUM,
            ),
            Field.radios("preferred_channel", legend_size=Size.MEDIUM),
            Field.checkbox("consent_to_sms"),
            Fieldset(
                Field.checkbox("large_print"),
                Field.checkbox("easy_read"),
                Field.text("interpreter_language", field_width=Fluid.TWO_THIRDS),
                Field.textarea("other_adjustments", max_characters=ADJUSTMENTS_MAX),
                legend="Help you need from us",
                legend_size=Size.MEDIUM,
            ),
            Button("submit", "Save your details"),
        )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return _phone_number(value, "home phone number") if value else value

    def clean_mobile(self) -> str:
        value = self.cleaned_data["mobile"]
        return _phone_number(value, "mobile phone number") if value else value

    def clean(self):
        cleaned = super().clean()
        for name in ("interpreter_language", "other_adjustments"):
            if cleaned.get(name):
                try:
                    reject_control_characters(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        channel = cleaned.get("preferred_channel")
        if channel == Channel.SMS and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", "Enter a mobile number so that we can text you")
        if channel == Channel.SMS and not cleaned.get("consent_to_sms"):
            self.add_error("consent_to_sms", "Tick the box to let us send you text messages")
        if (
            channel == Channel.PHONE
            and not (cleaned.get("phone") or cleaned.get("mobile"))
            and "phone" not in self.errors
        ):
            self.add_error("phone", "Enter a phone number so that we can call you")
        if channel == Channel.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address so that we can email you")
        return cleaned
