"""What the clock engine did, on the case's timeline: met, extended, due soon, missed."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from casework.access import case_is_sensitive
from casework.models import Case, CaseEvent, EventKind
from casework.services.lifecycle import _event
from kernel.formatting import london_date, london_datetime
from notifications.services import StaffNotice, notify_customer, notify_staff_bulk
from sla.models import Deadline
from sla.services import ClaimedDeadline, deadline_extend, deadline_meet

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Deadlines: what the clock engine did, on the case's timeline
# ---------------------------------------------------------------------------------------------


def _check_deadline_belongs(case: Case, deadline: Deadline) -> None:
    content_type = ContentType.objects.get_for_model(case)
    if (deadline.content_type_id, deadline.object_id) != (content_type.pk, case.pk):
        raise ValueError(f"Deadline {deadline.pk} is not on {case.reference}.")


@transaction.atomic
def case_deadline_meet(
    *,
    case: Case,
    code: str,
    actor: User | None = None,
    met_at: dt.datetime | None = None,
    only: Deadline | None = None,
) -> list[Deadline]:
    """Meet the case's open ``code`` deadlines (sla; ``only`` that one of them) and write an
    internal DEADLINE_MET event for each, saying whether it was met on time."""
    met = deadline_meet(case=case, code=code, met_at=met_at, only=only)
    events = []
    for deadline in met:
        timing = "on time" if deadline.met_on_time else "late"
        events.append(
            _event(
                case=case,
                kind=EventKind.DEADLINE_MET,
                actor=actor,
                note=f"{deadline.commitment.title}: done {timing} (due {london_datetime(deadline.due_at)})",
                occurred_at=deadline.met_at,
            )
        )
    CaseEvent.objects.bulk_create(events)
    return met


@transaction.atomic
def case_deadline_extend(
    *,
    case: Case,
    deadline: Deadline,
    new_due_at: dt.datetime,
    reason: str,
    by: User,
    tell_customer: bool,
    customer_told_at: dt.datetime | None = None,
) -> Deadline:
    """Move a deadline to ``new_due_at`` for ``reason`` (sla), write a customer-visible
    DEADLINE_EXTENDED event with the new date and the reason, and, when ``tell_customer``,
    queue a message to the customer (sent to their safe contact if the case is sensitive).

    A service that sends its own notice (complaints: with the Ombudsman's details) passes
    ``tell_customer=False`` and the time its notice went as ``customer_told_at``."""
    _check_deadline_belongs(case, deadline)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter the reason for the new date")
    told_at = timezone.now() if tell_customer else customer_told_at
    deadline = deadline_extend(
        deadline=deadline, new_due_at=new_due_at, reason=reason, by=by, customer_told_at=told_at
    )
    commitment = deadline.commitment
    new_date = london_date(deadline.due_at)
    _event(
        case=case,
        kind=EventKind.DEADLINE_EXTENDED,
        actor=by,
        note=f"New date for '{commitment.title}': {new_date}. Reason: {reason}",
        visible_to_customer=True,
    ).save()
    if tell_customer:
        extensions = CaseEvent.objects.filter(
            content_type_id=deadline.content_type_id,
            object_id=case.pk,
            kind=EventKind.DEADLINE_EXTENDED,
        ).count()
        notify_customer(
            customer=case.customer,
            subject=f"We need more time: {case.reference}",
            body=(
                f"We are sorry, we need more time for your case {case.reference}.\n\n"
                f"{commitment.title}: we will now do this by {new_date}.\n\n"
                f"Why: {reason}"
            ),
            key=f"deadline:{deadline.pk}:extended:{extensions}",
            about=case,
            sensitive=case_is_sensitive(case),
        )
    return deadline


# Stands for the case's id while its admin address is reversed once per case model.
_PK_PLACEHOLDER = "case-pk"
_OPEN_THE_CASE = "\n\nOpen the case: "


def _staff_link_maker(model: type[Case]) -> Callable[[int], str]:
    """The "Open the case" line of an escalation email for a case of ``model``, by id.

    The admin address is reversed once per model and the id put in its place: reversing it for
    each of a sweep's thousands of cases cost more than everything else the handler did. An
    address whose pattern will not take the placeholder is reversed case by case.
    """
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
    try:
        path = reverse(name, args=[_PK_PLACEHOLDER])
    except NoReverseMatch:
        return partial(_staff_link, name)
    before, _, after = path.partition(_PK_PLACEHOLDER)
    return lambda pk: f"{_OPEN_THE_CASE}{settings.SITE_URL}{before}{pk}{after}"


def _staff_link(name: str, pk: int) -> str:
    try:
        path = reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
    return f"{_OPEN_THE_CASE}{settings.SITE_URL}{path}"


class _Escalation(NamedTuple):
    """What one claimed deadline writes, before its case is joined in: the event's note, and
    the email's subject and body around the case's reference (``<head><reference><tail>`` and
    ``<reference><tail><link>``), so the database can fill in the case."""

    deadline_id: int
    case_id: int
    occurred_at: dt.datetime
    note: str
    subject_tail: str
    body_tail: str
    link: str


def _escalations(
    group: list[ClaimedDeadline],
    *,
    kind: str,
    now: dt.datetime,
    due_texts: dict,
    link: Callable[[int], str],
) -> list[_Escalation]:
    rows = []
    for deadline in group:
        due = due_texts.get(deadline.due_at)
        if due is None:
            # Many clocks fall due at the same close of day: format each due time once.
            due = due_texts[deadline.due_at] = london_datetime(deadline.due_at)
        title = deadline.commitment.title
        if kind == EventKind.DEADLINE_BREACHED:
            note = f"Missed: {title} was due {due}"
            occurred_at = deadline.marked_at
            body_tail = f": '{title}' was due {due} and is now overdue."
        else:
            note = f"Due soon: {title} is due {due}"
            occurred_at = now
            body_tail = f": '{title}' is due {due}."
        rows.append(
            _Escalation(
                deadline_id=deadline.pk,
                case_id=deadline.object_id,
                occurred_at=occurred_at,
                note=note,
                subject_tail=f" {title}",
                body_tail=body_tail,
                link=link(deadline.object_id),
            )
        )
    return rows


_SUBJECT_HEADS: dict[str, str] = {
    EventKind.DEADLINE_BREACHED: "Overdue: ",
    EventKind.DEADLINE_WARNING: "Due soon: ",
}


def _escalate(deadlines: Iterable[ClaimedDeadline], *, kind: str, key_word: str) -> None:
    """One internal event per deadline and one email each to the case's assignee and its team's
    lead (once if they are the same person; only if active with an email address).

    Called inside the sweep's transaction with the rows it just claimed, so it costs a fixed
    number of queries per batch however many deadlines there are: the cases are read once per
    case model and the rows written through ``bulk_create`` and ``notify_staff_bulk``, the same
    statements on every database (docs/decisions/0012-one-statement-per-rule.md). The emails
    are idempotent on their keys and delivery is kicked once on commit. If anything raises, the
    sweep's marks roll back with the events and emails, and the next sweep escalates the batch
    again.
    """
    by_type: dict[int, list[ClaimedDeadline]] = defaultdict(list)
    for deadline in deadlines:
        by_type[deadline.content_type_id].append(deadline)
    now = timezone.now()
    due_texts: dict[dt.datetime, str] = {}
    for content_type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Case):
            # A service app may keep clocks on records that are not cases (a safety check of a
            # home): it says so with ``ESCALATED_BY_ITS_APP`` and registers its own handler.
            if not getattr(model, "ESCALATED_BY_ITS_APP", False):
                logger.error(
                    "Deadlines %s are on %s, which is not a case.", [d.pk for d in group], model
                )
            continue
        rows = _escalations(
            group, kind=kind, now=now, due_texts=due_texts, link=_staff_link_maker(model)
        )
        _escalate_cases(model, content_type_id, rows, kind=kind, key_word=key_word)


def _escalate_cases(
    model: type[Case], content_type_id: int, rows: list[_Escalation], *, kind: str, key_word: str
) -> None:
    user_model = model._meta.get_field("assignee").related_model
    staff: dict[int, Any] = {}

    def member(user_id: int | None, email: str | None, is_active: bool | None) -> Any:
        # Only what a message needs (its id and address), once per person.
        if user_id is None or not email or not is_active:
            return None
        if user_id not in staff:
            staff[user_id] = user_model(pk=user_id, email=email)
        return staff[user_id]

    cases = {}
    for pk, reference, tenancy_id, *people in model._default_manager.filter(
        pk__in={row.case_id for row in rows}
    ).values_list(
        "pk",
        "reference",
        "tenancy_id",
        "assignee_id",
        "assignee__email",
        "assignee__is_active",
        "team__lead_id",
        "team__lead__email",
        "team__lead__is_active",
    ):
        told = [member(*people[:3]), member(*people[3:])]
        cases[pk] = (reference, tenancy_id, {u.pk: u for u in told if u is not None})
    events: list[CaseEvent] = []
    notices: list[StaffNotice] = []
    for row in rows:
        case = cases.get(row.case_id)
        if case is None:
            logger.error("Deadline %s is on a case that no longer exists.", row.deadline_id)
            continue
        reference, tenancy_id, recipients = case
        events.append(
            CaseEvent(
                content_type_id=content_type_id,
                object_id=row.case_id,
                tenancy_id=tenancy_id,
                occurred_at=row.occurred_at,
                kind=kind,
                note=row.note,
                visible_to_customer=False,
            )
        )
        about = model(pk=row.case_id)  # type: ignore[misc]  # concrete case models have a pk
        notices.extend(
            StaffNotice(
                user=user,
                subject=f"{_SUBJECT_HEADS[kind]}{reference}{row.subject_tail}"[:200],
                body=f"{reference}{row.body_tail}{row.link}",
                key=f"deadline:{row.deadline_id}:{key_word}:{user.pk}",
                about=about,
            )
            for user in recipients.values()
        )
    CaseEvent.objects.bulk_create(events)
    if notices:
        notify_staff_bulk(items=notices)


@transaction.atomic
def case_deadlines_breached(deadlines: list[ClaimedDeadline]) -> None:
    """Breach handler for the sla sweep: record and escalate newly missed deadlines."""
    _escalate(deadlines, kind=EventKind.DEADLINE_BREACHED, key_word="breach")


@transaction.atomic
def case_deadlines_due_soon(deadlines: list[ClaimedDeadline]) -> None:
    """Warning handler for the sla sweep: record and tell the owners of deadlines due soon."""
    _escalate(deadlines, kind=EventKind.DEADLINE_WARNING, key_word="warning")
