"""Fixtures of the clock engine's tests."""

from __future__ import annotations

import pytest

from sla import calendar, hooks


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # The calendar is a per-process cache; a closure day written by one test (and rolled back)
    # must not linger in the next test's calendar.
    calendar.reset_cache()
    yield
    calendar.reset_cache()


class Recorder:
    """A sweep handler that remembers each batch it was given."""

    def __init__(self) -> None:
        self.batches: list[list] = []

    def __call__(self, deadlines: list) -> None:
        self.batches.append(list(deadlines))

    @property
    def ids(self) -> list[int]:
        return [deadline.pk for batch in self.batches for deadline in batch]


@pytest.fixture(autouse=True)
def sweep_handlers(monkeypatch):
    """The sla tests see only their own handlers: the engine knows nothing of cases, so what
    the apps above register (CaseEvents, escalations) is tested by those apps."""
    monkeypatch.setattr(hooks, "_breach_handlers", [])
    monkeypatch.setattr(hooks, "_warning_handlers", [])
    breaches, warnings = Recorder(), Recorder()
    hooks.register_breach_handler(breaches)
    hooks.register_warning_handler(warnings)
    return breaches, warnings
