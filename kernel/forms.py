"""Form pieces every app shares: the GOV.UK form helper, the checks on free text and the key
that makes a submitted form create one record however often it is sent."""

from __future__ import annotations

import uuid

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

UNUSUAL_CHARACTERS = "Remove the unusual characters from this answer"


def gds_helper(*fields) -> FormHelper:
    """A GOV.UK form helper; templates write the <form> tag and the error summary themselves."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the template's <form> carries the token
    helper.layout = Layout(*fields)
    return helper


def reject_control_characters(value: str) -> str:
    """Refuse control characters (NUL and the like) that no one types but attackers paste."""
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise forms.ValidationError(UNUSUAL_CHARACTERS)
    return value


def length_messages(name: str, max_length: int) -> dict[str, str]:
    """Error messages for a text field, in the words the GOV.UK pattern uses."""
    return {
        "max_length": f"{name} must be {max_length} characters or fewer",
        "null_characters_not_allowed": UNUSUAL_CHARACTERS,
    }


class IdempotentFormMixin(forms.Form):
    """A hidden ``idempotency_key`` minted when the form is first shown: pressing the button
    twice, going back and sending again, or resending after a dropped connection finds the
    record the first press made (services look the key up on the case model's field of the
    same name). Put it first among a form's bases: ``class X(IdempotentFormMixin, ...)``."""

    idempotency_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_idempotency_key(self) -> uuid.UUID:
        # A page kept from before the field existed, a client that drops hidden fields or a
        # mangled key still submits, so the customer keeps what they typed; it only loses the
        # double-submit protection.
        return self.cleaned_data.get("idempotency_key") or uuid.uuid4()
