"""Reads of cases across every registered case model, scoped to what the reader may see.

Sensitive case models (domestic abuse, hate crime) appear only for the customer who reported
them (``viewer``), never for the rest of the household; without a viewer they are left out.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Expression, OuterRef, Q, QuerySet, Subquery

from casework.access import CaseModelEntry, entry_for_model, registered_case_models
from casework.models import Attachment, Case, CaseEvent, CaseLink, EventKind, SensitiveCaseRead
from kernel import personal_data
from kernel.formatting import LONDON
from sla.models import Deadline
from tenancy.models import Customer, Tenancy


@dataclass(frozen=True)
class CaseSummary:
    reference: str
    title: str
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    due_at: dt.datetime | None
    url: str

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def as_dict(self) -> dict:
        return {
            "reference": self.reference,
            "title": self.title,
            "status": self.status,
            "due_at": self.due_at,
            "url": self.url,
        }


def summarise_case(case: Case, entry: CaseModelEntry | None = None) -> CaseSummary:
    entry = entry or entry_for_model(type(case))
    return CaseSummary(
        reference=case.reference,
        title=case.display_title,
        status=entry.status_label(case.status) if entry else case.status,
        opened_at=case.opened_at,
        closed_at=case.closed_at,
        due_at=case.next_due_at if case.closed_at is None else None,
        url=entry.url_for(case.reference) if entry else "",
    )


def _household_cases(
    entry: CaseModelEntry, tenancy: Tenancy, viewer: Customer | None
) -> QuerySet[Case] | None:
    cases = entry.model._default_manager.filter(tenancy=tenancy)
    if entry.requester_only:
        if viewer is None:
            return None
        cases = cases.filter(customer=viewer)
    return cases


class HouseholdCases:
    """The household's cases of every registered model, newest first, as a sequence that
    Django's ``Paginator`` can page through: counting costs one COUNT a model, and a slice reads
    the newest ``stop`` cases of each model (one query a model) and merges them."""

    def __init__(
        self, tenancy: Tenancy | None, *, viewer: Customer | None, open_only: bool = False
    ):
        self._cases = []
        if tenancy is None:
            # No household (an applicant): none, never every case without one.
            return
        for entry in registered_case_models():
            cases = _household_cases(entry, tenancy, viewer)
            if cases is None:
                continue
            if open_only:
                cases = cases.filter(closed_at__isnull=True)
            self._cases.append((entry, cases.order_by("-opened_at", "-id")))

    def count(self) -> int:
        return sum(cases.count() for _entry, cases in self._cases)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[CaseSummary]:
        if not isinstance(index, slice) or index.stop is None:
            raise TypeError("Household cases are read a page at a time: slice with an end.")
        start, stop = index.start or 0, index.stop
        rows: list[CaseSummary] = []
        for entry, cases in self._cases:
            rows.extend(summarise_case(case, entry) for case in cases[:stop])
        rows.sort(key=lambda s: s.opened_at, reverse=True)
        return rows[start:stop]


def open_cases_for_household(
    tenancy: Tenancy | None, *, viewer: Customer | None = None, limit: int = 20
) -> list[CaseSummary]:
    """The household's open cases of every registered model, newest first; one query a model."""
    return HouseholdCases(tenancy, viewer=viewer, open_only=True)[:limit]


def cases_for_household(
    tenancy: Tenancy | None, *, viewer: Customer | None = None, limit: int = 100
) -> list[CaseSummary]:
    """Open and closed cases of the household, newest first; one query a model."""
    return HouseholdCases(tenancy, viewer=viewer)[:limit]


def open_case_summaries_for_customer(customer: Customer, *, limit: int = 20) -> list[dict]:
    """For the "Your home" page: the household's open cases as
    ``{reference, title, status, due_at, url}`` dicts, newest first."""
    return [
        s.as_dict()
        for s in open_cases_for_household(customer.tenancy, viewer=customer, limit=limit)
    ]


def events_of_case(
    *, content_type_id: int, object_id: int | Expression, customer_view: bool
) -> QuerySet[CaseEvent]:
    """One case's events; the customer's view holds only events meant for them. ``object_id``
    may be an expression, for a read that compiles this into its own SQL (a repair's page)."""
    events = CaseEvent.objects.filter(content_type_id=content_type_id, object_id=object_id)
    if customer_view:
        return events.filter(visible_to_customer=True)
    return events


def timeline_for_case(case: Case, customer_view: bool) -> QuerySet[CaseEvent]:
    """The case's events, oldest first; the customer's view holds only events meant for them."""
    events = events_of_case(
        content_type_id=ContentType.objects.get_for_model(case).pk,
        object_id=case.pk,
        customer_view=customer_view,
    )
    return events if customer_view else events.select_related("actor")


def household_timeline(
    tenancy: Tenancy | None, *, viewer: Customer | None = None, limit: int = 50
) -> list[CaseEvent]:
    """The customer-visible events of every case of the household, newest first; none without
    a household (an applicant's events are read by case, never as every event with no
    household).

    Each event's ``case`` is loaded with one query per case model. Events of sensitive cases
    (and of other requester-only ones) are included only for ``viewer``'s own.
    """
    if tenancy is None:
        return []
    events = CaseEvent.objects.filter(tenancy=tenancy, visible_to_customer=True)
    sensitive = [e for e in registered_case_models() if e.requester_only]
    if sensitive:
        types = ContentType.objects.get_for_models(*(e.model for e in sensitive))
        hidden = Q()
        for entry in sensitive:
            content_type = types[entry.model]
            own = (
                entry.model._default_manager.filter(customer=viewer).values("pk")
                if viewer is not None
                else entry.model._default_manager.none().values("pk")
            )
            hidden |= Q(content_type=content_type) & ~Q(object_id__in=own)
        events = events.exclude(hidden)
    return list(events.order_by("-occurred_at", "-id").prefetch_related("case")[:limit])


def attachments_of_case(
    *, content_type_id: int, object_id: int | Expression, customer_view: bool
) -> QuerySet[Attachment]:
    """One case's files, oldest first; the customer's view holds only files they may see.
    ``object_id`` may be an expression, as for ``events_of_case``."""
    attachments = Attachment.objects.filter(content_type_id=content_type_id, object_id=object_id)
    if customer_view:
        attachments = attachments.filter(visible_to_customer=True)
    return attachments.order_by("uploaded_at", "id")


def attachments_for_case(case: Case, customer_view: bool) -> QuerySet[Attachment]:
    return attachments_of_case(
        content_type_id=ContentType.objects.get_for_model(case).pk,
        object_id=case.pk,
        customer_view=customer_view,
    )


def access_attachment(case: Case, attachment_id: int, *, customer_view: bool) -> Attachment | None:
    return attachments_for_case(case, customer_view).filter(pk=attachment_id).first()


def steps_still_to_do(
    *, content_type_id: int, object_id: int | Expression | OuterRef
) -> QuerySet[Deadline]:
    """One case's steps still to do, soonest first: its clocks neither met nor paused, overdue
    ones included (``sla.models.STILL_TO_DO``, the rule of ``Case.next_due_at``). ``object_id``
    may be an expression, as for ``events_of_case``."""
    return (
        Deadline.objects.still_to_do()
        .filter(content_type_id=content_type_id, object_id=object_id)
        .order_by("due_at", "pk")
    )


def open_deadlines_for_case(case: Case) -> QuerySet[Deadline]:
    """The steps still to do, soonest first (``steps_still_to_do``)."""
    return steps_still_to_do(
        content_type_id=ContentType.objects.get_for_model(case).pk, object_id=case.pk
    ).select_related("commitment")


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: dt.datetime
    heading: str
    note: str


_CUSTOMER_HEADINGS = {
    "opened": "We received your request",
    "note": "Update",
    "attachment": "File added",
    "deadline_extended": "New date",
    "deadline_met": "Done",
    "linked": "Linked to another case",
    "message": "Message sent",
    "assigned": "Passed to an officer",
}


# What a customer's timeline reads of each event (``customer_timeline_from_rows``).
CUSTOMER_TIMELINE_COLUMNS = ("occurred_at", "kind", "to_status", "note")


def customer_timeline(case: Case) -> list[TimelineEntry]:
    """The customer-visible history of one case, oldest first, in the customer's words."""
    # Read as values: every customer case page shows its history, and building an event
    # instance per row cost more than the query.
    rows = timeline_for_case(case, customer_view=True).values_list(*CUSTOMER_TIMELINE_COLUMNS)
    return customer_timeline_from_rows(type(case), rows)


def customer_timeline_from_rows(
    model: type[Case], rows: Iterable[tuple[dt.datetime, str, str, str]]
) -> list[TimelineEntry]:
    """``customer_timeline`` of a case of ``model`` from its customer-visible events, read
    elsewhere as ``CUSTOMER_TIMELINE_COLUMNS`` tuples, oldest first."""
    entry = entry_for_model(model)
    kinds = dict(EventKind.choices)
    entries = []
    for occurred_at, kind, to_status, note in rows:
        if kind == "status":
            label = entry.status_label(to_status) if entry else to_status
            heading = f"Status: {label}"
        else:
            heading = _CUSTOMER_HEADINGS.get(kind, str(kinds.get(kind, kind)))
        entries.append(TimelineEntry(occurred_at=occurred_at, heading=heading, note=note))
    return entries


class ClockState(enum.StrEnum):
    """Red, amber or green for the clock a case is due at; every page shows the word with the
    colour, never the colour alone."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ON_TRACK = "on_track"
    NO_CLOCK = "no_clock"

    @property
    def label(self) -> str:
        return _CLOCK_STATE_LABELS[self]


_CLOCK_STATE_LABELS = {
    ClockState.OVERDUE: "Overdue",
    ClockState.DUE_SOON: "Due soon",
    ClockState.ON_TRACK: "On track",
    ClockState.NO_CLOCK: "No clock",
}


def clock_state(
    due_at: dt.datetime | None, *, warn_at: dt.datetime | None, now: dt.datetime
) -> ClockState:
    """Overdue once the due moment has passed; due soon on the Europe/London day it falls due or
    once inside the commitment's warning window (``Deadline.warn_at``); on track otherwise."""
    if due_at is None:
        return ClockState.NO_CLOCK
    if due_at <= now:
        return ClockState.OVERDUE
    tomorrow = dt.datetime.combine(
        now.astimezone(LONDON).date() + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON
    )
    if due_at < tomorrow or (warn_at is not None and warn_at <= now):
        return ClockState.DUE_SOON
    return ClockState.ON_TRACK


def with_next_warn_at(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` annotated with ``next_warn_at``: the warning moment of the clock each is due at
    (the earliest step still to do), read for the rows returned only."""
    model = cases.model
    clocks = steps_still_to_do(
        content_type_id=ContentType.objects.get_for_model(model).pk, object_id=OuterRef("pk")
    )
    return cases.annotate(next_warn_at=Subquery(clocks.values("warn_at")[:1]))


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "casework.CaseEvent": "every event on the person's cases, for the customer and internal",
        "casework.Attachment": "every file on the person's cases, the original file included",
        "casework.CaseLink": "which of their cases is about which (another household's case is "
        "never named)",
        "casework.SensitiveCaseRead": "who on our staff opened their sensitive cases, or was "
        "shown their vulnerability and safe-contact notes, and when",
        "sla.Deadline": "the clocks on the person's cases: started, due, met, paused, extended",
    },
    holds_none={
        "casework.Team": "a team and its lead: staff, not customers",
        "casework.ReferenceCounter": "the last case number used each year",
        "sla.Commitment": "the catalogue of promises",
        "sla.ClosureDay": "days the office is shut",
        "sla.ClaimedBatch": "ids of clocks the sweep is handing over, for minutes",
    },
)


# A case reference as ``casework.services.case_reference_next`` writes it.
_CASE_REFERENCE = re.compile(r"\b[A-Z]{2,10}-[0-9]{4}-[0-9]{6}\b")


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or "A member of staff"


def personal_data_for(customer: Customer) -> personal_data.Part:
    """What every case of this person shares, across every registered case model: events
    (internal ones too: the right of access covers them), clocks, files, links between cases and
    the record of staff who opened them. The case rows themselves are each app's part.

    Only cases whose ``customer`` is this person: another household's case is never read here,
    even one linked to theirs."""
    records: list[personal_data.Record] = []
    files: list[personal_data.File] = []
    ours: set[tuple[int, int]] = set()
    cases_by_entry = []
    for entry in registered_case_models():
        ids = list(
            entry.model._default_manager.filter(customer=customer).values_list("pk", "reference")
        )
        if ids:
            cases_by_entry.append((entry, dict(ids)))
    our_references = {ref for _, refs in cases_by_entry for ref in refs.values()}

    def others_hidden(note: str) -> str:
        # A note may name another case ("... is about REP-2026-000001"): unless it is theirs,
        # it is "another case", as in the links below.
        return _CASE_REFERENCE.sub(
            lambda m: m.group(0) if m.group(0) in our_references else "another case", note
        )

    for entry, reference_of in cases_by_entry:
        content_type = ContentType.objects.get_for_model(entry.model)
        ours.update((content_type.pk, pk) for pk in reference_of)
        case_ids = list(reference_of)
        events = CaseEvent.objects.filter(
            content_type=content_type, object_id__in=case_ids
        ).select_related("actor")
        for event in events:
            actor = _person_name(event.actor)
            records.append(
                personal_data.Record(
                    key=f"casework.CaseEvent:{event.pk}",
                    kind="Case event",
                    title=f"{reference_of[event.object_id]}: {event.get_kind_display()}",
                    fields=(
                        ("Case", reference_of[event.object_id]),
                        ("When", personal_data.text(event.occurred_at)),
                        ("What", str(event.get_kind_display())),
                        ("From", event.from_status),
                        ("To", event.to_status),
                        ("Note", others_hidden(event.note)),
                        ("By", actor),
                        ("Shown to you at the time", personal_data.text(event.visible_to_customer)),
                    ),
                    third_parties=(actor,),
                )
            )
        deadlines = Deadline.objects.filter(
            content_type=content_type, object_id__in=case_ids
        ).select_related("commitment")
        for deadline in deadlines:
            records.append(
                personal_data.Record(
                    key=f"sla.Deadline:{deadline.pk}",
                    kind="Clock",
                    title=f"{reference_of[deadline.object_id]}: {deadline.commitment.title}",
                    fields=(
                        ("Case", reference_of[deadline.object_id]),
                        ("Promise", deadline.commitment.promise),
                        ("Started", personal_data.text(deadline.started_at)),
                        ("Due", personal_data.text(deadline.due_at)),
                        ("Met", personal_data.text(deadline.met_at)),
                        ("Missed", personal_data.text(deadline.breached_at)),
                        ("Extended because", deadline.extension_reason),
                    ),
                )
            )
        for attachment in Attachment.objects.filter(
            content_type=content_type, object_id__in=case_ids
        ):
            key = f"casework.Attachment:{attachment.pk}"
            records.append(
                personal_data.Record(
                    key=key,
                    kind="File",
                    title=f"{reference_of[attachment.object_id]}: {attachment.original_name}",
                    fields=(
                        ("Case", reference_of[attachment.object_id]),
                        ("Name", attachment.original_name),
                        ("Added", personal_data.text(attachment.uploaded_at)),
                        ("Shown to you", personal_data.text(attachment.visible_to_customer)),
                    ),
                )
            )
            files.append(
                personal_data.File(
                    record_key=key,
                    name=attachment.original_name,
                    storage_name=attachment.file.name or "",
                    mime_type=attachment.mime_type,
                )
            )
        reads = SensitiveCaseRead.objects.filter(
            content_type=content_type, object_id__in=case_ids
        ).select_related("user")
        for read in reads:
            reader = _person_name(read.user)
            records.append(
                personal_data.Record(
                    key=f"casework.SensitiveCaseRead:{read.pk}",
                    kind="Who opened your case",
                    title=f"{reference_of[read.object_id]}: opened by our staff",
                    fields=(
                        ("Case", reference_of[read.object_id]),
                        ("When", personal_data.text(read.read_at)),
                        ("Who", reader),
                    ),
                    third_parties=(reader,),
                )
            )
    # The person's vulnerability and safe-contact notes are logged as read like a confidential
    # case (casework.access.log_notes_read), against their customer record.
    notes_reads = SensitiveCaseRead.objects.filter(
        content_type=ContentType.objects.get_for_model(Customer), object_id=customer.pk
    ).select_related("user")
    for read in notes_reads:
        reader = _person_name(read.user)
        records.append(
            personal_data.Record(
                key=f"casework.SensitiveCaseRead:{read.pk}",
                kind="Who was shown your notes",
                title="Your contact and vulnerability notes: shown to our staff",
                fields=(("When", personal_data.text(read.read_at)), ("Who", reader)),
                third_parties=(reader,),
            )
        )
    records.extend(_links_between(ours))
    return personal_data.Part(
        area="Your cases: history, clocks and files", records=tuple(records), files=tuple(files)
    )


def _links_between(ours: set[tuple[int, int]]) -> list[personal_data.Record]:
    if not ours:
        return []
    ids_by_type: dict[int, list[int]] = {}
    for type_id, object_id in ours:
        ids_by_type.setdefault(type_id, []).append(object_id)
    touching = Q()
    for type_id, ids in ids_by_type.items():
        touching |= Q(from_type_id=type_id, from_id__in=ids) | Q(to_type_id=type_id, to_id__in=ids)
    records = []
    for link in CaseLink.objects.filter(touching).order_by("pk"):
        # A case of someone else is "another case": its reference would tell them nothing they
        # may know, and could tell someone in that household that they were reported.
        from_ours = (link.from_type_id, link.from_id) in ours
        to_ours = (link.to_type_id, link.to_id) in ours
        records.append(
            personal_data.Record(
                key=f"casework.CaseLink:{link.pk}",
                kind="Link between cases",
                title="One case is about another",
                fields=(
                    ("Case", personal_data.text(link.from_case) if from_ours else "Another case"),
                    ("Is about", personal_data.text(link.to_case) if to_ours else "Another case"),
                    ("Linked", personal_data.text(link.created_at)),
                ),
            )
        )
    return records
