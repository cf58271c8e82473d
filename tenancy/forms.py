from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fieldset, Size
from django import forms

from portal.forms import gds_helper

from tenancy.models import Channel

SAFE_TEXT_MAX = 200


def reject_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise forms.ValidationError("Remove the unusual characters from this answer.")
    return value


class ContactDetailsForm(forms.Form):
    email = forms.EmailField(
        label="Email address", required=False, max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = forms.CharField(label="Home phone number", required=False, max_length=30)
    mobile = forms.CharField(label="Mobile phone number", required=False, max_length=30,
                             help_text="We use this to text you about appointments if you agree.")
    preferred_channel = forms.ChoiceField(
        label="How would you like us to contact you?", choices=Channel.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select how you would like us to contact you"},
    )
    consent_to_sms = forms.BooleanField(label="You may send me text messages", required=False)
    large_print = forms.BooleanField(label="Large print letters", required=False)
    easy_read = forms.BooleanField(label="Easy read letters", required=False)
    interpreter_language = forms.CharField(
        label="Language you need an interpreter for (if any)", required=False, max_length=60)
    other_adjustments = forms.CharField(
        label="Anything else we should do to make it easier for you to deal with us",
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Fieldset(Field.text("email", field_width=Size.TWO_THIRDS),
                     Field.text("phone", field_width=Size.ONE_THIRD),
                     Field.text("mobile", field_width=Size.ONE_THIRD),
                     legend="Your contact details", legend_size=Size.MEDIUM),
            Field.radios("preferred_channel", legend_size=Size.MEDIUM),
            Field.checkbox("consent_to_sms"),
            Fieldset(Field.checkbox("large_print"), Field.checkbox("easy_read"),
                     Field.text("interpreter_language", field_width=Size.TWO_THIRDS),
                     Field.textarea("other_adjustments"),
                     legend="Help you need from us", legend_size=Size.MEDIUM),
            Button("submit", "Save your details"),
        )

    def clean(self):
        cleaned = super().clean()
        for name in ("phone", "mobile", "interpreter_language", "other_adjustments"):
            if cleaned.get(name):
                try:
                    reject_control_characters(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        if cleaned.get("preferred_channel") == Channel.SMS and not cleaned.get("mobile"):
            self.add_error("mobile", "Enter a mobile number so that we can text you")
        if cleaned.get("preferred_channel") == Channel.SMS and not cleaned.get("consent_to_sms"):
            self.add_error("consent_to_sms", "Tick the box to let us send you text messages")
        if cleaned.get("preferred_channel") == Channel.EMAIL and not cleaned.get("email"):
            self.add_error("email", "Enter an email address so that we can email you")
        return cleaned
