from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Button, Field, Fluid, Size
from django import forms
from django.contrib.auth import password_validation
from django.core.validators import RegexValidator
from django.utils import timezone

from kernel.forms import gds_helper

OLDEST_BIRTH_YEAR = 1900


class DateOfBirthField(DateInputField):
    """GOV.UK day, month and year inputs that refuse any impossible date with one message.

    The library's own compress() lets OverflowError escape for a day such as 99999999999999999999
    (a 500), and shows Python's wording ("day is out of range for month") for 31 2.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        day, month, year = self.fields
        for part, name in ((day, "day"), (month, "month"), (year, "year")):
            part.validators = [RegexValidator(r"^[0-9]+$", "Date of birth must be a real date")]
            part.error_messages["incomplete"] = f"Date of birth must include a {name}"
        self.error_messages["past"] = "Date of birth must be in the past"

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            value = dt.date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        if value.year < OLDEST_BIRTH_YEAR or value >= timezone.localdate():
            raise forms.ValidationError(self.error_messages["past"], code="past")
        return value


class FindYourTenancyForm(forms.Form):
    tenancy_reference = forms.CharField(
        label="Tenancy reference",
        max_length=20,
        help_text="It is on your tenancy agreement and rent letters, for example RH-000123.",
        error_messages={
            "required": "Enter your tenancy reference",
            "max_length": "Tenancy reference must be 20 characters or fewer",
            "null_characters_not_allowed": "Remove the unusual characters from "
            "your tenancy reference",
        },
    )
    postcode = forms.CharField(
        label="Postcode of your home",
        max_length=10,
        error_messages={
            "required": "Enter the postcode of your home",
            "max_length": "Postcode must be 10 characters or fewer",
            "null_characters_not_allowed": "Remove the unusual characters from your postcode",
        },
    )
    date_of_birth = DateOfBirthField(
        label="Date of birth",
        help_text="For example, 27 3 1985",
        require_all_fields=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].error_messages.update(
            {
                "required": "Enter your date of birth",
                "incomplete": "Enter your date of birth",
                "invalid": "Date of birth must be a real date",
                "past": "Date of birth must be a real date in the past",
            }
        )
        self.helper = gds_helper(
            Field.text("tenancy_reference", field_width=10),
            Field.text("postcode", field_width=10),
            Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("submit", "Continue"),
        )


class CreateLoginForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will send you a link to check it is yours.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
            "null_characters_not_allowed": "Enter an email address in the correct "
            "format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. A few unrelated words together make a strong password.",
        error_messages={
            "required": "Create a password",
            "max_length": "Password must be 128 characters or fewer",
            "null_characters_not_allowed": "Remove the unusual characters from your password",
        },
        strip=False,
        max_length=128,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Create your account"),
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


NAME_MAX_LENGTH = 100


class ApplicantSignUpForm(CreateLoginForm):
    """An account for someone applying for a home who has never been one of our tenants: who
    they are, and the sign-in details (``CreateLoginForm``'s email and password checks)."""

    first_name = forms.CharField(
        label="First name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your first name",
            "max_length": f"First name must be {NAME_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Remove the unusual characters from your first name",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter your last name",
            "max_length": f"Last name must be {NAME_MAX_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Remove the unusual characters from your last name",
        },
    )
    date_of_birth = DateOfBirthField(
        label="Date of birth",
        help_text="For example, 27 3 1985",
        require_all_fields=False,
    )

    field_order = ["first_name", "last_name", "date_of_birth", "email", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["date_of_birth"].error_messages.update(
            {
                "required": "Enter your date of birth",
                "incomplete": "Enter your date of birth",
                "invalid": "Date of birth must be a real date",
                "past": "Date of birth must be a real date in the past",
            }
        )
        self.helper = gds_helper(
            Field.text("first_name", field_width=Fluid.TWO_THIRDS),
            Field.text("last_name", field_width=Fluid.TWO_THIRDS),
            Field("date_of_birth", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Create your account"),
        )

    def clean_first_name(self) -> str:
        return self._name("first_name", "Enter your first name")

    def clean_last_name(self) -> str:
        return self._name("last_name", "Enter your last name")

    def _name(self, field: str, missing: str) -> str:
        # Django strips spaces; a name of spaces alone is no name.
        value = self.cleaned_data[field].strip()
        if not value:
            raise forms.ValidationError(missing)
        return value
