"""The workspace's forms: what a queue page is asked to show, and a bulk take or assignment."""

from __future__ import annotations

from django import forms

from kernel.forms import length_messages, reject_control_characters
from kernel.url_parameters import reference_from_query
from workspace.selectors import DEFAULT_PAGE_SIZE, PAGE_SIZES, DueWhen, Scope
from workspace.services import BULK_LIMIT


class QueueForm(forms.Form):
    """The queue's filters, read from the query string. A value that is not one of the choices
    shows the default rather than an error: these are links, not something typed."""

    scope = forms.ChoiceField(choices=[(s.value, s.value) for s in Scope], required=False)
    due = forms.ChoiceField(choices=[(d.value, d.value) for d in DueWhen], required=False)
    size = forms.TypedChoiceField(
        choices=[(n, n) for n in PAGE_SIZES], coerce=int, required=False, empty_value=None
    )

    def chosen(self) -> tuple[Scope, DueWhen, int]:
        data = self.cleaned_data if self.is_valid() else {}
        scope = Scope(data["scope"]) if data.get("scope") else Scope.MINE
        due = DueWhen(data.get("due") or "")
        return scope, due, data.get("size") or DEFAULT_PAGE_SIZE


class BulkAssignForm(forms.Form):
    """Take the ticked cases, or give them to a colleague."""

    TAKE = "take"
    ASSIGN = "assign"

    action = forms.ChoiceField(choices=[(TAKE, "Take"), (ASSIGN, "Assign")])
    assignee = forms.TypedChoiceField(
        choices=[], coerce=int, required=False, empty_value=None, label="Assign to"
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.colleagues = {person.pk: person for person in colleagues}
        self.fields["assignee"].choices = [("", "Choose a colleague")] + [  # type: ignore[attr-defined]
            (pk, person.get_full_name() or person.email) for pk, person in self.colleagues.items()
        ]
        self.references: list[str] = []
        if self.data:
            raw = self.data.getlist("case") if hasattr(self.data, "getlist") else []
            self.references = [r for r in (reference_from_query(v) for v in raw) if r]

    def clean(self):
        cleaned = super().clean()
        if not self.references:
            raise forms.ValidationError("Tick at least one case.")
        if len(self.references) > BULK_LIMIT:
            raise forms.ValidationError(f"Tick at most {BULK_LIMIT} cases at a time.")
        if cleaned.get("action") == self.ASSIGN and cleaned.get("assignee") is None:
            self.add_error("assignee", "Choose who to give the cases to.")
        return cleaned

    def chosen_assignee(self, taker):
        """Who the cases go to: the officer themselves for "take", else the colleague chosen."""
        if self.cleaned_data["action"] == self.TAKE:
            return taker
        return self.colleagues[self.cleaned_data["assignee"]]


class FindForm(forms.Form):
    q = forms.CharField(
        label="Case reference, tenancy reference, postcode, email or name",
        max_length=100,
        error_messages={
            "required": "Enter a case reference, tenancy reference, postcode, email or name",
            **length_messages("The search", 100),
        },
    )

    def clean_q(self) -> str:
        value = reject_control_characters(self.cleaned_data["q"]).strip()
        if len(value) < 2:
            raise forms.ValidationError("Enter at least 2 characters")
        return value
