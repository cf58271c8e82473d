from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from portal.forms import gds_helper
from django.contrib.auth import password_validation


class FindYourTenancyForm(forms.Form):
    tenancy_reference = forms.CharField(
        label="Tenancy reference", max_length=20,
        help_text="It is on your tenancy agreement and rent letters, for example RH-000123.",
        error_messages={"required": "Enter your tenancy reference"},
    )
    postcode = forms.CharField(
        label="Postcode of your home", max_length=10,
        error_messages={"required": "Enter the postcode of your home"},
    )
    date_of_birth = DateInputField(
        label="Date of birth", help_text="For example, 27 3 1985",
        require_all_fields=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].error_messages.update({
            "required": "Enter your date of birth",
            "incomplete": "Enter your date of birth",
            "invalid": "Date of birth must be a real date",
        })
        self.helper = gds_helper(
            Field.text("tenancy_reference", field_width=10),
            Field.text("postcode", field_width=10),
            Field("date_of_birth", legend_size=Size.SMALL),
            Button("submit", "Continue"),
        )


class CreateLoginForm(forms.Form):
    email = forms.EmailField(
        label="Email address", max_length=254,
        help_text="We will send you a link to check it is yours.",
        error_messages={"required": "Enter your email address",
                        "invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    password = forms.CharField(
        label="Create a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words together make a strong password.",
        error_messages={"required": "Create a password"}, strip=False, max_length=128,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email", field_width=Size.TWO_THIRDS),
            Field.text("password", field_width=Size.TWO_THIRDS),
            Button("submit", "Create your account"),
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password
