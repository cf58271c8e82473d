"""Forms of the repairs pages: one question each, validating and returning plain values.

They write nothing: the views keep the answers in the report's draft and the services do the
writing.
"""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from kernel.forms import gds_helper, reject_control_characters
from repairs import catalogue
from repairs.catalogue import EmergencyKind, Location, Responsibility
from repairs.models import DampRoom, HazardExtent, Satisfaction, Slot, Vulnerability
from repairs.services import slot_label

DESCRIPTION_MAX = 2000
NONE = "none"
LATER = "later"


def _set_choices(form: forms.Form, name: str, choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _question(field: str, *, button: str = "Continue", checkboxes: bool = False):
    """The GOV.UK one-question page: the legend is the page's heading."""
    layout = Field.checkboxes if checkboxes else Field.radios
    return gds_helper(
        layout(field, legend_size=Size.LARGE, legend_tag="h1"), Button("submit", button)
    )


class EmergencyForm(forms.Form):
    emergency = forms.ChoiceField(
        label="Is it one of these emergencies?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select an emergency, or none of these"},
    )

    def __init__(self, *args, winter: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list = []
        for kind in EmergencyKind:
            if kind == EmergencyKind.NO_HEATING and not winter:
                continue
            hint = "We will tell you what to do straight away." if kind == EmergencyKind.GAS else ""
            choices.append(
                Choice(kind.value, kind.label, hint=hint) if hint else (kind.value, kind.label)
            )
        choices[-1] = Choice(*choices[-1], divider="or")
        choices.append((NONE, "No, none of these"))
        _set_choices(self, "emergency", choices)
        self.helper = _question("emergency")


class LocationForm(forms.Form):
    location = forms.ChoiceField(
        label="Where is the problem?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select where the problem is"},
    )

    def __init__(self, *args, locations: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        _set_choices(self, "location", [(loc, Location(loc).label) for loc in locations])
        self.helper = _question("location")


class AreaForm(forms.Form):
    area = forms.ChoiceField(
        widget=forms.RadioSelect, error_messages={"required": "Select where the problem is"}
    )

    def __init__(self, *args, location: str, **kwargs):
        super().__init__(*args, **kwargs)
        communal = location == Location.COMMUNAL
        self.fields["area"].label = (
            "Which shared part of the building is it in?"
            if communal
            else "Which part of your home is the problem in?"
        )
        _set_choices(self, "area", [(a.code, a.label) for a in catalogue.areas_for(location)])
        self.helper = _question("area")


def _item_hint(item: catalogue.Item) -> str:
    if item.responsibility == Responsibility.TENANT:
        return (
            "You repair it. If we do it, we will charge you."
            if item.rechargeable
            else "You repair it."
        )
    return str(Responsibility(item.responsibility).label) + "."


class ItemForm(forms.Form):
    item = forms.ChoiceField(
        label="What is the problem?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the problem"},
    )

    def __init__(self, *args, area: catalogue.Area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].label = f"{area.label}: what is the problem?"
        _set_choices(
            self,
            "item",
            [Choice(i.code, i.label, hint=_item_hint(i)) for i in catalogue.items_in(area.code)],
        )
        self.helper = _question("item")


class DampRoomsForm(forms.Form):
    rooms = forms.MultipleChoiceField(
        label="Where is the damp or mould?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select where the damp or mould is"},
    )

    def __init__(self, *args, location: str, **kwargs):
        super().__init__(*args, **kwargs)
        shared = location == Location.COMMUNAL
        _set_choices(
            self,
            "rooms",
            [
                (r.value, r.label)
                for r in DampRoom
                if (r == DampRoom.SHARED) == shared or r == DampRoom.OTHER
            ],
        )
        self.helper = _question("rooms", checkboxes=True)


class DampExtentForm(forms.Form):
    extent = forms.ChoiceField(
        label="How much damp or mould is there?",
        widget=forms.RadioSelect,
        choices=HazardExtent.choices,
        error_messages={"required": "Select how much damp or mould there is"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _question("extent")


class DampPeopleForm(forms.Form):
    people = forms.MultipleChoiceField(
        label="Does anyone who lives in your home have any of these?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Damp and mould harm some people more. Select all that apply.",
        choices=[*Vulnerability.choices, (NONE, "No, none of these")],
        error_messages={"required": "Select who lives in your home, or none of these"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _question("people", checkboxes=True)

    def clean_people(self) -> list[str]:
        people = self.cleaned_data["people"]
        if NONE in people and len(people) > 1:
            raise forms.ValidationError(
                "Select the people it applies to, or none of these, not both"
            )
        return [] if people == [NONE] else people


class DetailsForm(forms.Form):
    description = forms.CharField(
        label="Describe the problem",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        help_text="Say where it is, what is wrong and since when. Do not include personal "
        "details of anyone else.",
        error_messages={
            "required": "Describe the problem",
            "max_length": f"The description must be {DESCRIPTION_MAX} characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea(
                "description", label_size=Size.LARGE, label_tag="h1", max_characters=DESCRIPTION_MAX
            ),
            Button("submit", "Continue"),
        )

    def clean_description(self) -> str:
        return reject_control_characters(self.cleaned_data["description"].strip())


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Add a photo",
        help_text="A JPG or PNG, smaller than 10MB.",
        error_messages={"required": "Select a photo", "empty": "The selected photo is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("photo"), Button.secondary("submit", "Add photo"))


class SlotForm(forms.Form):
    slot = forms.ChoiceField(
        label="Choose an appointment",
        widget=forms.RadioSelect,
        error_messages={"required": "Select an appointment"},
    )

    def __init__(self, *args, slots: list[Slot], allow_later: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices: list = [
            Choice(
                str(s.pk),
                slot_label(s.date, s.window),
                hint=f"{s.places_left} left" if s.places_left < 3 else "",
            )
            for s in slots
        ]
        if allow_later:
            if choices:
                choices[-1] = Choice(
                    *choices[-1], divider="or", hint=getattr(choices[-1], "hint", "")
                )
            choices.append((LATER, "None of these: I will choose later"))
        _set_choices(self, "slot", choices)
        self.helper = _question("slot", button="Choose this appointment")


NOT_FIXED_CHOICES = [
    ("reopen", "Reopen the repair and come back to fix it"),
    ("complain", "Reopen the repair, and make a complaint about it"),
]


class NotFixedForm(forms.Form):
    details = forms.CharField(
        label="What is still wrong?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": "Tell us what is still wrong",
            "max_length": f"Use {DESCRIPTION_MAX} characters or fewer",
        },
    )
    next_step = forms.ChoiceField(
        label="What would you like us to do?",
        widget=forms.RadioSelect,
        choices=NOT_FIXED_CHOICES,
        error_messages={"required": "Select what you would like us to do"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("details", label_size=Size.MEDIUM),
            Field.radios("next_step", legend_size=Size.MEDIUM),
            Button("submit", "Send"),
        )

    def clean_details(self) -> str:
        return reject_control_characters(self.cleaned_data["details"].strip())


class SatisfactionForm(forms.Form):
    overall = forms.TypedChoiceField(
        label="How satisfied are you with this repair?",
        coerce=int,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are with the repair"},
    )
    time_taken = forms.TypedChoiceField(
        label="How satisfied are you with the time it took?",
        coerce=int,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how satisfied you are with the time it took"},
    )
    comment = forms.CharField(
        label="Anything else you want to tell us (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Use 1000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("overall", legend_size=Size.MEDIUM),
            Field.radios("time_taken", legend_size=Size.MEDIUM),
            Field.textarea("comment"),
            Button("submit", "Send"),
        )

    def clean_comment(self) -> str:
        return reject_control_characters(self.cleaned_data["comment"].strip())
