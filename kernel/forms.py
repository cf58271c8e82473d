"""Form pieces every app shares: the GOV.UK form helper and the checks on free text."""

from __future__ import annotations

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
