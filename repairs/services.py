"""Writes of the repairs service: report, book, attend, complete, reopen; the Awaab's Law steps
of a hazard; builders' defects; slots and reminders; planned works.

One write path per action: the customer's pages, the staff admin and the management commands
call these functions and nothing else. Each is one transaction; each status change goes through
``case_transition`` with ``ALLOWED`` (which writes the timeline event), each clock through the
sla services, each message through ``notify_customer`` with a key, so a retried request sends
nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import ReceivedBy, Team
from casework.services import (
    InvalidTransition,
    attachment_check,
    case_add_note,
    case_deadline_meet,
    case_open,
    case_transition,
)
from complaints.handover import complaint_create
from kernel.formatting import LONDON, london_date, london_datetime
from notifications.services import notify_customer, notify_staff
from repairs import catalogue
from repairs.catalogue import HazardType, Location, Priority
from repairs.models import (
    Appointment,
    AppointmentStatus,
    CapacityPlan,
    Contractor,
    DampRoom,
    DraftPhoto,
    Hazard,
    HazardCategory,
    HazardExtent,
    Operative,
    PlannedWork,
    PlannedWorkStatus,
    Programme,
    Repair,
    RepairStatus,
    Satisfaction,
    Slot,
    Vulnerability,
    slot_label,
)
from sla import calendar
from sla.models import Deadline
from sla.services import deadline_pause, deadline_start
from tenancy.models import Customer, Property, Tenure

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

S = RepairStatus
TEAM_NAME = "Repairs"
MAX_PHOTOS = 5
# Slots are offered from tomorrow: a same-day appointment cannot be promised online.
FIRST_BOOKABLE_DAY = 1
# How far ahead slots are opened (the issue asks for at least the next three weeks).
SLOT_HORIZON_DAYS = 28
# A report left unfinished keeps its photos this long, then they are swept away.
DRAFT_PHOTO_MAX_AGE = dt.timedelta(days=7)
# Section 20 of the Landlord and Tenant Act 1985: leaseholders have 30 days to comment on a
# notice of intention before qualifying works go ahead.
LEASEHOLDER_OBSERVATION_DAYS = 30
# Awaab's Law: further works must physically start within 12 weeks of the hazard being found.
FURTHER_WORKS_LONG_STOP = dt.timedelta(weeks=12)

REPAIR_CLOCK = {
    Priority.EMERGENCY: "repair.emergency.attend",
    Priority.URGENT: "repair.urgent.complete",
    Priority.ROUTINE: "repair.routine.complete",
}
HAZARD_INVESTIGATE = "hazard.significant.investigate"
HAZARD_EMERGENCY = "hazard.emergency.make_safe"
HAZARD_MAKE_SAFE = "hazard.significant.make_safe"
HAZARD_SUMMARY = "hazard.summary"
HAZARD_WORKS_START = "hazard.further_works.start"
HAZARD_WORKS_LONG_STOP = "hazard.further_works.long_stop"

# Which status may follow which. No access never closes a repair: it goes back to be rebooked.
ALLOWED: dict[str, set[str]] = {
    S.REPORTED: {S.BOOKED, S.DISPATCHED, S.WITH_BUILDER, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.BOOKED: {S.REPORTED, S.DISPATCHED, S.IN_PROGRESS, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.DISPATCHED: {S.BOOKED, S.IN_PROGRESS, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.WITH_BUILDER: {S.REPORTED, S.BOOKED, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.NO_ACCESS: {S.BOOKED, S.DISPATCHED, S.REPORTED, S.CANCELLED},
    S.IN_PROGRESS: {S.BOOKED, S.DISPATCHED, S.NO_ACCESS, S.COMPLETED, S.CANCELLED},
    S.COMPLETED: {S.REPORTED},
    S.CANCELLED: set(),
}
# Where an appointment can be booked or moved.
BOOKABLE_STATUSES = {S.REPORTED, S.BOOKED, S.NO_ACCESS, S.IN_PROGRESS}


class RepairRefused(Exception):
    """A request the rules do not allow; the message is for the person who asked."""


class SlotFull(RepairRefused):
    """The chosen slot was taken by someone else in the meantime."""


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def repairs_team() -> Team | None:
    return Team.objects.filter(name=TEAM_NAME).select_related("lead").first()


def _local_today() -> dt.date:
    return timezone.localtime(timezone.now(), LONDON).date()


def repair_url(repair: Repair) -> str:
    return settings.SITE_URL + reverse("repairs:detail", kwargs={"reference": repair.reference})


def _tell(repair: Repair, *, key: str, subject: str, body: str) -> None:
    notify_customer(
        customer=repair.customer,
        subject=subject[:200],
        body=f"{body}\n\nSee your repair at any time: {repair_url(repair)}",
        key=f"repair:{repair.pk}:{key}",
        about=repair,
    )


def _tell_team(repair: Repair, *, key: str, subject: str, body: str) -> None:
    """A note to the repairs team lead, for work that needs a person now (an emergency to
    dispatch, a defect to pass to the builder)."""
    team = repairs_team()
    lead = team.lead if team is not None else None
    if lead is None or not lead.email:
        return
    path = reverse("admin:repairs_repair_change", args=[repair.pk])
    notify_staff(
        user=lead,
        subject=subject[:200],
        body=f"{body}\n\n{settings.SITE_URL}{path}",
        key=f"repair:{repair.pk}:team:{key}",
        about=repair,
    )


def _lock(repair: Repair) -> Repair:
    """Re-read the repair under a row lock, so two officers (or a customer and an officer)
    acting at once queue behind each other and each sees the other's change."""
    locked = Repair.objects.select_for_update().get(pk=repair.pk)
    for name in (
        "status",
        "closed_at",
        "completed_at",
        "attended_at",
        "made_safe_at",
        "first_time_fix",
        "reopened_count",
        "operative_id",
        "contractor_id",
        "satisfaction_at",
        "builder_responded_at",
        "next_due_at",
    ):
        setattr(repair, name, getattr(locked, name))
    return repair


def _move(
    repair: Repair,
    to_status: str,
    *,
    actor: User | None,
    note: str = "",
    visible: bool = True,
    closes: bool = False,
) -> None:
    if repair.status == to_status:
        if note:
            case_add_note(case=repair, actor=actor, note=note, visible_to_customer=visible)
        return
    try:
        case_transition(
            case=repair,
            to_status=to_status,
            allowed=ALLOWED,
            actor=actor,
            note=note,
            visible_to_customer=visible,
            closes=closes,
        )
    except InvalidTransition as exc:
        raise RepairRefused(
            f"This repair is {RepairStatus(repair.status).label.lower()}, so that cannot be "
            "done now."
        ) from exc


def _close_if_done(repair: Repair) -> None:
    """A completed repair stays on the queue until every Awaab's Law step is done too."""
    if repair.status != S.COMPLETED or repair.closed_at is not None:
        return
    if Deadline.objects.for_case(repair).filter(met_at__isnull=True).exists():
        return
    repair.closed_at = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(closed_at=repair.closed_at)


def _stop_clocks(repair: Repair) -> None:
    """A cancelled repair's running clocks are paused for good: there is no work left to time,
    and a clock that already ran out stays recorded as missed."""
    now = timezone.now()
    for deadline in Deadline.objects.for_case(repair).open().filter(paused_at__isnull=True):
        if deadline.due_at > now:
            deadline_pause(deadline=deadline, at=now)


# ---------------------------------------------------------------------------------------------
# Hazards: how a report is categorised
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HazardAnswers:
    """What the customer told us about damp and mould or a danger."""

    hazard_type: str
    rooms: tuple[str, ...] = ()
    extent: str = ""
    vulnerabilities: tuple[str, ...] = field(default_factory=tuple)


def hazard_classify(answers: HazardAnswers) -> tuple[str, str]:
    """The category (emergency or significant) and the reasoning, which is kept with the hazard
    because the Ombudsman asks how each report was recognised and categorised.

    Every damp or mould report is at least a significant hazard to investigate: the law's
    trigger is reasonable grounds to believe there may be one, and only an investigation can
    say there is none. It is an emergency when someone at higher risk lives with a large area,
    or with mould in a room where people sleep. A dangerous structure or dangerous wiring is
    always an emergency.
    """
    if answers.hazard_type != HazardType.DAMP_MOULD:
        label = HazardType(answers.hazard_type).label
        return HazardCategory.EMERGENCY, f"{label} reported: a risk of immediate harm."
    vulnerable = [
        Vulnerability(v).label for v in answers.vulnerabilities if v in Vulnerability.values
    ]
    extent = HazardExtent(answers.extent) if answers.extent in HazardExtent.values else None
    in_bedroom = DampRoom.BEDROOM in answers.rooms
    size = extent.label.lower() if extent else "size not given"
    if vulnerable and (
        extent == HazardExtent.LARGE or (in_bedroom and extent != HazardExtent.SMALL)
    ):
        where = "including a bedroom" if in_bedroom else "over a large area"
        return (
            HazardCategory.EMERGENCY,
            f"Damp or mould ({size}), {where}, in a home with: {'; '.join(vulnerable)}.",
        )
    who = f" Household: {'; '.join(vulnerable)}." if vulnerable else " No one at higher risk."
    return (
        HazardCategory.SIGNIFICANT,
        f"Damp or mould reported ({size}): every report is investigated as a possible "
        f"significant hazard.{who}",
    )


def awaabs_law_applies(prop: Property) -> bool:
    """Awaab's Law is a term of social tenancies; long leases and shared ownership are outside
    it (regulation notes, section C)."""
    return prop.tenure == Tenure.GENERAL_NEEDS


# ---------------------------------------------------------------------------------------------
# Reporting a repair
# ---------------------------------------------------------------------------------------------


def reportable_locations(customer: Customer) -> list[str]:
    """Where this household may report a repair: leaseholders and shared owners look after
    their own home, so they report only shared areas, and only a home in a block has those."""
    prop = customer.tenancy.property
    locations: list[str] = []
    if prop.tenure == Tenure.GENERAL_NEEDS:
        locations.append(Location.HOME)
    if prop.block_id is not None:
        locations.append(Location.COMMUNAL)
    return locations


def _check_reportable(customer: Customer, item: catalogue.Item, location: str) -> None:
    if not item.becomes_a_job:
        raise RepairRefused(f"{item.label}: {item.explanation}")
    if location not in reportable_locations(customer):
        if location == Location.HOME:
            raise RepairRefused(
                "As a leaseholder or shared owner you look after the inside of your home. You "
                "can report repairs to shared areas of your building."
            )
        raise RepairRefused("Your home has no shared areas that we look after.")
    area = catalogue.area(item.area)
    if item.priority != Priority.EMERGENCY and area.communal != (location == Location.COMMUNAL):
        raise RepairRefused("That problem cannot be reported for that place.")


def _what_happens_next(repair: Repair) -> str:
    phone = settings.ORGANISATION["emergency_phone"]
    if repair.target_at is None:
        return ""
    if repair.is_emergency:
        return (
            f"This is an emergency. An operative will come within 24 hours, by "
            f"{london_datetime(repair.target_at)}. If things get worse, call us on {phone} "
            f"at any time, day or night."
        )
    if repair.is_defect:
        return (
            f"Your home is still under the builder's guarantee, so we have passed this "
            f"repair to {repair.builder_name}. The builder will contact you to arrange a "
            f"visit; we cannot offer an appointment ourselves. We will keep checking that it "
            f"is done by {london_date(repair.target_at)}."
        )
    return f"We aim to finish this repair by {london_date(repair.target_at)}."


@transaction.atomic
def repair_create(
    *,
    customer: Customer,
    item_code: str,
    location: str,
    description: str,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    emergency_reason: str = "",
    priority: str | None = None,
    hazard: HazardAnswers | None = None,
    slot: Slot | None = None,
    idempotency_key: uuid.UUID | None = None,
    draft: uuid.UUID | None = None,
) -> Repair:
    """Report a repair for ``customer``'s household, start its clocks and tell them.

    - An emergency (``emergency_reason``, or an emergency catalogue entry or hazard) gets the
      24-hour clock and is dispatched: no appointment is offered.
    - A repair to a home inside its defects period is passed to the builder: no appointment.
    - Otherwise ``slot``, if given, is booked in the same transaction; if another customer took
      its last place meanwhile ``SlotFull`` is raised and nothing at all is written.
    - ``hazard`` records the Awaab's Law hazard and starts its clocks beside the repair clock.
    - ``draft`` attaches the photos added while reporting.
    - ``idempotency_key``: a second call with the same key returns the first repair.

    Raises ``RepairRefused`` for what the rules do not allow (a tenant's own repair, a
    leaseholder's home).
    """
    if idempotency_key is not None:
        existing = Repair.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_household(existing, customer)
    item = catalogue.find_item(item_code)
    if item is None:
        raise RepairRefused("Choose a problem from the list.")
    _check_reportable(customer, item, location)
    description = description.strip()
    if not description:
        raise RepairRefused("Describe the problem.")
    category = reason = ""
    if hazard is not None:
        category, reason = hazard_classify(hazard)
    if priority is None:
        priority = item.priority
        if emergency_reason or category == HazardCategory.EMERGENCY:
            priority = Priority.EMERGENCY
        elif category == HazardCategory.SIGNIFICANT and priority == Priority.ROUTINE:
            priority = Priority.URGENT
    prop = customer.tenancy.property
    now = timezone.now()
    is_defect = location == Location.HOME and prop.in_defects_period(_local_today())
    fields: dict[str, Any] = {
        "location": location,
        "block_id": prop.block_id if location == Location.COMMUNAL else None,
        "catalogue_code": item.code,
        "title": item.label,
        "trade": item.trade,
        "priority": priority,
        "patch": prop.patch,
        "description": description,
        "emergency_reason": emergency_reason,
        "is_defect": is_defect,
        "builder_name": prop.builder if is_defect else "",
        "builder_referred_at": now if is_defect else None,
        "idempotency_key": idempotency_key,
    }
    try:
        # A savepoint: a concurrent request with the same token that committed first makes our
        # insert fail; we then return its repair and our transaction carries on usable.
        with transaction.atomic():
            repair = case_open(
                model=Repair,
                customer=customer,
                received_by=received_by,
                status=S.REPORTED,
                actor=actor,
                opened_at=now,
                team=repairs_team(),
                **fields,
            )
    except IntegrityError:
        if idempotency_key is None:
            raise
        return _same_household(Repair.objects.get(idempotency_key=idempotency_key), customer)
    repair.customer, repair.property = customer, prop
    clock = deadline_start(case=repair, code=REPAIR_CLOCK[Priority(priority)], started_at=now)
    repair.target_at = clock.due_at
    Repair.objects.filter(pk=repair.pk).update(target_at=clock.due_at)
    if hazard is not None:
        _hazard_record(
            repair=repair, answers=hazard, category=category, reason=reason, aware_at=now
        )
    if draft is not None:
        _attach_draft_photos(repair=repair, customer=customer, draft=draft, actor=actor)
    if repair.is_emergency:
        _move(
            repair,
            S.DISPATCHED,
            actor=actor,
            note="Emergency: an operative is being sent within 24 hours.",
        )
        _tell_team(
            repair,
            key="dispatch",
            subject=f"Emergency to dispatch: {repair.reference}",
            body=f"{repair.reference}: {repair.title}, {prop.full_address}. "
            f"Attend by {london_datetime(repair.target_at)}.",
        )
    if is_defect:
        if not repair.is_emergency:
            _move(
                repair,
                S.WITH_BUILDER,
                actor=actor,
                note=f"Passed to the builder, {repair.builder_name}, under the guarantee.",
            )
        _tell_team(
            repair,
            key="defect",
            subject=f"Defect for the builder: {repair.reference}",
            body=f"{repair.reference} is a defect in {prop.full_address}. Pass it to "
            f"{repair.builder_name} and record their response.",
        )
    appointment = None
    if slot is not None and not (is_defect or repair.is_emergency):
        appointment = appointment_book(repair=repair, slot=slot, actor=actor, tell=False)
    _tell_reported(repair, appointment)
    return repair


def _same_household(repair: Repair, customer: Customer) -> Repair:
    if repair.tenancy_id != customer.tenancy_id:
        # A token is a random UUID per form: reuse across households is a forgery or a bug.
        raise RepairRefused("This form has already been used. Start again.")
    return repair


def _tell_reported(repair: Repair, appointment: Appointment | None) -> None:
    lines = [
        f"We have received your repair: {repair.title}.",
        f"Your reference is {repair.reference}.",
        "",
        _what_happens_next(repair),
    ]
    if appointment is not None:
        lines.append(f"Your appointment: {slot_label(appointment.date, appointment.window)}.")
    elif not (repair.is_emergency or repair.is_defect):
        lines.append("Choose an appointment on the repair's page when it suits you.")
    _tell(
        repair,
        key="reported",
        subject=f"Repair reported: {repair.reference}",
        body="\n".join(lines),
    )


# ---------------------------------------------------------------------------------------------
# Photos added while reporting
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def draft_photo_add(*, customer: Customer, draft: uuid.UUID, uploaded_file: File) -> DraftPhoto:
    """Check a photo with the case kernel's rules (JPEG or PNG by its bytes, 10 MB, opened
    safely, metadata stripped) and keep it for the report being written.

    Raises ``ValidationError`` (message for the customer) and writes nothing if it is refused.
    """
    count = DraftPhoto.objects.filter(customer=customer, draft=draft).count()
    if count >= MAX_PHOTOS:
        raise ValidationError(f"You can add up to {MAX_PHOTOS} photos", code="too_many_photos")
    # The case kernel's own checks and re-encoding: a photo accepted here is accepted when it
    # is attached to the repair, and a refused one is refused in the kernel's words.
    checked = attachment_check(uploaded_file, photos_only=True)
    photo = DraftPhoto(
        customer=customer,
        draft=draft,
        original_name=checked.original_name,
        mime_type=checked.mime_type,
        uploaded_at=timezone.now(),
    )
    photo.file.save(uuid.uuid4().hex, checked.content, save=False)
    photo.size = photo.file.size
    photo.save()
    return photo


@transaction.atomic
def draft_photo_remove(*, customer: Customer, draft: uuid.UUID, photo_id: int) -> bool:
    photo = DraftPhoto.objects.filter(customer=customer, draft=draft, pk=photo_id).first()
    if photo is None:
        return False
    _delete_on_commit(photo)
    photo.delete()
    return True


def _delete_on_commit(photo: DraftPhoto) -> None:
    storage, name = photo.file.storage, photo.file.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _attach_draft_photos(
    *, repair: Repair, customer: Customer, draft: uuid.UUID, actor: User | None
) -> None:
    for photo in DraftPhoto.objects.filter(customer=customer, draft=draft)[:MAX_PHOTOS]:
        with photo.file.open("rb") as stored:
            upload = File(stored, name=photo.original_name)
            casework_services.attachment_add(
                case=repair, uploaded_file=upload, uploaded_by=actor or customer.user
            )
        _delete_on_commit(photo)
        photo.delete()


@transaction.atomic
def draft_photos_discard_stale(*, now: dt.datetime | None = None) -> int:
    """Remove photos of reports that were never sent."""
    cutoff = (now or timezone.now()) - DRAFT_PHOTO_MAX_AGE
    stale = list(DraftPhoto.objects.filter(uploaded_at__lt=cutoff))
    for photo in stale:
        _delete_on_commit(photo)
    DraftPhoto.objects.filter(pk__in=[p.pk for p in stale]).delete()
    return len(stale)


# ---------------------------------------------------------------------------------------------
# Appointments
# ---------------------------------------------------------------------------------------------


def _claim_place(slot: Slot) -> bool:
    """Take one place in the slot, or return False if it is full or no longer bookable.

    One conditional UPDATE: the database applies it to the row's current value, so two
    customers racing for the last place cannot both succeed, on PostgreSQL or SQLite, without
    holding a lock across the request.
    """
    first_day = _local_today() + dt.timedelta(days=FIRST_BOOKABLE_DAY)
    return bool(
        Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity"), date__gte=first_day).update(
            booked=F("booked") + 1
        )
    )


def _release_place(slot_id: int) -> None:
    Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)


def _booked_appointment(repair: Repair) -> Appointment | None:
    return (
        Appointment.objects.select_for_update()
        .filter(repair=repair, status=AppointmentStatus.BOOKED)
        .first()
    )


@transaction.atomic
def appointment_book(
    *, repair: Repair, slot: Slot, actor: User | None = None, tell: bool = True
) -> Appointment:
    """Book ``slot`` for the repair, moving any appointment it already has.

    Raises ``SlotFull`` when the slot has no place left (nothing is written: the old
    appointment stands), ``RepairRefused`` when the repair cannot be booked (an emergency, a
    builder's defect, finished) or the slot is for another trade or patch.
    """
    _lock(repair)
    if repair.is_emergency:
        raise RepairRefused("An emergency repair is not booked: an operative is sent to you.")
    if repair.status == S.WITH_BUILDER:
        raise RepairRefused("The builder will contact you to arrange a visit.")
    if repair.status not in BOOKABLE_STATUSES:
        raise RepairRefused("This repair cannot be booked now.")
    if (slot.trade, slot.patch) != (repair.trade, repair.patch):
        raise RepairRefused("That appointment is not for this repair.")
    if not _claim_place(slot):
        raise SlotFull("Sorry, that appointment has just been taken. Choose another time.")
    now = timezone.now()
    previous = _booked_appointment(repair)
    if previous is not None:
        previous.status = AppointmentStatus.MOVED
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at"])
        _release_place(previous.slot_id)
    appointment = Appointment.objects.create(
        repair=repair,
        slot=slot,
        date=slot.date,
        window=slot.window,
        booked_at=now,
        booked_by=actor,
        operative_id=repair.operative_id,
    )
    when = slot_label(slot.date, slot.window)
    verb = "moved to" if previous is not None else "booked for"
    _move(repair, S.BOOKED, actor=actor, note=f"Appointment {verb} {when}.")
    if tell:
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:booked",
            subject=f"Appointment {'changed' if previous else 'booked'}: {repair.reference}",
            body=f"Your appointment for {repair.title} is {when}.\n\nWe will remind you the "
            "day before. If you cannot be in, change or cancel it on the repair's page.",
        )
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment: Appointment, by_customer: bool, actor: User | None = None, reason: str = ""
) -> Appointment:
    """Cancel a booked appointment. The repair goes back to be rebooked, never closed.

    ``by_customer=False`` is "we cannot keep your appointment": the customer is told at once,
    with our apology and the way to choose a new time.
    """
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is no longer booked.")
    if not by_customer and not reason.strip():
        raise RepairRefused("Give the reason we cannot keep the appointment.")
    appointment = current
    appointment.status = (
        AppointmentStatus.CANCELLED_BY_CUSTOMER
        if by_customer
        else AppointmentStatus.CANCELLED_BY_US
    )
    appointment.ended_at = timezone.now()
    appointment.reason = reason.strip()
    appointment.save(update_fields=["status", "ended_at", "reason"])
    _release_place(appointment.slot_id)
    when = slot_label(appointment.date, appointment.window)
    if by_customer:
        _move(repair, S.REPORTED, actor=actor, note=f"Appointment on {when} cancelled by you.")
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:cancelled",
            subject=f"Appointment cancelled: {repair.reference}",
            body=f"You cancelled your appointment on {when}. The repair is still open: "
            "choose a new appointment when it suits you.",
        )
    else:
        _move(
            repair,
            S.REPORTED,
            actor=actor,
            note=f"We cannot keep the appointment on {when}: {appointment.reason}",
        )
        _tell(
            repair,
            key=f"appointment:{appointment.pk}:cancelled",
            subject=f"We can't keep your appointment: {repair.reference}",
            body=f"We are sorry: we cannot keep your appointment on {when}.\n\nWhy: "
            f"{appointment.reason}\n\nPlease choose a new time on the repair's page, or "
            f"call us on {settings.ORGANISATION['office_phone']}.",
        )
    return appointment


@transaction.atomic
def appointment_record_no_access(
    *, appointment: Appointment, actor: User | None, note: str = ""
) -> Appointment:
    """We came in the window but could not get in. The repair stays open for a new booking."""
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is not booked.")
    current.status = AppointmentStatus.NO_ACCESS
    current.ended_at = timezone.now()
    current.reason = note.strip()
    current.save(update_fields=["status", "ended_at", "reason"])
    when = slot_label(current.date, current.window)
    _move(repair, S.NO_ACCESS, actor=actor, note=f"We came on {when} but could not get in.")
    _tell(
        repair,
        key=f"appointment:{current.pk}:no_access",
        subject=f"We could not get in: {repair.reference}",
        body=f"We came for your repair ({repair.title}) on {when} but could not get in. The "
        "repair is still open: please choose a new appointment on the repair's page.",
    )
    return current


@transaction.atomic
def appointment_record_missed(
    *, appointment: Appointment, actor: User | None, reason: str
) -> Appointment:
    """We did not come. Counted against "appointments kept"; the customer gets our apology."""
    repair = _lock(appointment.repair)
    current = _booked_appointment(repair)
    if current is None or current.pk != appointment.pk:
        raise RepairRefused("That appointment is not booked.")
    if not reason.strip():
        raise RepairRefused("Give the reason we missed the appointment.")
    current.status = AppointmentStatus.MISSED
    current.ended_at = timezone.now()
    current.reason = reason.strip()
    current.save(update_fields=["status", "ended_at", "reason"])
    when = slot_label(current.date, current.window)
    _move(repair, S.REPORTED, actor=actor, note=f"We missed the appointment on {when}.")
    _tell(
        repair,
        key=f"appointment:{current.pk}:missed",
        subject=f"We are sorry we missed your appointment: {repair.reference}",
        body=f"We are sorry that we did not come on {when}.\n\nPlease choose a new time on the "
        f"repair's page, or call us on {settings.ORGANISATION['office_phone']}.",
    )
    return current


def _appointments_due_for_reminder(day: dt.date, limit: int) -> list[int]:
    return list(
        Appointment.objects.filter(
            date=day, status=AppointmentStatus.BOOKED, reminded_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def appointment_reminders_send(*, now: dt.datetime | None = None, batch_size: int = 200) -> int:
    """Remind every customer whose appointment is tomorrow (Europe/London) and who has not
    been reminded. Safe to run again and again: each reminder has its own message key and is
    marked when queued, so a second run, or two at once, sends nothing twice."""
    now = now or timezone.now()
    tomorrow = timezone.localtime(now, LONDON).date() + dt.timedelta(days=1)
    sent = 0
    while ids := _appointments_due_for_reminder(tomorrow, batch_size):
        with transaction.atomic():
            appointments = (
                Appointment.objects.select_for_update(of=("self",))
                .filter(pk__in=ids, status=AppointmentStatus.BOOKED, reminded_at__isnull=True)
                .select_related("repair__customer__tenancy__property")
            )
            for appointment in appointments:
                repair = appointment.repair
                when = slot_label(appointment.date, appointment.window)
                _tell(
                    repair,
                    key=f"appointment:{appointment.pk}:reminder",
                    subject=f"Reminder: repair appointment tomorrow ({repair.reference})",
                    body=f"We are coming tomorrow, {when}, for your repair: {repair.title}.\n\n"
                    "If you cannot be in, change or cancel the appointment on the "
                    "repair's page.",
                )
                appointment.reminded_at = now
                appointment.save(update_fields=["reminded_at"])
                sent += 1
    return sent


@transaction.atomic
def slots_open(*, start: dt.date | None = None, days: int = SLOT_HORIZON_DAYS) -> int:
    """Open a slot for every capacity plan on every working day from ``start`` (tomorrow by
    default) for ``days`` days. Slots that exist are left alone (their bookings and any
    change a manager made stand). Returns how many were created."""
    start = start or _local_today() + dt.timedelta(days=FIRST_BOOKABLE_DAY)
    plans = list(CapacityPlan.objects.filter(jobs__gt=0))
    working_days = [start + dt.timedelta(days=n) for n in range(days)]
    working_days = [d for d in working_days if calendar.is_working_day(d)]
    rows = [
        Slot(trade=p.trade, patch=p.patch, window=p.window, date=day, capacity=p.jobs)
        for p in plans
        for day in working_days
    ]
    if not rows:
        return 0
    before = Slot.objects.filter(date__gte=start, date__in=working_days).count()
    Slot.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Slot.objects.filter(date__gte=start, date__in=working_days).count() - before


# ---------------------------------------------------------------------------------------------
# Staff: assign, attend, complete, follow on, cancel
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def repair_assign(
    *,
    repair: Repair,
    actor: User,
    operative: Operative | None = None,
    contractor: Contractor | None = None,
) -> Repair:
    """Give the repair to one of our operatives or to a contractor's firm."""
    _lock(repair)
    if repair.closed_at is not None:
        raise RepairRefused("This repair is closed.")
    if operative is None and contractor is None:
        raise RepairRefused("Choose an operative or a contractor.")
    if operative is not None and contractor is None:
        contractor = operative.contractor
    repair.operative = operative
    repair.contractor = contractor
    Repair.objects.filter(pk=repair.pk).update(operative=operative, contractor=contractor)
    Appointment.objects.filter(repair=repair, status=AppointmentStatus.BOOKED).update(
        operative=operative
    )
    who = operative.name if operative else contractor.name  # type: ignore[union-attr]
    if contractor is not None and operative is None:
        case_add_note(
            case=repair,
            actor=actor,
            visible_to_customer=True,
            note=f"Passed to our contractor, {contractor.name}.",
        )
    else:
        case_add_note(
            case=repair, actor=actor, visible_to_customer=False, note=f"Assigned to {who}."
        )
    return repair


@transaction.atomic
def repair_record_attended(
    *,
    repair: Repair,
    actor: User | None,
    made_safe: bool = False,
    note: str = "",
    at: dt.datetime | None = None,
) -> Repair:
    """An operative arrived. For an emergency this meets the 24-hour attendance clock. The
    repair stays open ("more work needed") until it is recorded as completed."""
    _lock(repair)
    if repair.closed_at is not None or repair.status in (S.COMPLETED, S.CANCELLED):
        raise RepairRefused("This repair is finished.")
    at = at or timezone.now()
    updates = {"attended_at": repair.attended_at or at}
    if made_safe and repair.made_safe_at is None:
        updates["made_safe_at"] = at
    Repair.objects.filter(pk=repair.pk).update(**updates)
    for name, value in updates.items():
        setattr(repair, name, value)
    current = _booked_appointment(repair)
    if current is not None:
        current.status, current.ended_at = AppointmentStatus.ATTENDED, at
        current.save(update_fields=["status", "ended_at"])
    if repair.is_emergency:
        case_deadline_meet(
            case=repair, code=REPAIR_CLOCK[Priority.EMERGENCY], actor=actor, met_at=at
        )
    words = "We attended and made it safe." if made_safe else "We attended."
    _move(repair, S.IN_PROGRESS, actor=actor, note=f"{words} {note.strip()}".strip())
    return repair


@dataclass(frozen=True)
class FollowOn:
    """Further work found at a visit, raised as a repair of its own."""

    description: str
    item_code: str | None = None
    priority: str = Priority.ROUTINE


@transaction.atomic
def repair_record_completed(
    *,
    repair: Repair,
    actor: User | None,
    first_time_fix: bool,
    note: str = "",
    follow_on: FollowOn | None = None,
    at: dt.datetime | None = None,
) -> Repair | None:
    """The work is done. Meets the repair clock, asks the customer how we did, and raises any
    follow-on work as a new repair. Returns the follow-on repair, if any.

    The case is closed when no Awaab's Law step is left open; until then it stays on the queue.
    """
    _lock(repair)
    if repair.status in (S.COMPLETED, S.CANCELLED):
        raise RepairRefused("This repair is already finished.")
    at = at or timezone.now()
    first_time_fix = bool(first_time_fix and follow_on is None and repair.reopened_count == 0)
    repair.completed_at = at
    repair.attended_at = repair.attended_at or at
    repair.first_time_fix = first_time_fix
    Repair.objects.filter(pk=repair.pk).update(
        completed_at=at, attended_at=repair.attended_at, first_time_fix=first_time_fix
    )
    current = _booked_appointment(repair)
    if current is not None:
        current.status, current.ended_at = AppointmentStatus.ATTENDED, at
        current.save(update_fields=["status", "ended_at"])
    for code in set(REPAIR_CLOCK.values()):
        case_deadline_meet(case=repair, code=code, actor=actor, met_at=at)
    _move(repair, S.COMPLETED, actor=actor, note=f"Repair completed. {note.strip()}".strip())
    _close_if_done(repair)
    follow_on_repair = None
    if follow_on is not None:
        follow_on_repair = _raise_follow_on(repair=repair, follow_on=follow_on, actor=actor)
    _tell(
        repair,
        key=f"completed:{repair.reopened_count}",
        subject=f"Repair completed: {repair.reference}",
        body=f"We have completed your repair: {repair.title}.\n\nHow did we do? Two quick "
        "questions on the repair's page help us improve. If it is not fixed, tell us "
        "there and we will put it right.",
    )
    return follow_on_repair


def _raise_follow_on(*, repair: Repair, follow_on: FollowOn, actor: User | None) -> Repair:
    item = catalogue.item(follow_on.item_code or repair.catalogue_code)
    new = repair_create(
        customer=repair.customer,
        item_code=item.code,
        location=repair.location,
        description=follow_on.description,
        received_by=ReceivedBy.STAFF,
        actor=actor,
        priority=follow_on.priority,
    )
    Repair.objects.filter(pk=new.pk).update(follow_on_of=repair)
    new.follow_on_of = repair
    casework_services.case_link(
        from_case=new,
        to_case=repair,
        relation="follow-on work for",
        actor=actor,
        visible_to_customer=True,
    )
    return new


@transaction.atomic
def repair_cancel(*, repair: Repair, actor: User, reason: str) -> Repair:
    """Staff only, with a reason (reported in error, the customer no longer wants it)."""
    _lock(repair)
    if not reason.strip():
        raise RepairRefused("Give the reason for cancelling.")
    current = _booked_appointment(repair)
    if current is not None:
        current.status = AppointmentStatus.CANCELLED_BY_US
        current.ended_at, current.reason = timezone.now(), reason.strip()
        current.save(update_fields=["status", "ended_at", "reason"])
        _release_place(current.slot_id)
    _move(repair, S.CANCELLED, actor=actor, note=f"Cancelled: {reason.strip()}", closes=True)
    _stop_clocks(repair)
    _tell(
        repair,
        key="cancelled",
        subject=f"Repair cancelled: {repair.reference}",
        body=f"We have cancelled your repair ({repair.title}).\n\nWhy: {reason.strip()}\n\nIf "
        f"this is wrong, call us on {settings.ORGANISATION['office_phone']}.",
    )
    return repair


# ---------------------------------------------------------------------------------------------
# Builders' defects
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def repair_record_builder_response(
    *, repair: Repair, actor: User, response: str, builder_will_repair: bool
) -> Repair:
    """What the builder said. If they will not do it, the repair comes back to us to book."""
    _lock(repair)
    if not repair.is_defect:
        raise RepairRefused("This repair was not passed to a builder.")
    if not response.strip():
        raise RepairRefused("Enter the builder's response.")
    now = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(
        builder_response=response.strip(), builder_responded_at=now
    )
    repair.builder_response, repair.builder_responded_at = response.strip(), now
    if builder_will_repair:
        case_add_note(
            case=repair,
            actor=actor,
            visible_to_customer=True,
            note=f"{repair.builder_name} will do the repair and will contact you.",
        )
        _tell(
            repair,
            key="builder:accepted",
            subject=f"The builder will fix it: {repair.reference}",
            body=f"{repair.builder_name} has agreed to repair {repair.title} under the "
            "guarantee and will contact you to arrange it.",
        )
    else:
        _move(
            repair,
            S.REPORTED,
            actor=actor,
            note="The builder will not do this repair under the guarantee, so we will.",
        )
        _tell(
            repair,
            key="builder:declined",
            subject=f"We will do your repair: {repair.reference}",
            body=f"The builder will not repair {repair.title} under the guarantee, so we will "
            "do it ourselves. Choose an appointment on the repair's page.",
        )
    return repair


# ---------------------------------------------------------------------------------------------
# The customer after completion: not fixed, satisfaction
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def repair_reopen(
    *, repair: Repair, customer: Customer | None, actor: User | None, details: str
) -> Repair:
    """ "This is not fixed": the same repair reopens with a fresh clock of its priority. RP02
    still measures it against its first target, since the first fix did not hold."""
    _lock(repair)
    if repair.status != S.COMPLETED:
        raise RepairRefused("Only a completed repair can be reopened.")
    if not details.strip():
        raise RepairRefused("Tell us what is still wrong.")
    reopened = repair.reopened_count + 1
    Repair.objects.filter(pk=repair.pk).update(
        reopened_count=reopened, completed_at=None, closed_at=None, first_time_fix=False
    )
    repair.reopened_count, repair.completed_at, repair.first_time_fix = reopened, None, False
    repair.closed_at = None
    _move(repair, S.REPORTED, actor=actor, note=f"Reopened: not fixed. {details.strip()}")
    deadline_start(case=repair, code=REPAIR_CLOCK[Priority(repair.priority)])
    _tell(
        repair,
        key=f"reopened:{reopened}",
        subject=f"Repair reopened: {repair.reference}",
        body=f"Sorry it is not fixed. We have reopened your repair ({repair.title}). "
        + ("" if repair.is_emergency else "Choose an appointment on the repair's page."),
    )
    return repair


@transaction.atomic
def repair_report_not_fixed(
    *, repair: Repair, customer: Customer, details: str, make_complaint: bool
):
    """The customer says the repair is not fixed. It is reopened either way, since the work
    still needs doing; if they also want to complain, a stage 1 complaint is opened about it,
    linked to the repair so its handler sees the repair's whole history. Returns the complaint
    if one was opened, otherwise the repair.

    The complaint is received now, through the complaints service's own entry point
    (``complaint_create(about=...)``): ``complaint_create_from_case`` would date it from the
    day the repair was reported, which is right for a request that was a complaint from the
    start but would start this one's clocks months late.
    """
    repair_reopen(repair=repair, customer=customer, actor=customer.user, details=details)
    if not make_complaint:
        return repair

    complaint = complaint_create(
        customer=customer,
        subject=f"Repair {repair.reference} not fixed: {repair.title}"[:200],
        details=details.strip(),
        service_area="repairs",
        received_by=ReceivedBy.PORTAL,
        about=repair,
        idempotency_key=uuid.uuid5(
            uuid.NAMESPACE_URL, f"repair:{repair.pk}:not-fixed:{repair.reopened_count}"
        ),
    )
    case_add_note(
        case=repair,
        actor=customer.user,
        visible_to_customer=True,
        note=f"You made a complaint about this repair: {complaint.reference}.",
    )
    return complaint


@transaction.atomic
def repair_record_satisfaction(
    *, repair: Repair, customer: Customer, overall: int, time_taken: int, comment: str = ""
) -> Repair:
    """The two TSM repair questions, once per repair, after it is completed."""
    _lock(repair)
    if repair.status != S.COMPLETED:
        raise RepairRefused("You can tell us how we did once the repair is completed.")
    if repair.satisfaction_at is not None:
        raise RepairRefused("You have already told us how we did. Thank you.")
    if overall not in Satisfaction.values or time_taken not in Satisfaction.values:
        raise RepairRefused("Choose an answer to each question.")
    now = timezone.now()
    Repair.objects.filter(pk=repair.pk).update(
        satisfaction_overall=overall,
        satisfaction_time=time_taken,
        satisfaction_comment=comment.strip(),
        satisfaction_at=now,
    )
    repair.satisfaction_overall, repair.satisfaction_time = overall, time_taken
    repair.satisfaction_comment, repair.satisfaction_at = comment.strip(), now
    case_add_note(
        case=repair,
        actor=customer.user,
        visible_to_customer=True,
        note="Thank you for telling us how we did.",
    )
    return repair


# ---------------------------------------------------------------------------------------------
# Awaab's Law steps
# ---------------------------------------------------------------------------------------------


def _hazard_record(
    *, repair: Repair, answers: HazardAnswers, category: str, reason: str, aware_at: dt.datetime
) -> Hazard:
    applies = awaabs_law_applies(repair.property)
    hazard = Hazard.objects.create(
        repair=repair,
        hazard_type=answers.hazard_type,
        category=category,
        category_reason=reason
        if applies
        else f"{reason} Awaab's Law does not apply to this tenure; repaired to the same standard.",
        awaabs_law_applies=applies,
        aware_at=aware_at,
        rooms=", ".join(DampRoom(r).label for r in answers.rooms if r in DampRoom.values),
        extent=answers.extent if answers.extent in HazardExtent.values else "",
        vulnerabilities=", ".join(
            Vulnerability(v).label for v in answers.vulnerabilities if v in Vulnerability.values
        ),
    )
    if applies:
        code = HAZARD_EMERGENCY if category == HazardCategory.EMERGENCY else HAZARD_INVESTIGATE
        deadline_start(case=repair, code=code, started_at=aware_at)
    return hazard


@transaction.atomic
def hazard_record_investigation(
    *,
    hazard: Hazard,
    actor: User,
    finding: str,
    findings: str,
    further_works_needed: bool,
    at: dt.datetime | None = None,
) -> Hazard:
    """The investigation concluded. Meets the investigation clock and starts the ones the law
    runs from here: the written summary (3 working days), making safe a significant hazard
    (5 working days), and beginning further works (5 working days, physically within 12
    weeks). An investigation that finds no hazard ends the make-safe duty."""
    repair = _lock(hazard.repair)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    hazard.repair = repair
    if hazard.investigated_at is not None:
        raise RepairRefused("The investigation has already been recorded.")
    if finding not in HazardCategory.values or not findings.strip():
        raise RepairRefused("Record what the investigation found.")
    at = at or timezone.now()
    found = finding != HazardCategory.NONE
    hazard.investigated_at, hazard.investigated_by = at, actor
    hazard.finding, hazard.findings = finding, findings.strip()
    hazard.further_works_needed = bool(found and further_works_needed)
    if hazard.further_works_needed:
        hazard.further_works_long_stop = (at + FURTHER_WORKS_LONG_STOP).astimezone(LONDON).date()
    hazard.save(
        update_fields=[
            "investigated_at",
            "investigated_by",
            "finding",
            "findings",
            "further_works_needed",
            "further_works_long_stop",
        ]
    )
    if hazard.awaabs_law_applies:
        case_deadline_meet(case=repair, code=HAZARD_INVESTIGATE, actor=actor, met_at=at)
        deadline_start(case=repair, code=HAZARD_SUMMARY, started_at=at)
        if finding == HazardCategory.NONE:
            case_deadline_meet(case=repair, code=HAZARD_EMERGENCY, actor=actor, met_at=at)
        elif hazard.made_safe_at is None:
            if finding == HazardCategory.SIGNIFICANT:
                deadline_start(case=repair, code=HAZARD_MAKE_SAFE, started_at=at)
            elif hazard.category != HazardCategory.EMERGENCY:
                # Found to be an emergency on investigation: the 24 hours run from now.
                deadline_start(case=repair, code=HAZARD_EMERGENCY, started_at=at)
        if hazard.further_works_needed:
            deadline_start(case=repair, code=HAZARD_WORKS_START, started_at=at)
            deadline_start(case=repair, code=HAZARD_WORKS_LONG_STOP, started_at=at)
    case_add_note(
        case=repair,
        actor=actor,
        visible_to_customer=True,
        note=f"We investigated: {HazardCategory(finding).label.lower()}. We will send "
        "you a written summary of what we found.",
    )
    return hazard


@transaction.atomic
def hazard_send_summary(*, hazard: Hazard, actor: User, summary: str) -> Hazard:
    """Send the tenant the written summary of the investigation (Awaab's Law: within 3 working
    days of it concluding). The summary is the message itself, kept in their inbox."""
    repair = _lock(hazard.repair)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.investigated_at is None:
        raise RepairRefused("Record the investigation first.")
    if hazard.summary_sent_at is not None:
        raise RepairRefused("The written summary has already been sent.")
    if not summary.strip():
        raise RepairRefused("Write the summary.")
    now = timezone.now()
    hazard.summary, hazard.summary_sent_at = summary.strip(), now
    hazard.save(update_fields=["summary", "summary_sent_at"])
    case_deadline_meet(case=repair, code=HAZARD_SUMMARY, actor=actor, met_at=now)
    case_add_note(
        case=repair,
        actor=actor,
        visible_to_customer=True,
        note="We sent you a written summary of our investigation.",
    )
    _tell(
        repair,
        key="hazard:summary",
        subject=f"What we found: {repair.reference} ({hazard.get_hazard_type_display()})",
        body=f"Written summary of our investigation on "
        f"{london_date(hazard.investigated_at)}:\n\n{hazard.summary}",
    )
    _close_if_done(repair)
    return hazard


@transaction.atomic
def hazard_record_made_safe(
    *, hazard: Hazard, actor: User, note: str = "", at: dt.datetime | None = None
) -> Hazard:
    repair = _lock(hazard.repair)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.made_safe_at is not None:
        raise RepairRefused("Making safe has already been recorded.")
    at = at or timezone.now()
    hazard.made_safe_at = at
    hazard.save(update_fields=["made_safe_at"])
    if repair.made_safe_at is None:
        Repair.objects.filter(pk=repair.pk).update(made_safe_at=at)
        repair.made_safe_at = at
    case_deadline_meet(case=repair, code=HAZARD_EMERGENCY, actor=actor, met_at=at)
    case_deadline_meet(case=repair, code=HAZARD_MAKE_SAFE, actor=actor, met_at=at)
    case_add_note(
        case=repair,
        actor=actor,
        visible_to_customer=True,
        note=f"We made your home safe. {note.strip()}".strip(),
    )
    _tell(
        repair,
        key="hazard:made_safe",
        subject=f"Your home has been made safe: {repair.reference}",
        body="We have done the work to make your home safe. "
        + (
            "We will now start the further works we told you about."
            if hazard.further_works_needed
            else ""
        ),
    )
    _close_if_done(repair)
    return hazard


@transaction.atomic
def hazard_record_further_works(
    *,
    hazard: Hazard,
    actor: User,
    physically_started: bool,
    note: str = "",
    at: dt.datetime | None = None,
) -> Hazard:
    """Further works have begun: steps taken to begin (meets the 5 working day clock), or the
    works physically started (meets that and the 12-week long stop)."""
    repair = _lock(hazard.repair)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if not hazard.further_works_needed:
        raise RepairRefused("No further works were found to be needed.")
    if hazard.further_works_started_at is not None:
        raise RepairRefused("The further works have already started.")
    at = at or timezone.now()
    case_deadline_meet(case=repair, code=HAZARD_WORKS_START, actor=actor, met_at=at)
    if physically_started:
        hazard.further_works_started_at = at
        hazard.save(update_fields=["further_works_started_at"])
        case_deadline_meet(case=repair, code=HAZARD_WORKS_LONG_STOP, actor=actor, met_at=at)
        words = "The further works have started."
    else:
        words = "We have begun arranging the further works."
    case_add_note(
        case=repair, actor=actor, visible_to_customer=True, note=f"{words} {note.strip()}".strip()
    )
    _close_if_done(repair)
    return hazard


@transaction.atomic
def hazard_record_further_works_completed(
    *, hazard: Hazard, actor: User, at: dt.datetime | None = None
) -> Hazard:
    repair = _lock(hazard.repair)
    hazard = Hazard.objects.select_for_update().get(pk=hazard.pk)
    if hazard.further_works_started_at is None:
        raise RepairRefused("Record that the further works started first.")
    if hazard.further_works_completed_at is not None:
        raise RepairRefused("The further works are already recorded as complete.")
    hazard.further_works_completed_at = at or timezone.now()
    hazard.save(update_fields=["further_works_completed_at"])
    case_add_note(
        case=repair, actor=actor, visible_to_customer=True, note="The further works are complete."
    )
    return hazard


# ---------------------------------------------------------------------------------------------
# Planned improvement programmes
# ---------------------------------------------------------------------------------------------


def _is_owner_occupier(prop: Property) -> bool:
    return prop.tenure in (Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP)


def _household_contact(prop: Property) -> Customer | None:
    """The lead person of the home's current tenancy or lease, to write to about works."""
    return (
        Customer.objects.select_related("tenancy__property")
        .filter(tenancy__property=prop, tenancy__end_date__isnull=True)
        .exclude(household_role="member")
        .order_by("id")
        .first()
    )


def _tell_planned(work: PlannedWork, *, key: str, subject: str, body: str) -> None:
    customer = _household_contact(work.property)
    if customer is None:
        return
    notify_customer(
        customer=customer,
        subject=subject[:200],
        body=f"{body}\n\nSee your planned works: {settings.SITE_URL}{reverse('repairs:list')}",
        key=f"planned:{work.pk}:{key}",
        about=None,
    )


@transaction.atomic
def programme_add_homes(*, programme: Programme, homes: Iterable[Property]) -> int:
    """Put homes in a programme. Tenants' homes wait for a survey; leaseholders' and shared
    owners' homes start with consultation, since they pay a share and must be asked first."""
    now = timezone.now()
    rows = [
        PlannedWork(
            programme=programme,
            property=home,
            updated_at=now,
            status=PlannedWorkStatus.CONSULTING
            if _is_owner_occupier(home)
            else PlannedWorkStatus.TO_INSPECT,
        )
        for home in homes
    ]
    existing = set(
        PlannedWork.objects.filter(programme=programme).values_list("property_id", flat=True)
    )
    new = [r for r in rows if r.property_id not in existing]
    PlannedWork.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def programme_consult_leaseholders(*, programme: Programme, actor: User) -> int:
    """Send each leaseholder and shared owner in the programme the notice of the proposed
    works with clear timescales: what, when, their estimated share, and the date by which
    to send us their observations (30 days)."""
    now = timezone.now()
    observations_by = timezone.localtime(now, LONDON).date() + dt.timedelta(
        days=LEASEHOLDER_OBSERVATION_DAYS
    )
    works = list(
        PlannedWork.objects.select_related("property").filter(
            programme=programme, status=PlannedWorkStatus.CONSULTING, consulted_at__isnull=True
        )
    )
    for work in works:
        work.consulted_at, work.observations_by, work.updated_at = now, observations_by, now
        cost = (
            f"\nYour estimated share of the cost: £{programme.estimated_cost_per_home:,.2f}."
            if programme.estimated_cost_per_home is not None
            else ""
        )
        _tell_planned(
            work,
            key="consultation",
            subject=f"Planned works to your building: {programme.name}",
            body=f"We are planning this work: {programme.description}\n\nWhen: between "
            f"{london_date(programme.works_start)} and "
            f"{london_date(programme.works_end)}.{cost}\n\nPlease send us any comments "
            f"by {london_date(observations_by)}. We will consider every comment "
            "before we go ahead, and tell you what we decided.",
        )
    PlannedWork.objects.bulk_update(works, ["consulted_at", "observations_by", "updated_at"])
    return len(works)


_PLANNED_ALLOWED: dict[str, set[str]] = {
    PlannedWorkStatus.CONSULTING: {PlannedWorkStatus.TO_INSPECT, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.TO_INSPECT: {
        PlannedWorkStatus.INSPECTION_BOOKED,
        PlannedWorkStatus.WITHDRAWN,
    },
    PlannedWorkStatus.INSPECTION_BOOKED: {
        PlannedWorkStatus.INSPECTION_BOOKED,
        PlannedWorkStatus.INSPECTED,
        PlannedWorkStatus.WITHDRAWN,
    },
    PlannedWorkStatus.INSPECTED: {PlannedWorkStatus.CONFIRMED, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.CONFIRMED: {PlannedWorkStatus.BOOKED, PlannedWorkStatus.WITHDRAWN},
    PlannedWorkStatus.BOOKED: {
        PlannedWorkStatus.BOOKED,
        PlannedWorkStatus.COMPLETED,
        PlannedWorkStatus.WITHDRAWN,
    },
}


def _planned_move(work: PlannedWork, to_status: str) -> PlannedWork:
    locked = (
        PlannedWork.objects.select_for_update()
        .select_related("property", "programme")
        .get(pk=work.pk)
    )
    if to_status not in _PLANNED_ALLOWED.get(locked.status, set()):
        raise RepairRefused(
            f"These works are at '{PlannedWorkStatus(locked.status).label}'; that step does not "
            "follow."
        )
    if (
        locked.status == PlannedWorkStatus.CONSULTING
        and to_status == PlannedWorkStatus.TO_INSPECT
        and (locked.observations_by is None or _local_today() <= locked.observations_by)
    ):
        raise RepairRefused("The leaseholder consultation has not ended yet.")
    locked.status = to_status
    locked.updated_at = timezone.now()
    return locked


@transaction.atomic
def planned_work_end_consultation(*, work: PlannedWork, observations: str = "") -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.TO_INSPECT)
    work.observations = observations.strip()
    work.save(update_fields=["status", "updated_at", "observations"])
    _tell_planned(
        work,
        key="consultation_ended",
        subject=f"Planned works going ahead: {work.programme.name}",
        body="Thank you for your comments. The works are going ahead: we will contact "
        "you to arrange a survey.",
    )
    return work


@transaction.atomic
def planned_work_book_inspection(*, work: PlannedWork, date: dt.date, window: str) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.INSPECTION_BOOKED)
    work.inspection_date, work.inspection_window = date, window
    work.save(update_fields=["status", "updated_at", "inspection_date", "inspection_window"])
    _tell_planned(
        work,
        key=f"inspection:{date.isoformat()}:{window}",
        subject=f"Survey booked: {work.programme.name}",
        body=f"We will survey your home for {work.programme.get_kind_display().lower()}"
        f" on {slot_label(date, window)}.",
    )
    return work


@transaction.atomic
def planned_work_record_inspection(*, work: PlannedWork, confirmed_works: str) -> PlannedWork:
    """The survey is done and says what will be done: the customer is told in writing."""
    if not confirmed_works.strip():
        raise RepairRefused("Describe the works the survey confirmed.")
    work = _planned_move(work, PlannedWorkStatus.INSPECTED)
    work.inspected_at = timezone.now()
    work.save(update_fields=["status", "updated_at", "inspected_at"])
    work = _planned_move(work, PlannedWorkStatus.CONFIRMED)
    work.confirmed_works = confirmed_works.strip()
    work.save(update_fields=["status", "updated_at", "confirmed_works"])
    _tell_planned(
        work,
        key="confirmed",
        subject=f"Your planned works: {work.programme.name}",
        body=f"After the survey, this is what we will do:\n\n{work.confirmed_works}\n\n"
        "We will agree a date with you that suits you.",
    )
    return work


@transaction.atomic
def planned_work_book(*, work: PlannedWork, date: dt.date, window: str) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.BOOKED)
    work.works_date, work.works_window = date, window
    work.save(update_fields=["status", "updated_at", "works_date", "works_window"])
    _tell_planned(
        work,
        key=f"booked:{date.isoformat()}:{window}",
        subject=f"Works booked: {work.programme.name}",
        body=f"Your works start on {slot_label(date, window)}, the time we agreed with you.",
    )
    return work


@transaction.atomic
def planned_work_complete(*, work: PlannedWork) -> PlannedWork:
    work = _planned_move(work, PlannedWorkStatus.COMPLETED)
    work.completed_at = timezone.now()
    work.save(update_fields=["status", "updated_at", "completed_at"])
    _tell_planned(
        work,
        key="completed",
        subject=f"Works completed: {work.programme.name}",
        body="Your planned works are complete. If anything is wrong, report a repair.",
    )
    return work
