"""Writes from the staff workspace: taking or giving cases in bulk.

Each assignment goes through ``casework.services.case_assign``, so it is an event on the case's
timeline like any other. A selection is all or nothing: one case the officer may not change
(not theirs to see, closed, or not one the new holder may work) refuses the whole selection
before anything is written, so nobody is left guessing which half went through.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

from casework.access import CaseModelEntry, entry_for_reference, staff_can_see, staff_cases
from casework.models import Case
from casework.services import case_assign

if TYPE_CHECKING:
    from accounts.models import User

# A page of the queue at most; a larger selection is not something a form sends.
BULK_LIMIT = 100


class BulkAssignmentRefused(Exception):
    """The whole selection was refused; ``problems`` says why, case by case."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def cases_assign_in_bulk(*, actor: User, references: list[str], assignee: User) -> int:
    """Give every case named in ``references`` to ``assignee`` (``actor`` themselves for
    "take"), writing an assignment event on each that changes hands. Returns how many did.

    Refused whole, with nothing written, if any reference names a case the actor may not
    change (one they cannot see gets the same answer as one that does not exist, so the
    refusal reveals nothing), a closed case, or one the assignee's role may not work."""
    wanted = list(dict.fromkeys(r.strip().upper() for r in references if r.strip()))
    if not wanted:
        raise BulkAssignmentRefused(["Choose at least one case."])
    if len(wanted) > BULK_LIMIT:
        raise BulkAssignmentRefused([f"Choose at most {BULK_LIMIT} cases at a time."])
    problems: list[str] = []
    by_entry: dict[CaseModelEntry, list[str]] = defaultdict(list)
    for reference in wanted:
        entry = entry_for_reference(reference)
        if entry is None:
            problems.append(f"You may not change {reference}.")
        else:
            by_entry[entry].append(reference)
    cases: dict[str, Case] = {}
    for entry, refs in by_entry.items():
        # Locked, so the check and the writes see the same rows.
        visible = staff_cases(actor, entry.model).select_for_update(of=("self",))
        cases.update((case.reference, case) for case in visible.filter(reference__in=refs))
    for reference in wanted:
        case = cases.get(reference)
        if case is None:
            if entry_for_reference(reference) is not None:
                problems.append(f"You may not change {reference}.")
        elif case.closed_at is not None:
            problems.append(f"{reference} is closed.")
        elif assignee.pk != actor.pk and not staff_can_see(assignee, case):
            problems.append(f"{_name(assignee)} does not work cases like {reference}.")
    if problems:
        raise BulkAssignmentRefused(problems)
    changed = 0
    for reference in wanted:
        event = case_assign(case=cases[reference], assignee=assignee, actor=actor)
        changed += event is not None
    return changed


def _name(user: User) -> str:
    return user.get_full_name() or user.email
