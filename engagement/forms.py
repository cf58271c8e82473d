"""Customer forms: the perception survey (every question on one page, in the regulator's order
and words, so it works without JavaScript), a consultation response and getting involved.
Forms validate; they never write."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.conf import settings

from engagement.models import Activity, Disability, EthnicGroup, Satisfaction
from engagement.questions import QUESTIONS, SATISFACTION_SCALE
from kernel.forms import gds_helper, length_messages, reject_control_characters

COMMENTS_MAX = 3000
ANSWER_IF_YES = "Answer this only if you answered yes to the question before it."


class PerceptionSurveyForm(forms.Form):
    comments = forms.CharField(
        label="Is there anything else you would like to tell us? (optional)",
        required=False,
        max_length=COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=length_messages("Your comments", COMMENTS_MAX),
    )
    consent_to_follow_up = forms.BooleanField(
        label="You may contact me about my comments. Without this, your answers stay anonymous "
        "and nobody will contact you about them.",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        landlord = settings.ORGANISATION["name"]
        layout = []
        seen_filters = set()
        for question in QUESTIONS:
            gate = question.filter
            if gate is not None and gate.field not in seen_filters:
                seen_filters.add(gate.field)
                self.fields[gate.field] = forms.ChoiceField(
                    label=gate.text.format(landlord=landlord),
                    choices=gate.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Select an answer"},
                )
                layout.append(Field.radios(gate.field, legend_size=Size.SMALL))
            # The regulator's words exactly; the routing is said beside them, never in them.
            self.fields[question.field] = forms.ChoiceField(
                label=question.text_for(landlord),
                help_text=ANSWER_IF_YES if gate is not None else "",
                choices=question.choices(),
                widget=forms.RadioSelect,
                required=gate is None,
                error_messages={"required": "Select an answer"},
            )
            layout.append(Field.radios(question.field, legend_size=Size.SMALL))
        layout += [
            Field.textarea("comments"),
            Field.checkbox("consent_to_follow_up"),
            Button("submit", "Send your answers"),
        ]
        self.helper = gds_helper(*layout)

    def clean_comments(self) -> str:
        return reject_control_characters(self.cleaned_data["comments"])

    def clean(self):
        cleaned = super().clean()
        for question in QUESTIONS:
            gate = question.filter
            if gate is None:
                continue
            if cleaned.get(gate.field) == gate.counts_when:
                if not cleaned.get(question.field) and question.field not in self.errors:
                    self.add_error(question.field, "Select an answer")
            else:
                # Only those the filter lets through are asked: an answer left from changing
                # one's mind is not kept.
                cleaned[question.field] = ""
        return cleaned

    def answers(self) -> dict[str, str]:
        data = self.cleaned_data
        fields = [q.field for q in QUESTIONS] + [q.filter.field for q in QUESTIONS if q.filter]
        return {name: data.get(name) or "" for name in fields}


class ConsultationResponseForm(forms.Form):
    view = forms.CharField(
        label="Your view",
        max_length=COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us your view"}
        | length_messages("Your view", COMMENTS_MAX),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("view"), Button("submit", "Send your view"))

    def clean_view(self) -> str:
        return reject_control_characters(self.cleaned_data["view"])


class InvolvementForm(forms.Form):
    activities = forms.MultipleChoiceField(
        label="How would you like to get involved?",
        choices=Activity.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one way to get involved"},
    )
    disability = forms.ChoiceField(
        label="Do you consider yourself to have a disability? (optional)",
        choices=Disability.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    ethnic_group = forms.ChoiceField(
        label="What is your ethnic group? (optional)",
        choices=EthnicGroup.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkboxes("activities", legend_size=Size.MEDIUM),
            Field.radios("disability", legend_size=Size.SMALL),
            Field.radios("ethnic_group", legend_size=Size.SMALL),
            Button("submit", "Register my interest"),
        )


CASE_SURVEY_QUESTION = {
    "repair": "How satisfied or dissatisfied are you with how we dealt with your repair?",
    "complaint": "How satisfied or dissatisfied are you with how we handled your complaint?",
    "asb": "How satisfied or dissatisfied are you with how we handled your report?",
    "move_in": "How satisfied or dissatisfied are you with how we helped you move into your "
    "new home?",
}


class CaseSurveyForm(forms.Form):
    """ "How did we do?" after a case: one question on the five-point scale, a comment, and
    whether we may contact the person about it."""

    satisfaction = forms.ChoiceField(
        choices=[(value, Satisfaction(value).label) for value in SATISFACTION_SCALE],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how satisfied or dissatisfied you are",
            "invalid_choice": "Select how satisfied or dissatisfied you are",
        },
    )
    comments = forms.CharField(
        label="Is there anything else you would like to tell us? (optional)",
        required=False,
        max_length=COMMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=length_messages("Your comments", COMMENTS_MAX),
    )
    consent_to_follow_up = forms.BooleanField(
        label="You may contact me about my comments. Without this, your answer stays anonymous "
        "and nobody will contact you about it.",
        required=False,
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].label = CASE_SURVEY_QUESTION[kind]
        self.helper = gds_helper(
            Field.radios("satisfaction", legend_size=Size.MEDIUM),
            Field.textarea("comments"),
            Field.checkbox("consent_to_follow_up"),
            Button("submit", "Send your answer"),
        )

    def clean_comments(self) -> str:
        return reject_control_characters(self.cleaned_data["comments"])


class FollowUpForm(forms.Form):
    """Staff turning a comment the respondent agreed to be contacted about into a case."""

    into = forms.ChoiceField(
        choices=[
            ("complaint", "A complaint"),
            ("safety_concern", "A safety concern, raised as a repair"),
        ],
        error_messages={"required": "Choose what to open", "invalid_choice": "Choose what to open"},
    )
    item_code = forms.CharField(required=False, max_length=60)
    location = forms.CharField(required=False, max_length=30)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("into") == "safety_concern" and not (
            cleaned.get("item_code") and cleaned.get("location")
        ):
            raise forms.ValidationError("Choose the problem and where it is")
        return cleaned
