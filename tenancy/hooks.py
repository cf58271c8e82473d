"""What happens when a member of staff reads a customer's confidential notes: handlers
registered by the apps above.

A customer's vulnerability notes and safe-contact details are as confidential as a domestic
abuse report: every staff read of them is written to the read log, which the person can ask
about. The read log is casework's, a layer above this app, so ``casework`` registers the
handler (in its ``AppConfig.ready``) and the customer pages here call ``notes_read``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tenancy.models import Customer

NotesReadHandler = Callable[..., object]

_notes_read_handlers: list[NotesReadHandler] = []


def register_notes_read_handler(handler: NotesReadHandler) -> NotesReadHandler:
    """Call ``handler(user=..., customer=..., path=...)`` on every staff read of a customer's
    confidential notes. Registering the same function twice has no further effect."""
    if handler not in _notes_read_handlers:
        _notes_read_handlers.append(handler)
    return handler


def notes_read(*, user, customer: Customer, path: str) -> None:
    """Tell every registered handler that ``user`` has just been shown ``customer``'s notes."""
    for handler in _notes_read_handlers:
        handler(user=user, customer=customer, path=path)
