"""One way for staff to take a step on a case: a step is a form, a service call and a title.

Each service app registers the steps of its case models (``register_steps``) from its
``ready()``; ``casework.admin.StepAdminMixin`` gives every registered model the same step pages
(``<object_id>/step/<name>/``) and the same list of steps on the change page. A step that is not
registered for a model is a 404, never a fallback action; a step that is registered but does not
apply to the case now sends the officer back with the reason. The services check their own
rules again: availability only decides which steps are offered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict

# A step's hooks receive the case, the officer, what the case type loads once per page (its
# ``state``) and the submitted data (a step with two buttons reads which one was pressed).
StepHook = Callable[["StepContext"], Any]


@dataclass(frozen=True)
class StepContext:
    case: Any
    actor: Any
    state: Any = None
    data: QueryDict | dict[str, Any] = field(default_factory=dict)


def _always(ctx: StepContext) -> bool:
    return True


def _nothing(ctx: StepContext) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Step:
    """``run(ctx, form)`` calls the app's service with the validated form; it may return a
    message that replaces ``success_message`` (to name what was created or booked)."""

    name: str
    title: str
    form_class: type[forms.Form]
    run: Callable[[StepContext, Any], str | None]
    success_message: str
    available: Callable[[StepContext], bool] = _always
    form_kwargs: Callable[[StepContext], dict[str, Any]] = _nothing
    # Extra template context, and a partial that lays out the form's fields when the plain
    # list of fields will not do (a letter with numbered sections).
    page_context: Callable[[StepContext], dict[str, Any]] = _nothing
    fields_template: str = "casework/admin/_step_fields.html"


def _no_state(case: Any) -> None:
    return None


def _reference(case: Any, state: Any) -> str:
    return str(case)


@dataclass(frozen=True)
class StepSet:
    """The steps of one model. ``refusals`` are the exceptions its services raise to refuse
    (shown on the form); ``load_state`` reads what several steps need, once per page;
    ``summary`` is the line at the top of a step page saying which case this is."""

    model: type[models.Model]
    steps: dict[str, Step]
    refusals: tuple[type[Exception], ...]
    load_state: Callable[[Any], Any] = _no_state
    summary: Callable[[Any, Any], str] = _reference
    select_related: tuple[str, ...] = ()

    def available(self, ctx: StepContext) -> list[Step]:
        return [step for step in self.steps.values() if step.available(ctx)]


_STEP_SETS: dict[type[models.Model], StepSet] = {}


def register_steps(
    model: type[models.Model],
    steps: Sequence[Step],
    *,
    refusals: tuple[type[Exception], ...],
    load_state: Callable[[Any], Any] = _no_state,
    summary: Callable[[Any, Any], str] = _reference,
    select_related: tuple[str, ...] = (),
) -> StepSet:
    """Called once per model from its app's ``ready()``. Steps are offered in this order."""
    by_name = {step.name: step for step in steps}
    if len(by_name) != len(steps):
        raise ValueError(f"{model.__name__} registers a step name twice.")
    step_set = StepSet(
        model=model,
        steps=by_name,
        refusals=(*refusals, ValidationError),
        load_state=load_state,
        summary=summary,
        select_related=select_related,
    )
    _STEP_SETS[model] = step_set
    return step_set


def step_set_for(model: type[models.Model]) -> StepSet | None:
    return _STEP_SETS.get(model)


def registered_step_sets() -> list[StepSet]:
    return list(_STEP_SETS.values())


def refusal_messages(exc: Exception) -> list[str]:
    """What a refusing service said, one line per reason."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    problems = getattr(exc, "problems", None)
    return list(problems) if problems else [str(exc)]
