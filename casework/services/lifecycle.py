"""Opening, moving, noting, assigning and linking a case, each with its timeline event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework.access import case_allows_no_household, case_is_sensitive
from casework.models import Case, CaseEvent, CaseLink, EventKind, ReferenceCounter, Team
from kernel.formatting import LONDON

if TYPE_CHECKING:
    from accounts.models import User
    from tenancy.models import Customer

CaseT = TypeVar("CaseT", bound=Case)


class InvalidTransition(Exception):
    """A status change the case's transition map does not allow. Nothing was written."""


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


def _event(
    *,
    case: Case,
    kind: str,
    actor: User | None = None,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    visible_to_customer: bool = False,
    occurred_at: dt.datetime | None = None,
) -> CaseEvent:
    """An unsaved event on ``case``; callers save it or bulk-create a batch."""
    return CaseEvent(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        tenancy_id=case.tenancy_id,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_customer=visible_to_customer,
    )


def _person(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.email


# ---------------------------------------------------------------------------------------------
# Opening and moving a case
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_reference_next(*, prefix: str, year: int) -> str:
    """The next reference for ``prefix`` in ``year``, e.g. ``ENQ-2026-000123``.

    The counter row is locked until the caller's transaction ends, so two cases opened at once
    get consecutive numbers, never the same one. A rolled-back case leaves a gap, which is
    harmless: references need to be unique, not dense.
    """
    counter = ReferenceCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
    if counter is None:
        try:
            # A savepoint: if another transaction creates the year's row first, ours stays
            # usable and we lock theirs instead.
            with transaction.atomic():
                counter = ReferenceCounter.objects.create(prefix=prefix, year=year)
        except IntegrityError:
            counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:06d}"


# Set by case_open itself, so not checked again by full_clean (each check would be a query).
_SET_BY_CASE_OPEN = ["reference", "customer", "tenancy", "property", "team", "assignee"]


@transaction.atomic
def case_open(
    *,
    model: type[CaseT],
    customer: Customer,
    received_by: str,
    status: str,
    actor: User | None = None,
    opened_at: dt.datetime | None = None,
    team: Team | None = None,
    note: str = "",
    **fields,
) -> CaseT:
    """Open a case of ``model`` for ``customer`` and write its OPENED event (customer-visible).

    Tenancy and property come from the customer's household. A customer with no household (an
    applicant) may open only a model that allows it (``case_allows_no_household``); for any
    other, ValidationError and nothing is written. The reference's year is the
    Europe/London year of ``opened_at``. ``fields`` are the model's own fields (an enquiry's
    subject and details); they are validated with the model's ``full_clean``.
    """
    opened_at = opened_at or timezone.now()
    if timezone.is_naive(opened_at):
        raise ValueError("opened_at must be timezone-aware.")
    tenancy = customer.tenancy
    if tenancy is None and not case_allows_no_household(model):
        raise ValidationError(
            f"A {model._meta.verbose_name} is about a home of ours, and {customer.full_name} "
            "has none with us."
        )
    case = model(
        reference=case_reference_next(
            prefix=model.REFERENCE_PREFIX, year=opened_at.astimezone(LONDON).year
        ),
        customer=customer,
        tenancy=tenancy,
        property_id=tenancy.property_id if tenancy is not None else None,
        received_by=received_by,
        status=status,
        team=team,
        opened_at=opened_at,
        **fields,
    )
    case.full_clean(exclude=_SET_BY_CASE_OPEN, validate_unique=False)
    case.save(force_insert=True)
    _event(
        case=case,
        kind=EventKind.OPENED,
        actor=actor,
        to_status=status,
        note=note,
        visible_to_customer=True,
        occurred_at=opened_at,
    ).save()
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to_status: str,
    allowed: dict[str, set[str]],
    actor: User | None = None,
    note: str = "",
    visible_to_customer: bool = True,
    closes: bool = False,
) -> CaseEvent:
    """Move ``case`` to ``to_status`` if ``allowed[current status]`` permits it.

    The row is locked and its status re-read first, so two officers acting at once cannot both
    move it from the same status. ``case`` is updated in place. Raises ``InvalidTransition``
    (nothing written) for a move the map does not allow.
    """
    locked = type(case)._default_manager.select_for_update().get(pk=case.pk)
    from_status = locked.status
    if to_status not in allowed.get(from_status, set()):
        raise InvalidTransition(
            f"{locked.reference} cannot move from '{from_status}' to '{to_status}'."
        )
    now = timezone.now()
    locked.status = to_status
    changed = ["status"]
    if closes:
        locked.closed_at = now
        changed.append("closed_at")
    locked.save(update_fields=changed)
    case.status = locked.status
    case.closed_at = locked.closed_at
    event = _event(
        case=case,
        kind=EventKind.STATUS,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_customer=visible_to_customer,
        occurred_at=now,
    )
    event.save()
    return event


@transaction.atomic
def case_add_note(
    *, case: Case, actor: User | None, note: str, visible_to_customer: bool
) -> CaseEvent:
    if not note.strip():
        raise ValidationError("Enter a note")
    event = _event(
        case=case,
        kind=EventKind.NOTE,
        actor=actor,
        note=note.strip(),
        visible_to_customer=visible_to_customer,
    )
    event.save()
    return event


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User | None = None, team: Team | None = None, actor: User | None
) -> CaseEvent | None:
    """Give the case to ``assignee`` (None: to nobody) and, if given, move it to ``team``.

    ``team=None`` keeps the current team. Writes an internal ASSIGNED event, or nothing (and
    returns None) when neither changes.
    """
    locked = (
        type(case)
        ._default_manager.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=case.pk)
    )
    new_team = team if team is not None else locked.team
    new_assignee_id = assignee.pk if assignee is not None else None
    if locked.assignee_id == new_assignee_id and locked.team_id == (new_team and new_team.pk):
        return None
    locked.assignee = assignee
    locked.team = new_team
    locked.save(update_fields=["assignee", "team"])
    case.assignee = assignee
    case.team = new_team
    note = f"Assigned to {_person(assignee)}"
    if new_team is not None:
        note += f" ({new_team.name})"
    event = _event(case=case, kind=EventKind.ASSIGNED, actor=actor, note=note)
    event.save()
    return event


@transaction.atomic
def case_link(
    *,
    from_case: Case,
    to_case: Case,
    relation: str = "about",
    actor: User | None = None,
    visible_to_customer: bool = False,
) -> CaseLink:
    """Link ``from_case`` to ``to_case`` ("a complaint about a repair") and write a LINKED event
    on each. Linking twice returns the first link and writes nothing.

    An event that names a sensitive case is never shown to a customer: the other case's
    household may include the person the sensitive case is about.
    """
    if type(from_case) is type(to_case) and from_case.pk == to_case.pk:
        raise ValueError("A case cannot be linked to itself.")
    from_type = ContentType.objects.get_for_model(from_case)
    to_type = ContentType.objects.get_for_model(to_case)
    keys = {
        "from_type": from_type,
        "from_id": from_case.pk,
        "to_type": to_type,
        "to_id": to_case.pk,
        "relation": relation,
    }
    existing = CaseLink.objects.filter(**keys).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            link = CaseLink.objects.create(**keys)
    except IntegrityError:
        return CaseLink.objects.get(**keys)
    shown = visible_to_customer and not (case_is_sensitive(from_case) or case_is_sensitive(to_case))
    CaseEvent.objects.bulk_create(
        [
            _event(
                case=from_case,
                kind=EventKind.LINKED,
                actor=actor,
                visible_to_customer=shown,
                note=f"This case is {relation} {to_case.reference}",
            ),
            _event(
                case=to_case,
                kind=EventKind.LINKED,
                actor=actor,
                visible_to_customer=shown,
                note=f"{from_case.reference} is {relation} this case",
            ),
        ]
    )
    return link
