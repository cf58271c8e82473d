"""Reads for the staff workspace: my work across every case type, and a household's whole
picture.

Every case type comes from the case kernel's registry (``casework.access``) and every read of a
case model goes through ``staff_cases``, so a new service area appears here as soon as it
registers its model, and a case the reader may not see (a sensitive one, above all) is left out
of every list and count: its existence is not hinted at.

The queue is read one query per case model, each already sorted by the case's earliest clock
(``Case.next_due_at``, kept by the sla services) and cut to the page, then merged; the clocks
shown and the hand-overs are read for the page's cases only. The cost of a page is a fixed
number of queries whatever the size of the queue, and nothing counts the whole table.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from casework.access import (
    CaseModelEntry,
    entry_for_reference,
    registered_case_models,
    staff_can_see_model,
    staff_cases,
)
from casework.models import Case, CaseEvent, EventKind, ReceivedBy, Team
from casework.selectors import ClockState, clock_state
from kernel.formatting import LONDON
from kernel.roles import Role, role_group_names, user_roles
from notifications.models import WITHHELD, Message
from sla.models import Deadline
from tenancy.models import Customer, Tenancy
from tenancy.selectors import customer_search

# Staff choose how many rows a page of their queue shows.
PAGE_SIZES = (25, 50)
DEFAULT_PAGE_SIZE = 50
# Beyond this a queue is narrowed with its filters, not paged through: each page reads every
# row before it from each case model, so the cost of page N grows with N.
LAST_PAGE = 40


class Scope(enum.StrEnum):
    MINE = "mine"
    TEAM = "team"
    UNASSIGNED = "unassigned"


SCOPE_LABELS = {
    Scope.MINE: "Assigned to me",
    Scope.TEAM: "My team",
    Scope.UNASSIGNED: "Unassigned in my team",
}


class DueWhen(enum.StrEnum):
    ANY = ""
    OVERDUE = "overdue"
    TODAY = "today"


DUE_LABELS = {DueWhen.ANY: "Any time", DueWhen.OVERDUE: "Overdue", DueWhen.TODAY: "Due today"}


@dataclass
class Handover:
    """How the case came to this team: who passed it on, when, and why."""

    by: str
    at: dt.datetime
    what: str
    why: str = ""


@dataclass
class WorkRow:
    entry: CaseModelEntry
    case: Case
    clock_name: str = ""
    state: ClockState = ClockState.NO_CLOCK
    handover: Handover | None = None

    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def kind(self) -> str:
        return str(self.entry.model._meta.verbose_name).capitalize()

    @property
    def title(self) -> str:
        return self.case.display_title

    @property
    def status(self) -> str:
        return self.entry.status_label(self.case.status)

    @property
    def due_at(self) -> dt.datetime | None:
        return self.case.next_due_at

    @property
    def admin_url(self) -> str:
        return case_admin_url(self.entry, self.case.pk)


def case_admin_url(entry: CaseModelEntry, pk: int) -> str:
    """The case's own admin page. The admin's change URL is its changelist's followed by
    ``<pk>/change/``; the changelist's is resolved once per model, not once per row (a
    household's page lists hundreds of cases)."""
    return f"{_changelist_url(entry.model)}{pk}/change/"


@functools.cache
def _changelist_url(model: type[Case]) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


@dataclass
class WorkPage:
    rows: list[WorkRow]
    number: int
    page_size: int
    has_next: bool
    case_types: list[str] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _start_of_local_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def my_team_ids(user) -> list[int]:
    """The teams whose role this member of staff holds."""
    roles = [r.value for r in user_roles(user)]
    if not roles:
        return []
    return list(Team.objects.filter(role__in=roles).values_list("pk", flat=True))


def _queue_order() -> tuple:
    # As the case changelists: the soonest clock first, cases with no clock last, oldest first.
    return (F("next_due_at").asc(nulls_last=True), "opened_at", "pk")


def _scoped(
    cases: QuerySet, *, user, scope: Scope, due: DueWhen, team_ids: list[int], now: dt.datetime
) -> QuerySet:
    cases = cases.filter(closed_at__isnull=True)
    if scope is Scope.MINE:
        cases = cases.filter(assignee=user)
    elif scope is Scope.TEAM:
        cases = cases.filter(team_id__in=team_ids)
    else:
        cases = cases.filter(team_id__in=team_ids, assignee__isnull=True)
    if due is DueWhen.OVERDUE:
        cases = cases.filter(next_due_at__lte=now)
    elif due is DueWhen.TODAY:
        today = now.astimezone(LONDON).date()
        cases = cases.filter(
            next_due_at__gte=_start_of_local_day(today),
            next_due_at__lt=_start_of_local_day(today + dt.timedelta(days=1)),
        )
    return cases


def _sort_key(row: WorkRow) -> tuple:
    case = row.case
    return (
        case.next_due_at is None,
        case.next_due_at or case.opened_at,
        case.opened_at,
        row.entry.prefix,
        case.pk,
    )


def my_work(
    user,
    *,
    scope: Scope = Scope.MINE,
    due: DueWhen = DueWhen.ANY,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> WorkPage:
    """One page of the open cases of every type this member of staff may see, in ``scope``,
    soonest clock first, each with the name and state of that clock and, if it was passed to
    this team, who passed it on and why.

    Queries: the teams, one per case model the reader may see, the clocks and the hand-overs:
    the same number for a queue of ten cases or of a million."""
    page = min(max(page, 1), LAST_PAGE)
    page_size = page_size if page_size in PAGE_SIZES else DEFAULT_PAGE_SIZE
    now = timezone.now()
    team_ids = my_team_ids(user) if scope is not Scope.MINE else []
    stop = page * page_size + 1  # one more than the page, to know whether another follows
    rows: list[WorkRow] = []
    case_types = []
    for entry in registered_case_models():
        cases = staff_cases(user, entry.model)
        if cases.query.is_empty():
            continue
        case_types.append(str(entry.model._meta.verbose_name_plural))
        if scope is not Scope.MINE and not team_ids:
            continue
        cases = _scoped(cases, user=user, scope=scope, due=due, team_ids=team_ids, now=now)
        cases = cases.select_related("customer", "team", "assignee").order_by(*_queue_order())
        rows.extend(WorkRow(entry=entry, case=case) for case in cases[:stop])
    rows.sort(key=_sort_key)
    start = (page - 1) * page_size
    shown = rows[start : start + page_size]
    _add_clocks(shown, now=now)
    _add_handovers(shown)
    return WorkPage(
        rows=shown,
        number=page,
        page_size=page_size,
        has_next=len(rows) > start + page_size and page < LAST_PAGE,
        case_types=case_types,
    )


def _case_keys(rows: Sequence[WorkRow]) -> tuple[dict[type, int], Q]:
    """The content type of each case model in ``rows`` and a filter naming exactly their cases
    (one ``object_id IN`` per model, so the case indexes answer it)."""
    if not rows:
        return {}, Q(pk__in=[])
    models_in = {type(row.case) for row in rows}
    types: dict[type, int] = {
        m: ct.pk for m, ct in ContentType.objects.get_for_models(*models_in).items()
    }
    which = Q()
    for model in models_in:
        ids = [row.case.pk for row in rows if type(row.case) is model]
        which |= Q(content_type_id=types[model], object_id__in=ids)
    return types, which


def _add_clocks(rows: Sequence[WorkRow], *, now: dt.datetime) -> None:
    """Each row's clock: the step still to do that the case is due at (``Case.next_due_at``'s
    rule, ``Deadline.objects.still_to_do``), its name and state. One query for the page."""
    types, which = _case_keys([row for row in rows if row.case.next_due_at is not None])
    if not types:
        return
    earliest: dict[tuple[int, int], Deadline] = {}
    deadlines = (
        Deadline.objects.still_to_do()
        .filter(which)
        .select_related("commitment")
        .only("content_type_id", "object_id", "due_at", "warn_at", "commitment__title")
        .order_by("due_at", "pk")
    )
    for deadline in deadlines:
        earliest.setdefault((deadline.content_type_id, deadline.object_id), deadline)
    for row in rows:
        if row.case.next_due_at is None:
            continue
        found = earliest.get((types[type(row.case)], row.case.pk))
        row.clock_name = found.commitment.title if found else ""
        row.state = clock_state(
            row.case.next_due_at, warn_at=found.warn_at if found else None, now=now
        )


# The events that pass a case from one team or officer to another, and the internal note that
# says why (an enquiry's referral writes the assignment, then the officer's reason).
_HANDOVER_KINDS = (EventKind.ASSIGNED, EventKind.LINKED)
_RECENT_EVENTS_PER_CASE = 4


def _add_handovers(rows: Sequence[WorkRow]) -> None:
    """For each row, the latest hand-over of the case to a team (a referral, a case opened
    about another) with who did it and the note they wrote, if the case's current team got it
    from someone. One query for the page: each case's few latest internal events."""
    types, which = _case_keys(rows)
    if not types:
        return
    events = (
        CaseEvent.objects.filter(which)
        .filter(Q(kind__in=_HANDOVER_KINDS) | Q(kind=EventKind.NOTE, visible_to_customer=False))
        .annotate(
            recent=Window(
                RowNumber(),
                partition_by=[F("content_type_id"), F("object_id")],
                order_by=[F("occurred_at").desc(), F("pk").desc()],
            )
        )
        .filter(recent__lte=_RECENT_EVENTS_PER_CASE)
        .select_related("actor")
        .order_by("content_type_id", "object_id", "occurred_at", "pk")
    )
    by_case: dict[tuple[int, int], list[CaseEvent]] = {}
    for event in events:
        by_case.setdefault((event.content_type_id, event.object_id), []).append(event)
    for row in rows:
        events_of_case = by_case.get((types[type(row.case)], row.case.pk), [])
        row.handover = handover_from_events(events_of_case, holder_id=row.case.assignee_id)


def handover_from_events(events: Iterable[CaseEvent], *, holder_id: int | None) -> Handover | None:
    """The latest hand-over among a case's events, oldest first: a link to another case (a
    complaint about a repair, a hazard found in a complaint), or an assignment made by someone
    other than the officer now holding the case (a referral to a team, a case given to a
    colleague), with the internal note its actor wrote after it. An officer taking a case
    themselves hands nothing over."""
    handover: Handover | None = None
    for event in events:
        passed_on = event.kind == EventKind.LINKED or (
            event.kind == EventKind.ASSIGNED and event.actor_id not in (None, holder_id)
        )
        if passed_on:
            handover = Handover(by=_person(event.actor), at=event.occurred_at, what=event.note)
            handover_actor_id = event.actor_id
        elif (
            handover is not None
            and event.kind == EventKind.NOTE
            and event.actor_id == handover_actor_id
        ):
            handover.why = event.note
    return handover


def _person(user) -> str:
    if user is None:
        return "the portal"
    return user.get_full_name() or user.email


def assignable_colleagues(user) -> list:
    """Who this member of staff may give cases to: active staff who share one of their team
    roles (a manager may give to anyone on staff), themselves included."""
    roles = user_roles(user)
    people = get_user_model().objects.filter(is_active=True, is_staff=True)
    if not (user.is_superuser or Role.MANAGER in roles):
        names = role_group_names(roles - {Role.MANAGER})
        people = people.filter(Q(groups__name__in=names) | Q(pk=user.pk))
    return list(people.distinct().order_by("first_name", "last_name", "email")[:200])


# -- the customer's whole picture --------------------------------------------------------------


@dataclass
class HouseholdCase:
    entry: CaseModelEntry
    case: Case
    clock_name: str = ""
    state: ClockState = ClockState.NO_CLOCK

    @property
    def kind(self) -> str:
        return str(self.entry.model._meta.verbose_name).capitalize()

    @property
    def status(self) -> str:
        return self.entry.status_label(self.case.status)

    @property
    def admin_url(self) -> str:
        return case_admin_url(self.entry, self.case.pk)

    @property
    def received_by(self) -> str:
        return str(ReceivedBy(self.case.received_by).label) if self.case.received_by else ""


@dataclass
class HouseholdPicture:
    tenancy: Tenancy
    people: list[Customer]
    cases: list[HouseholdCase]
    messages: list[Message]
    sensitive_cases: list[Case]

    @property
    def open_cases(self) -> list[HouseholdCase]:
        return [c for c in self.cases if c.case.closed_at is None]

    @property
    def closed_cases(self) -> list[HouseholdCase]:
        return [c for c in self.cases if c.case.closed_at is not None]

    def closed_cases_shown(self, *, every_one: bool) -> list[HouseholdCase]:
        """The latest closed cases, or every one when asked: most of a busy household's cases
        are closed, and drawing them all cost most of the page's time."""
        closed = self.closed_cases
        return closed if every_one else closed[:CLOSED_CASES_SHOWN]

    @property
    def recent_contacts(self) -> list[HouseholdCase]:
        """The latest times the household got in touch (or we logged a contact), newest first:
        each case opened, with the way it reached us."""
        return sorted(self.cases, key=lambda c: c.case.opened_at, reverse=True)[:10]

    @property
    def people_with_confidential_notes(self) -> list[Customer]:
        """The people whose vulnerability or safe-contact notes the page shows: each showing is
        a logged read of that person's record."""
        return [person for person in self.people if person.has_confidential_notes]

    @property
    def adjustments_first(self) -> list[Customer]:
        return sorted(self.people, key=lambda p: not p.has_reasonable_adjustments)


# Enough for any real household (the busiest have a few hundred cases); a bound, not a page.
HOUSEHOLD_CASES_LIMIT = 500
RECENT_MESSAGES = 10
CLOSED_CASES_SHOWN = 25


def access_tenancy_for_staff(tenancy_id: int) -> Tenancy | None:
    return Tenancy.objects.select_related("property").filter(pk=tenancy_id).first()


def household_picture(user, tenancy: Tenancy) -> HouseholdPicture:
    """Everything about one household a member of staff needs on a call, limited to what their
    role may see: the people (reasonable adjustments first), every case of every type they may
    see with its status and next clock, the latest messages and contacts.

    A case model the reader may not see (a sensitive one, for anyone outside its team) is not
    read at all, so nothing on the page, not even a count, shows that such a case exists."""
    now = timezone.now()
    people = list(tenancy.customers.order_by("household_role", "last_name", "first_name"))
    cases: list[HouseholdCase] = []
    sensitive: list[Case] = []
    for entry in registered_case_models():
        visible = staff_cases(user, entry.model)
        if visible.query.is_empty():
            continue
        found = list(
            visible.filter(tenancy=tenancy)
            .select_related("customer")
            .order_by("-opened_at", "-pk")[:HOUSEHOLD_CASES_LIMIT]
        )
        cases.extend(HouseholdCase(entry=entry, case=case) for case in found)
        if entry.reads_logged:
            sensitive.extend(found)
    cases.sort(key=lambda c: c.case.opened_at, reverse=True)
    cases.sort(key=lambda c: c.case.closed_at is not None)
    _add_household_clocks(cases, now=now)
    return HouseholdPicture(
        tenancy=tenancy,
        people=people,
        cases=cases,
        messages=_recent_messages(user, tenancy),
        sensitive_cases=sensitive,
    )


def _add_household_clocks(cases: list[HouseholdCase], *, now: dt.datetime) -> None:
    rows = [
        WorkRow(entry=c.entry, case=c.case)
        for c in cases
        if c.case.closed_at is None and c.case.next_due_at is not None
    ]
    _add_clocks(rows, now=now)
    by_case = {(type(r.case), r.case.pk): r for r in rows}
    for c in cases:
        row = by_case.get((type(c.case), c.case.pk))
        if row is not None:
            c.clock_name, c.state = row.clock_name, row.state


def _recent_messages(user, tenancy: Tenancy) -> list[Message]:
    """The household's latest messages, without those about a case the reader may not see, and
    without messages about a sensitive matter unless the reader works every sensitive case
    model (decisions 0003 and 0004)."""
    registered = registered_case_models()
    hidden = [e.model for e in registered if not staff_can_see_model(user, e.model)]
    sensitive = [e for e in registered if e.sensitive]
    may_read_sensitive = bool(sensitive) and all(
        staff_can_see_model(user, e.model) for e in sensitive
    )
    messages = Message.objects.filter(customer__tenancy=tenancy).select_related("customer")
    if hidden:
        hidden_types = ContentType.objects.get_for_models(*hidden).values()
        messages = messages.exclude(about_type__in=[ct.pk for ct in hidden_types])
    if not may_read_sensitive:
        # A withheld message would tell them someone here asked for a safe contact.
        messages = messages.exclude(is_sensitive=True).exclude(WITHHELD)
    return list(messages.order_by("-created_at", "-pk")[:RECENT_MESSAGES])


# -- find a customer ---------------------------------------------------------------------------


@dataclass
class FoundCase:
    entry: CaseModelEntry
    case: Case


def find_case_for_staff(user, reference: str) -> FoundCase | None:
    """The case with this reference if this member of staff may see it; None otherwise, the
    same answer as for a reference that does not exist."""
    reference = reference.strip().upper()
    entry = entry_for_reference(reference)
    if entry is None:
        return None
    case = staff_cases(user, entry.model).filter(reference=reference).first()
    return FoundCase(entry=entry, case=case) if case is not None else None


def find_customers(query: str) -> list[Customer]:
    """Customers by tenancy reference, postcode, email or name (``tenancy.customer_search``),
    applicants with no household included."""
    return customer_search(query, applicants=True)
