"""Reporting a repair, with the photos added while reporting."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from casework.models import ReceivedBy, Team
from casework.services import attachment_check, case_open
from kernel.formatting import london_date, london_datetime
from notifications.services import notify_staff
from repairs import catalogue
from repairs.catalogue import Location, Priority
from repairs.models import Appointment, DraftPhoto, HazardCategory, Repair, Slot, slot_label
from repairs.services._common import REPAIR_CLOCK, RepairRefused, S, _local_today, _move, _tell
from repairs.services.appointments import appointment_book
from repairs.services.hazards import HazardAnswers, _hazard_record, hazard_classify
from sla.services import deadline_start
from tenancy.models import Customer, Tenure

if TYPE_CHECKING:
    from accounts.models import User


TEAM_NAME = "Repairs"
MAX_PHOTOS = 5

# A report left unfinished keeps its photos this long, then they are swept away.
DRAFT_PHOTO_MAX_AGE = dt.timedelta(days=7)


def repairs_team() -> Team | None:
    return Team.objects.filter(name=TEAM_NAME).select_related("lead").first()


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


def reportable_locations(customer: Customer) -> list[str]:
    """Where this household may report a repair: leaseholders and shared owners look after
    their own home, so they report only shared areas, and only a home in a block has those."""
    prop = customer.household.property
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


def repair_priority(item: catalogue.Item, *, reported_emergency: bool, hazard_category: str) -> str:
    """The priority a report gets: the catalogue's, raised to an emergency when the customer
    says it is one or the hazard is, and to urgent for a significant hazard."""
    if reported_emergency or hazard_category == HazardCategory.EMERGENCY:
        return Priority.EMERGENCY
    if hazard_category == HazardCategory.SIGNIFICANT and item.priority == Priority.ROUTINE:
        return Priority.URGENT
    return item.priority


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
    tell_customer: bool = True,
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
    - ``tell_customer=False``: nobody lives there to tell (a void repair, raised by lettings).

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
        priority = repair_priority(
            item, reported_emergency=bool(emergency_reason), hazard_category=category
        )
    prop = customer.household.property
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
    if tell_customer:
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
