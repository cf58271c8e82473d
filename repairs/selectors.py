"""Reads of the repairs service, scoped to what the asking person may see.

A customer reaches a repair only through ``access_repair``, which answers 404 for anything
outside their household (the same answer for a repair that does not exist, so a reference
cannot be probed). Lists and pages use a fixed number of queries however many repairs,
appointments or events there are.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Case as Conditional
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from casework.selectors import (
    CUSTOMER_TIMELINE_COLUMNS,
    TimelineEntry,
    attachments_for_case,
    attachments_of_case,
    customer_timeline_from_rows,
    events_of_case,
    steps_still_to_do,
)
from kernel import personal_data
from kernel.figures import percent
from kernel.formatting import LONDON, london_short_date
from repairs.catalogue import Priority
from repairs.models import (
    BROKEN_STATUSES,
    KEPT_STATUSES,
    Appointment,
    AppointmentStatus,
    DraftPhoto,
    Hazard,
    PlannedWork,
    PlannedWorkStatus,
    Repair,
    Satisfaction,
    Slot,
    SlotWindow,
    appointment_summary,
    customer_status_label,
    slot_label,
    status_tag_class,
)
from repairs.services import FIRST_BOOKABLE_DAY, SLOT_HORIZON_DAYS
from sla.models import STILL_TO_DO, Deadline
from tenancy.models import Block, Customer, Property, StockClass, Tenancy
from tenancy.selectors import customer_for_user

WINDOW_ORDER = {value: index for index, value in enumerate(SlotWindow.values)}
# "Very" or "fairly" satisfied: the TSM's satisfied answers.
SATISFIED = Satisfaction.FAIRLY_SATISFIED


def _with_booked_appointment(queryset: QuerySet[Repair]) -> QuerySet[Repair]:
    """Each repair with the day and window of its booked appointment (``booked_date``,
    ``booked_window``), by one LEFT JOIN: a repair has at most one booked appointment (a
    unique constraint), so no row is repeated."""
    return queryset.annotate(
        booked=FilteredRelation(
            "appointments", condition=Q(appointments__status=AppointmentStatus.BOOKED)
        ),
        booked_date=F("booked__date"),
        booked_window=F("booked__window"),
    )


@dataclass(frozen=True)
class RepairRow:
    """A line of the customer's repairs page, ready to print."""

    reference: str
    title: str
    url: str
    status: str
    tag_class: str
    opened: str
    closed: str
    due: str
    appointment: str
    is_open: bool


def _short_date(moment: dt.datetime | None) -> str:
    return london_short_date(moment)


@dataclass(frozen=True)
class RepairRows:
    """A page of the household's repairs, and whether older ones follow. Read by the shared
    pagination template as a Django ``Page`` is, without page numbers (no count is made)."""

    rows: list[RepairRow]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def repair_rows_for_household(
    customer: Customer, *, page: int = 1, per_page: int = 50
) -> RepairRows:
    """A page of the household's repairs, open ones first, newest first, with their booked
    appointment: one query however many there are (one row more than the page, to know whether
    older ones follow, rather than a count), read as plain values (the busiest customer
    page)."""
    page = max(page, 1)
    start = (page - 1) * per_page
    read = _with_booked_appointment(
        Repair.objects.filter(tenancy_id=customer.household_id).order_by(
            F("closed_at").desc(nulls_first=True), "-opened_at", "-id"
        )
    ).values(  # type: ignore[misc]  # annotations the plugin does not follow
        "reference",
        "title",
        "status",
        "priority",
        "opened_at",
        "closed_at",
        "next_due_at",
        "operative_id",
        "contractor_id",
        "booked_date",
        "booked_window",
    )[start : start + per_page + 1]
    values = list(read)
    has_older = len(values) > per_page
    # One reverse for the page, not one per row.
    url = reverse("repairs:detail", args=["REFERENCE"])
    rows = []
    for v in values[:per_page]:
        is_open = v["closed_at"] is None
        booked = slot_label(v["booked_date"], v["booked_window"]) if v["booked_date"] else ""
        assigned = v["operative_id"] is not None or v["contractor_id"] is not None
        rows.append(
            RepairRow(
                reference=v["reference"],
                title=v["title"],
                url=url.replace("REFERENCE", v["reference"]),
                status=customer_status_label(v["status"], assigned=assigned),
                tag_class=status_tag_class(v["status"], v["priority"], is_open=is_open),
                opened=_short_date(v["opened_at"]),
                closed=_short_date(v["closed_at"]),
                # The running clocks' earliest due time, never the first target: a reopened
                # repair runs on its new clock.
                due=_short_date(v["next_due_at"]) if is_open else "",
                appointment=appointment_summary(
                    v["status"], v["priority"], is_open, booked, assigned=assigned
                ),
                is_open=is_open,
            )
        )
    return RepairRows(rows=rows, number=page, has_next=has_older)


def access_repair(user, reference: str) -> Repair:
    """The repair if it belongs to the signed-in customer's household, else 404."""
    customer = customer_for_user(user)
    if customer is None:
        raise Http404
    repair = (
        _with_booked_appointment(Repair.objects.select_related("property", "block", "hazard"))
        .filter(reference=reference.strip().upper(), tenancy_id=customer.household_id)
        .first()
    )
    if repair is None:
        raise Http404
    return repair


@dataclass(frozen=True)
class PagePhoto:
    pk: int
    original_name: str


@dataclass(frozen=True)
class NextStep:
    """A clock still running on the repair, as the customer reads it."""

    title: str
    due_at: dt.datetime


@dataclass(frozen=True)
class RepairPage:
    """A repair as its own page shows it: the repair (only the columns the page shows, with
    its home, block and booked appointment loaded), its Awaab's Law hazard if any, the clocks
    still running while it is open, its customer-visible history and its photos."""

    repair: Repair
    hazard: Hazard | None
    next_steps: list[NextStep]
    timeline: list[TimelineEntry]
    photos: list[PagePhoto]


# Each model's columns on a repair's page, as (model, table alias, field names).
_PAGE_READ = (
    (
        Repair,
        "r",
        (
            "id",
            "reference",
            "title",
            "status",
            "priority",
            "trade",
            "patch",
            "tenancy",
            "property",
            "block",
            "received_by",
            "opened_at",
            "closed_at",
            "target_at",
            "attended_at",
            "completed_at",
            "satisfaction_at",
            "operative",
            "contractor",
            "location",
            "description",
            "is_defect",
            "builder_name",
        ),
    ),
    (Property, "p", ("id", "address_line_1", "address_line_2", "town", "postcode")),
    (Block, "b", ("id", "name")),
    (Hazard, "h", ("id", "repair", "hazard_type", "category", "awaabs_law_applies")),
    (Appointment, "a", ("date", "window")),
)


@dataclass(frozen=True)
class _PageColumns:
    model: type[models.Model]
    fields: list[models.Field]
    converters: list[list]


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # noqa: S101 - names are ours, all concrete
    return field


def _rows_as_json(
    vendor: str, rows: QuerySet, shown: tuple[str, ...], order: tuple[str, ...]
) -> tuple[str, list]:
    """A subquery giving the ``shown`` fields of ``rows`` as one JSON array of arrays in
    ``order``, ``[]`` when there are none, and its parameters. ``rows`` is compiled by the ORM,
    so the rule that chose them is the owning app's, not restated here.

    The JSON functions are the one part written per database: PostgreSQL's ``json_agg`` and
    SQLite's ``json_group_array`` (which keeps the order of the subquery it reads) have no
    common spelling, and the ORM has no JSON aggregate (docs/decisions/0012)."""
    named = {f"c{i}": F(name) for i, name in enumerate(shown + order)}
    ordering = [f"c{len(shown) + i}" for i in range(len(order))]
    selected = rows.order_by().values(**named)
    array = ", ".join(f"s.c{i}" for i in range(len(shown)))
    if vendor == "postgresql":
        # The aggregate orders its input itself: the subquery need not sort it first.
        sql, params = selected.query.sql_with_params()
        by = ", ".join(f"s.{name}" for name in ordering)
        return (
            f"(SELECT COALESCE(json_agg(json_build_array({array}) ORDER BY {by}), '[]'::json) "  # noqa: S608 - compiled by the ORM
            f"FROM ({sql}) s)",
            list(params),
        )
    sql, params = selected.order_by(*ordering).query.sql_with_params()
    return (
        f"(SELECT json_group_array(json_array({array})) FROM ({sql}) s)",  # noqa: S608 - compiled by the ORM
        list(params),
    )


@functools.cache
def _page_query(vendor: str, repair_type: int) -> tuple[str, list, list[_PageColumns]]:
    """The SQL of ``repair_for_page``, the parameters of its parts read from other apps, and,
    per model, its fields in the order selected with the converters the ORM would apply
    (SQLite returns dates and datetimes as text). The parameters it takes after those, in
    order: the booked status, the reference and the tenancy.

    Compiled once per process rather than built by the ORM on every request: on the portal's
    busiest page, compiling the equivalent querysets (three ``select_related`` joins, the
    booked appointment's filtered join, the clocks, history and photos) took longer than the
    database took to run them, and each of the five round trips cost the database more than
    the work. The clocks, history and photos come as JSON arrays in the same row, from the
    querysets of ``casework.selectors`` (``steps_still_to_do``, ``events_of_case`` and
    ``attachments_of_case`` for the customer) compiled to SQL, so their rules are stated once,
    where they belong. The columns come from the models, so a renamed field breaks this at
    once rather than silently.
    """
    quote = connection.ops.quote_name
    selected, layout = [], []
    for model, alias, names in _PAGE_READ:
        wanted = {_field(model, name).attname for name in names}
        fields = [f for f in model._meta.concrete_fields if f.attname in wanted]
        selected += [f"{alias}.{quote(f.column or '')}" for f in fields]
        layout.append(
            _PageColumns(
                model=model,
                fields=fields,
                converters=[
                    connection.ops.get_db_converters(f.get_col(alias))
                    + f.get_db_converters(connection)
                    for f in fields
                ],
            )
        )
    table = {
        model: quote(model._meta.db_table)
        for model in (Repair, Property, Block, Hazard, Appointment)
    }

    def column(model: type[models.Model], name: str) -> str:
        return quote(_field(model, name).column or "")

    this_repair = RawSQL(f"r.{quote('id')}", ())  # noqa: S611 - a column name of ours
    still_open = RawSQL(  # noqa: S611 - a column name of ours
        f"r.{column(Repair, 'closed_at')} IS NULL", (), output_field=models.BooleanField()
    )
    next_steps = _rows_as_json(
        vendor,
        steps_still_to_do(content_type_id=repair_type, object_id=this_repair).filter(still_open),
        ("commitment__title", "due_at"),
        ("due_at", "pk"),
    )
    history = _rows_as_json(
        vendor,
        events_of_case(content_type_id=repair_type, object_id=this_repair, customer_view=True),
        CUSTOMER_TIMELINE_COLUMNS,
        ("occurred_at", "pk"),
    )
    photos = _rows_as_json(
        vendor,
        attachments_of_case(content_type_id=repair_type, object_id=this_repair, customer_view=True),
        ("pk", "original_name"),
        ("uploaded_at", "pk"),
    )
    parts = (next_steps, history, photos)
    sql = (
        f"SELECT {', '.join(selected)}, {', '.join(part for part, _ in parts)} "  # noqa: S608 - names are ours
        f"FROM {table[Repair]} r "
        f"JOIN {table[Property]} p ON p.id = r.{column(Repair, 'property')} "
        f"LEFT JOIN {table[Block]} b ON b.id = r.{column(Repair, 'block')} "
        f"LEFT JOIN {table[Hazard]} h ON h.{column(Hazard, 'repair')} = r.id "
        f"LEFT JOIN {table[Appointment]} a ON a.{column(Appointment, 'repair')} = r.id "
        f"AND a.{column(Appointment, 'status')} = %s "
        f"WHERE r.{column(Repair, 'reference')} = %s AND r.{column(Repair, 'tenancy')} = %s"
    )
    return sql, [param for _, params in parts for param in params], layout


def _page_models(row: tuple, layout: list[_PageColumns]) -> list[dict[str, object]]:
    """The row's model columns split into each model's converted values, by attname."""
    values: list[dict[str, object]] = []
    position = 0
    for part in layout:
        own = {}
        for field, converters in zip(part.fields, part.converters, strict=True):
            value = row[position]
            for converter in converters:
                value = converter(value, field, connection)
            own[field.attname] = value
            position += 1
        values.append(own)
    return values


def _json_rows(value: str | list) -> list[list]:
    # PostgreSQL's driver decodes json itself; SQLite gives the text.
    return json.loads(value) if isinstance(value, str) else value


def _json_datetime(value: str) -> dt.datetime:
    # PostgreSQL writes timestamps with their offset; SQLite stores UTC without one.
    moment = dt.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def repair_for_page(user, reference: str) -> RepairPage:
    """``access_repair`` for the repair's own page: the same 404 rule, one query for all the
    page shows, only the columns it shows (any other is read if asked for). For anything that
    writes, use ``access_repair``."""
    customer = customer_for_user(user)
    if customer is None:
        raise Http404
    sql, parts_params, layout = _page_query(
        connection.vendor, ContentType.objects.get_for_model(Repair).pk
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *parts_params,
                AppointmentStatus.BOOKED,
                reference.strip().upper(),
                customer.tenancy_id,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        raise Http404
    models_end = sum(len(part.fields) for part in layout)
    repair_values, property_values, block_values, hazard_values, booked = _page_models(
        row[:models_end], layout
    )
    next_steps, history, photos = (_json_rows(value) for value in row[models_end:])
    database = connection.alias
    repair = Repair.from_db(database, list(repair_values), list(repair_values.values()))
    repair.property = Property.from_db(
        database, list(property_values), list(property_values.values())
    )
    if block_values["id"] is not None:
        repair.block = Block.from_db(database, list(block_values), list(block_values.values()))
    hazard = None
    if hazard_values["id"] is not None:
        hazard = Hazard.from_db(database, list(hazard_values), list(hazard_values.values()))
    # What _with_booked_appointment gives every other read (Repair.booked_label).
    repair.booked_date = booked["date"]  # type: ignore[attr-defined]
    repair.booked_window = booked["window"]  # type: ignore[attr-defined]
    return RepairPage(
        repair=repair,
        hazard=hazard,
        next_steps=[NextStep(title, _json_datetime(due_at)) for title, due_at in next_steps],
        timeline=customer_timeline_from_rows(
            Repair,
            (
                (_json_datetime(occurred_at), kind, to_status, note)
                for occurred_at, kind, to_status, note in history
            ),
        ),
        photos=[PagePhoto(pk, name) for pk, name in photos],
    )


def repair_for_token(token, *, tenancy_id: int) -> Repair | None:
    """The repair a report form with this token already made for the household, if any."""
    return (
        Repair.objects.filter(idempotency_key=token, tenancy_id=tenancy_id)
        .only("reference")
        .first()
    )


def booked_appointment(repair: Repair) -> Appointment | None:
    return repair.appointments.filter(status=AppointmentStatus.BOOKED).first()


def repair_photos(repair: Repair, *, customer_view: bool = True):
    return list(attachments_for_case(repair, customer_view=customer_view))


def first_bookable_day(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localtime(timezone.now(), LONDON).date()
    return today + dt.timedelta(days=FIRST_BOOKABLE_DAY)


def available_slots(
    *,
    trade: str,
    patch: str,
    today: dt.date | None = None,
    include_full: bool = False,
    last_day: dt.date | None = None,
) -> list[Slot]:
    """Slots with a place left for the trade and patch, from tomorrow for the horizon (and no
    later than ``last_day``, the day the repair is due, when given), in date and window order.
    ``include_full`` also lists full ones: a form checks a posted choice against those, so a
    slot filled since the page was shown is answered with "just taken", not with "not a valid
    choice"."""
    first = first_bookable_day(today)
    query = Slot.objects.filter(
        trade=trade,
        patch=patch,
        date__gte=first,
        date__lt=first + dt.timedelta(days=SLOT_HORIZON_DAYS),
    )
    if last_day is not None:
        query = query.filter(date__lte=last_day)
    if not include_full:
        query = query.filter(booked__lt=F("capacity"))
    slots = list(query)
    slots.sort(key=lambda s: (s.date, WINDOW_ORDER[s.window]))
    return slots


def bookable_slot(*, slot_id: int, trade: str, patch: str) -> Slot | None:
    """The slot if it is one this repair may book (its trade and patch, not in the past); its
    places are checked when it is booked, not here."""
    return Slot.objects.filter(
        pk=slot_id, trade=trade, patch=patch, date__gte=first_bookable_day()
    ).first()


def draft_photos(customer: Customer, draft: str) -> list[DraftPhoto]:
    return list(DraftPhoto.objects.filter(customer=customer, draft=draft))


def planned_works_for_household(customer: Customer) -> list[PlannedWork]:
    return list(
        PlannedWork.objects.filter(
            property_id=Subquery(
                Tenancy.objects.filter(pk=customer.household_id).values("property_id")
            )
        )
        .exclude(status=PlannedWorkStatus.WITHDRAWN)
        .select_related("programme")
        .order_by("-updated_at")[:10]
    )


# ---------------------------------------------------------------------------------------------
# Measures for managers
# ---------------------------------------------------------------------------------------------


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time.min, tzinfo=LONDON)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=LONDON)
    return start, end


@dataclass(frozen=True)
class Ratio:
    label: str
    part: int
    whole: int
    definition: str

    @property
    def percent(self) -> Decimal | None:
        return percent(self.part, self.whole)


@dataclass(frozen=True)
class RepairMeasures:
    first: dt.date
    last: dt.date
    ratios: list[Ratio]
    hazard_steps: list[Ratio]
    open_defects: int
    defects_awaiting_builder: int
    defects_overdue: int


# RP02's rules, stated once: responsive repairs in homes the stock register classes as
# low-cost rental (RP02 is LCRA only), emergency or not, completed by the target set when the
# repair was reported (``target_at``).
RP02_HOMES = Q(property__stock_class=StockClass.LOW_COST_RENTAL)
EMERGENCY = Q(priority=Priority.EMERGENCY)
WITHIN_TARGET = Q(completed_at__lte=F("target_at"))


def repairs_counted_for_rp02(*, first: dt.date, last: dt.date, emergency: bool) -> QuerySet[Repair]:
    """The repairs RP02 counts (its denominator) for the days ``first`` to ``last``, each
    annotated ``within_target`` (its numerator), for a drill-down: the same rule as
    ``repair_measures``."""
    start, end = _bounds(first, last)
    priority = EMERGENCY if emergency else ~EMERGENCY
    return (
        Repair.objects.filter(RP02_HOMES & priority, completed_at__gte=start, completed_at__lt=end)
        .annotate(
            within_target=Conditional(
                When(WITHIN_TARGET, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        .order_by("completed_at", "pk")
    )


def repair_measures(
    *, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> RepairMeasures:
    """The repairs measures for the days ``first`` to ``last`` (Europe/London), in five
    queries whatever the number of repairs.

    RP02 (Tenant Satisfaction Measures): responsive repairs completed in the period, in homes
    the stock register classes as low-cost rental (RP02 is LCRA only), completed within the
    target we publish for their priority: 24 hours for emergencies, 5 and 20 working days otherwise. The
    target is the one set when the repair was reported (``target_at``); a repair reopened as
    not fixed counts when it is finally completed, against that first target.
    """
    now = now or timezone.now()
    start, end = _bounds(first, last)
    lcra, emergency, on_time = RP02_HOMES, EMERGENCY, WITHIN_TARGET
    completed = Repair.objects.filter(completed_at__gte=start, completed_at__lt=end).aggregate(
        emergency_all=Count("id", filter=lcra & emergency),
        emergency_on_time=Count("id", filter=lcra & emergency & on_time),
        other_all=Count("id", filter=lcra & ~emergency),
        other_on_time=Count("id", filter=lcra & ~emergency & on_time),
        fix_known=Count("id", filter=Q(first_time_fix__isnull=False)),
        fixed_first_time=Count("id", filter=Q(first_time_fix=True)),
    )
    appointments = Appointment.objects.filter(date__gte=first, date__lte=last).aggregate(
        kept=Count("id", filter=Q(status__in=KEPT_STATUSES)),
        broken=Count("id", filter=Q(status__in=BROKEN_STATUSES)),
    )
    satisfaction = Repair.objects.filter(
        satisfaction_at__gte=start, satisfaction_at__lt=end
    ).aggregate(
        answers=Count("id"),
        overall=Count("id", filter=Q(satisfaction_overall__gte=SATISFIED)),
        time_taken=Count("id", filter=Q(satisfaction_time__gte=SATISFIED)),
    )
    ratios = [
        Ratio(
            "Emergency repairs completed within target (RP02(2))",
            completed["emergency_on_time"],
            completed["emergency_all"],
            "Emergency repairs completed in the period within 24 hours of being reported.",
        ),
        Ratio(
            "Non-emergency repairs completed within target (RP02(1))",
            completed["other_on_time"],
            completed["other_all"],
            "Urgent (5 working days) and routine (20 working days) repairs completed in the "
            "period within target.",
        ),
        Ratio(
            "Appointments kept",
            appointments["kept"],
            appointments["kept"] + appointments["broken"],
            "Appointments in the period we arrived for, of those we arrived for, cancelled "
            "ourselves or missed.",
        ),
        Ratio(
            "Fixed first time",
            completed["fixed_first_time"],
            completed["fix_known"],
            "Repairs completed in the period at the first visit, with no follow-on work and "
            "not reopened.",
        ),
        Ratio(
            "Satisfied with the repair (TP02)",
            satisfaction["overall"],
            satisfaction["answers"],
            "Very or fairly satisfied, of answers in the period.",
        ),
        Ratio(
            "Satisfied with the time taken (TP03)",
            satisfaction["time_taken"],
            satisfaction["answers"],
            "Very or fairly satisfied, of answers in the period.",
        ),
    ]
    hazard_steps = _hazard_steps(start=start, end=min(end, now))
    defects = Repair.objects.filter(is_defect=True, closed_at__isnull=True).aggregate(
        open=Count("id"),
        awaiting=Count("id", filter=Q(builder_responded_at__isnull=True)),
        overdue=Count("id", filter=Q(next_due_at__lt=now)),
    )
    return RepairMeasures(
        first=first,
        last=last,
        ratios=ratios,
        hazard_steps=hazard_steps,
        open_defects=defects["open"],
        defects_awaiting_builder=defects["awaiting"],
        defects_overdue=defects["overdue"],
    )


def _hazard_steps(*, start: dt.datetime, end: dt.datetime) -> list[Ratio]:
    """Each Awaab's Law step: of the steps done in the period or overdue in it, how many were
    done in time. Paused clocks (a cancelled report) are left out."""
    repair_type = ContentType.objects.get_for_model(Repair)
    done_in_period = Q(met_at__gte=start, met_at__lt=end)
    overdue_in_period = STILL_TO_DO & Q(due_at__gte=start, due_at__lt=end)
    rows = (
        Deadline.objects.filter(content_type=repair_type, commitment__code__startswith="hazard.")
        .filter(done_in_period | overdue_in_period)
        .values("commitment__code", "commitment__title")
        .annotate(
            whole=Count("id"),
            part=Count("id", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        )
        .order_by("commitment__code")
    )
    steps = [
        Ratio(r["commitment__title"], r["part"], r["whole"], r["commitment__code"]) for r in rows
    ]
    total = Ratio(
        "All Awaab's Law steps", sum(s.part for s in steps), sum(s.whole for s in steps), "hazard.*"
    )
    return [total, *steps]


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "repairs.Repair": "every repair the person reported, every field",
        "repairs.Hazard": "the Awaab's Law record of their hazard reports",
        "repairs.Appointment": "every appointment booked for their repairs",
        "repairs.DraftPhoto": "photos added to a report not yet sent, the files included",
    },
    holds_none={
        "repairs.Contractor": "a firm we use",
        "repairs.Operative": "our own operatives: staff, not customers",
        "repairs.CapacityPlan": "how many jobs a trade can take a day",
        "repairs.Slot": "appointment capacity per day and window",
        "repairs.Programme": "a planned works programme",
        "repairs.PlannedWork": "works planned to a home, whoever lives there",
        "repairs.PlannedWorkEvent": "the history of planned works to a home",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """Every repair this person reported, its hazard record and appointments, and photos
    waiting in an unsent report."""
    repairs = list(
        Repair.objects.filter(customer=customer)
        .select_related("assignee", "operative", "contractor", "team", "block")
        .order_by("opened_at", "pk")
    )
    reference = {r.pk: r.reference for r in repairs}
    records = personal_data.records_of(
        repairs,
        title=lambda r: f"{r.reference}: {r.title}",
        exclude=personal_data.CASE_LINKS_NOT_SHOWN,
        staff=lambda r: (r.assignee,),
    )
    records += personal_data.records_of(
        Hazard.objects.filter(repair_id__in=reference)
        .select_related("investigated_by")
        .order_by("pk"),
        title=lambda h: f"{reference[h.repair_id]}: {h}",
        staff=lambda h: (h.investigated_by,),
    )
    records += personal_data.records_of(
        Appointment.objects.filter(repair_id__in=reference)
        .select_related("booked_by", "operative")
        .order_by("pk"),
        title=lambda a: f"{reference[a.repair_id]}: appointment {a}",
        exclude=("slot",),
        staff=lambda a: (a.booked_by,),
    )
    drafts = list(DraftPhoto.objects.filter(customer=customer).order_by("pk"))
    records += personal_data.records_of(
        drafts, title=lambda d: f"A photo not yet sent: {d.original_name}", exclude=("customer",)
    )
    files = tuple(
        personal_data.File(
            record_key=f"repairs.DraftPhoto:{d.pk}",
            name=d.original_name,
            storage_name=d.file.name or "",
            mime_type=d.mime_type,
        )
        for d in drafts
    )
    return personal_data.Part(area="Repairs", records=tuple(records), files=files)
