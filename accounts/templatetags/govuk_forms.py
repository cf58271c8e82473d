"""GOV.UK error summaries for any Django form, ours or allauth's.

crispy-forms-gds only summarises forms that carry a FormHelper; allauth's forms have none, and
its summary links radios and date inputs to ids that are not on the page. Every link here points
at an element that exists, so a keyboard or screen reader user lands on the field to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    href: str
    message: str


def _first_input_id(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # crispy-forms-gds numbers radios and checkboxes from 1.
        return f"{bound_field.auto_id}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def _field_items(bound_field: forms.BoundField) -> list[SummaryItem]:
    items: list[SummaryItem] = []
    seen: list[str] = []
    # A date input keeps its day, month and year errors on each part's widget.
    for index, subfield in enumerate(getattr(bound_field.field, "fields", ())):
        for message in map(str, getattr(subfield.widget, "errors", [])):
            if message not in seen:
                items.append(SummaryItem(f"#{bound_field.auto_id}_{index}", message))
                seen.append(message)
    for message in map(str, bound_field.errors):
        if message not in seen:
            items.append(SummaryItem(f"#{_first_input_id(bound_field)}", message))
            seen.append(message)
    return items


@register.simple_tag
def error_summary_items(form) -> list[SummaryItem]:
    """The form's errors in page order, each with the link to the input it is about."""
    if form is None or not getattr(form, "errors", None):
        return []
    visible = form.visible_fields()
    first_href = f"#{_first_input_id(visible[0])}" if visible else ""
    items = [SummaryItem(first_href, str(message)) for message in form.non_field_errors()]
    for bound_field in visible:
        items.extend(_field_items(bound_field))
    for bound_field in form.hidden_fields():
        items.extend(SummaryItem("", str(message)) for message in bound_field.errors)
    return items


@register.filter
def first_input_id(bound_field: forms.BoundField) -> str:
    return _first_input_id(bound_field)
