"""What happens when a clock breaches or is nearly due: handlers registered by the apps above.

The clock engine knows nothing of cases, timelines or who to tell. ``casework`` registers the
handlers (in its ``AppConfig.ready``) that write the CaseEvent and queue the escalation
notifications. The sweep marks the rows and records each batch (``sla.models.ClaimedBatch``) in
one transaction; then ``sla.services.hand_over_claimed`` calls every handler with a batch's rows
(``sla.services.ClaimedDeadline``: ids, due time, commitment, content type; no query per row)
in a transaction that also deletes the batch. If a handler raises, its writes roll back and the
batch waits for the next run, so an escalation is never lost, only delayed. Handlers must
therefore write only to the database (queue outbox rows, kick delivery on commit) and be safe
to repeat after a rollback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sla.services import ClaimedDeadline

DeadlineHandler = Callable[[list["ClaimedDeadline"]], None]

_breach_handlers: list[DeadlineHandler] = []
_warning_handlers: list[DeadlineHandler] = []


def register_breach_handler(handler: DeadlineHandler) -> DeadlineHandler:
    """Call ``handler(deadlines)`` with every batch of newly breached deadlines.

    Registering the same function twice (``ready()`` run again) has no further effect. Returns
    the handler, so this works as a decorator.
    """
    if handler not in _breach_handlers:
        _breach_handlers.append(handler)
    return handler


def register_warning_handler(handler: DeadlineHandler) -> DeadlineHandler:
    """Call ``handler(deadlines)`` with every batch of deadlines that have become due soon."""
    if handler not in _warning_handlers:
        _warning_handlers.append(handler)
    return handler


def breach_handlers() -> tuple[DeadlineHandler, ...]:
    return tuple(_breach_handlers)


def warning_handlers() -> tuple[DeadlineHandler, ...]:
    return tuple(_warning_handlers)
