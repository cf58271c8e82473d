"""Writes of the compliance register: which checks apply, a check done (its record, certificate
and the clocks it meets and starts), remedial work, the steps taken to get into a home, the
invitations sent before a check is due, and the import of last-check dates.

Every clock goes through the sla services in the same transaction as the event that starts or
meets it; every message through the notifications outbox with a key, so a retried request sends
nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.models import Team
from casework.services import attachment_check
from kernel.formatting import LONDON, london_date
from kernel.roles import Role
from notifications.services import notify_customer, notify_staff
from repairs.handover import (
    RepairRefused,
    VisitSlot,
    remedial_repair_create,
    visit_slot_claim,
    visit_slot_release,
    visit_slots_offered,
)
from safety.models import (
    DANGEROUS_OUTCOMES,
    FRA_MONTHS_BY_RISK,
    NO_ACCESS_STEPS,
    REMEDIAL_CLOCKS,
    AccessAttempt,
    AccessStage,
    Appliance,
    CheckRecord,
    CheckType,
    CheckVisit,
    ComplianceCheck,
    Contractor,
    RecordSource,
    RemedialWork,
    Risk,
    outcomes_for,
)
from sla.calendar import add_months
from sla.models import Commitment, Deadline
from sla.services import deadline_meet, deadline_start
from tenancy.models import Block, Customer, HouseholdRole, Property, Tenure

if TYPE_CHECKING:
    from accounts.models import User


class SafetyRefused(Exception):
    """A write the rules do not allow; ``problems`` says why, one line each. Nothing written."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


# Heights that bring in the Fire Safety (England) Regulations 2022 door checks (over 11 m) and
# the high-rise duties (18 m or 7 storeys): regulation.md section G.
DOOR_CHECK_HEIGHT_METRES = 11
HIGH_RISE_METRES = 18
HIGH_RISE_STOREYS = 7

# The records the law says go to the tenant within 28 days, and the clock of each.
TO_TENANT_CLOCKS: dict[str, str] = {
    CheckType.GAS: "gas.record_to_tenant",
    CheckType.ELECTRICAL: "electrical.report_to_tenant",
}
# Which registration a record's engineer must hold, checked against the contractor's record.
REGISTRATION_FIELDS: dict[str, tuple[str, str]] = {
    CheckType.GAS: ("gas_safe_number", "Gas Safe"),
    CheckType.ELECTRICAL: ("electrical_number", "NICEIC or NAPIT"),
}


def _midday(day: dt.date) -> dt.datetime:
    # A check's day as a moment: midday London time is that day whatever the clocks do.
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _household_contact(home: Property | None) -> Customer | None:
    """The lead tenant of the household living in ``home`` now, if any (a void has none, nor a
    block)."""
    if home is None:
        return None
    today = timezone.localdate()
    return (
        Customer.objects.filter(
            tenancy__property=home,
            household_role__in=[
                HouseholdRole.LEAD_TENANT,
                HouseholdRole.JOINT_TENANT,
                HouseholdRole.LEASEHOLDER,
                HouseholdRole.SHARED_OWNER,
            ],
        )
        .filter(Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today))
        .select_related("tenancy")
        .order_by("household_role", "pk")
        .first()
    )


def _compliance_lead() -> User | None:
    team = Team.objects.filter(role=Role.COMPLIANCE).select_related("lead").first()
    lead = team.lead if team is not None else None
    return lead if lead is not None and lead.is_active and lead.email else None


def _safety_page_link() -> str:
    return reverse("safety:your_safety")


# --- which checks apply ----------------------------------------------------------------------


@transaction.atomic
def check_register(
    *,
    check_type: str,
    home: Property | None = None,
    block: Block | None = None,
    appliance: str = "",
    risk: str = "",
    interval_months: int | None = None,
) -> ComplianceCheck:
    """The check ``check_type`` on ``home`` or ``block`` (one of them), made to apply. A check
    already registered is returned (and applies again if it had been retired), so running this
    twice registers once. A new check has no clock until its first record: until then it is
    overdue (never done), never "not due"."""
    if (home is None) == (block is None):
        raise ValueError("A check belongs to a home or to a block.")
    if check_type == CheckType.GAS and appliance not in Appliance.values:
        raise SafetyRefused("Say which appliance the gas safety check covers.")
    if check_type != CheckType.GAS:
        appliance = ""
    if check_type == CheckType.FIRE_RISK and risk:
        interval_months = interval_months or FRA_MONTHS_BY_RISK[Risk(risk)]
    lookup: dict[str, object] = {"check_type": check_type, "appliance": appliance}
    lookup.update({"property": home} if home is not None else {"block": block})
    check, created = ComplianceCheck.objects.get_or_create(
        **lookup,
        defaults={
            "risk": risk,
            "interval_months": interval_months,
            "registered_at": timezone.now(),
        },
    )
    if not created and not check.applies:
        check.applies = True
        check.save(update_fields=["applies"])
    return check


@transaction.atomic
def home_checks_register(
    *,
    home: Property,
    appliances: list[str],
    asbestos: bool = False,
    water: bool = False,
) -> list[ComplianceCheck]:
    """Register what applies to a home: a gas check per landlord's appliance (none for an
    all-electric home), the EICR and the alarms for a rented home (leaseholders and shared
    owners look after their own installation), and asbestos or water checks where the home has
    them of its own."""
    checks = [
        check_register(check_type=CheckType.GAS, home=home, appliance=appliance)
        for appliance in appliances
    ]
    if home.tenure == Tenure.GENERAL_NEEDS:
        checks.append(check_register(check_type=CheckType.ELECTRICAL, home=home))
        checks.append(check_register(check_type=CheckType.ALARMS, home=home))
    if asbestos:
        checks.append(check_register(check_type=CheckType.ASBESTOS, home=home))
    if water:
        checks.append(check_register(check_type=CheckType.WATER, home=home))
    return checks


def is_high_rise(block: Block) -> bool:
    height = block.height_metres
    return (height is not None and height >= HIGH_RISE_METRES) or block.storeys >= HIGH_RISE_STOREYS


@transaction.atomic
def block_checks_register(*, block: Block, risk: str = Risk.NORMAL) -> list[ComplianceCheck]:
    """Register what applies to a block's shared parts: the fire risk assessment (its review
    interval by the block's risk), the fire door checks over 11 m, the lifts, and the water
    and asbestos of the shared parts."""
    checks = [
        check_register(check_type=CheckType.FIRE_RISK, block=block, risk=risk),
        check_register(check_type=CheckType.WATER, block=block),
        check_register(check_type=CheckType.ASBESTOS, block=block),
    ]
    if block.height_metres is not None and block.height_metres > DOOR_CHECK_HEIGHT_METRES:
        checks.append(check_register(check_type=CheckType.COMMUNAL_FIRE_DOORS, block=block))
        checks.append(check_register(check_type=CheckType.FLAT_ENTRANCE_DOORS, block=block))
    if block.has_lift:
        checks.append(check_register(check_type=CheckType.PASSENGER_LIFT, block=block))
        if is_high_rise(block):
            checks.append(check_register(check_type=CheckType.FIREFIGHTING_LIFT, block=block))
    return checks


# --- a check done ----------------------------------------------------------------------------


def next_cycle_start(*, check_type: str, done_on: dt.date, due_on: dt.date | None) -> dt.date:
    """The day the next interval runs from.

    Gas (GSIUR reg 36A): a check done in the two months ending with the deadline date (10 to 12
    months after the last) is treated as done on the deadline date, so the original date is
    kept; one done earlier, or after the deadline, starts the cycle again from its own date.
    Every other check runs from the day it was done."""
    if check_type == CheckType.GAS and due_on is not None:
        window_opens_after = add_months(due_on, -2)
        if window_opens_after < done_on <= due_on:
            return due_on
    return done_on


@dataclass(frozen=True)
class RecordDetails:
    """What a record says, as the staff form and the import read it."""

    done_on: dt.date
    outcome: str
    contractor: Contractor | None = None
    engineer_name: str = ""
    engineer_registration: str = ""
    next_due_months: int | None = None
    alarms_checked: bool = False
    notes: str = ""


def record_problems(check: ComplianceCheck, details: RecordDetails, *, today: dt.date) -> list[str]:
    """Why a record cannot be kept, one line each (none when it can)."""
    problems = []
    if details.done_on > today:
        problems.append("The date of the check must be today or in the past.")
    if details.outcome not in outcomes_for(check.check_type):
        problems.append(
            f"'{details.outcome}' is not a possible outcome of a {check.get_check_type_display().lower()}."
        )
    interval = _interval(check)
    if details.next_due_months is not None and not 1 <= details.next_due_months <= interval:
        problems.append(f"The report's next check must be within 1 to {interval} months.")
    registration = REGISTRATION_FIELDS.get(check.check_type)
    if registration is not None:
        field_name, scheme = registration
        contractor = details.contractor
        if contractor is None or not contractor.is_active:
            problems.append("Choose the contractor whose engineer did the check.")
        elif not details.engineer_registration.strip():
            problems.append(f"Give the engineer's {scheme} registration number.")
        elif _normalise(details.engineer_registration) != _normalise(
            getattr(contractor, field_name)
        ):
            problems.append(
                f"The {scheme} number does not match {contractor.name}'s registration on our "
                "records."
            )
    return problems


def _normalise(registration: str) -> str:
    return "".join(registration.split()).upper()


def _interval(check: ComplianceCheck) -> int:
    if check.interval_months:
        return check.interval_months
    return Commitment.objects.only("amount").get(code=check.clock_code).amount


def _current_clock_due_day(check: ComplianceCheck) -> dt.date | None:
    deadline = (
        Deadline.objects.for_case(check)
        .unmet()
        .filter(commitment__code=check.clock_code)
        .order_by("original_due_at")
        .first()
    )
    return _local_day(deadline.original_due_at) if deadline is not None else None


def _restart_clock(check: ComplianceCheck, *, done_on: dt.date, months: int) -> Deadline:
    """Meet the check's running clock with a check done on ``done_on`` and start the next one
    from the day reg 36A (or the plain interval) says."""
    due_on = _current_clock_due_day(check)
    start = next_cycle_start(check_type=check.check_type, done_on=done_on, due_on=due_on)
    deadline_meet(case=check, code=check.clock_code, met_at=_midday(done_on))
    return deadline_start(
        case=check, code=check.clock_code, started_at=_midday(start), amount=months
    )


@transaction.atomic
def record_add(
    *,
    check: ComplianceCheck,
    details: RecordDetails,
    certificate: File | None,
    actor: User | None,
    source: str = RecordSource.STAFF,
) -> CheckRecord:
    """Keep the record of a check done, with its certificate PDF, and move the check's clock.

    - The running clock is met on the day of the check and the next one started: from the
      deadline date for a gas check in its reg 36A window, from the day of the check otherwise,
      for the usual interval or the report's own sooner one.
    - A record older than the latest one already kept is stored but moves no clock.
    - Gas and electrical records in a home start the 28-day clock to give the record to the
      tenant, met at once when the certificate is sent through the household's channel.
    - A gas check that checked the alarms also meets the home's alarms check.
    - An unsafe outcome opens remedial work on its own clock and a repair for it.

    Raises ``SafetyRefused`` (a future date, an impossible outcome, a registration that does not
    match the contractor's) and ``ValidationError`` for a file that is not a clean PDF.
    """
    now = timezone.now()
    check = ComplianceCheck.objects.select_for_update().get(pk=check.pk)
    problems = record_problems(check, details, today=timezone.localdate())
    if problems:
        raise SafetyRefused(*problems)
    checked = attachment_check(certificate, pdf_only=True) if certificate is not None else None
    record = CheckRecord(
        compliance_check=check,
        done_on=details.done_on,
        outcome=details.outcome,
        next_due_months=details.next_due_months,
        contractor=details.contractor,
        engineer_name=details.engineer_name.strip(),
        engineer_registration=details.engineer_registration.strip(),
        alarms_checked=details.alarms_checked,
        notes=details.notes.strip(),
        source=source,
        recorded_at=now,
        recorded_by=actor,
    )
    if checked is not None:
        # The name passed here is ignored by certificate_path, which picks a random one.
        record.certificate.save("certificate.pdf", checked.content, save=False)
        record.certificate_name = checked.original_name
        record.certificate_size = record.certificate.size
    record.save()
    latest = check.last_done_on is None or details.done_on >= check.last_done_on
    if latest:
        months = details.next_due_months or _interval(check)
        _restart_clock(check, done_on=details.done_on, months=months)
        ComplianceCheck.objects.filter(pk=check.pk).update(
            last_done_on=details.done_on, access_stage=AccessStage.NONE
        )
        if check.check_type == CheckType.GAS and details.alarms_checked:
            _alarms_checked(check, done_on=details.done_on)
    if source == RecordSource.STAFF and check.property_id is not None:
        _record_to_tenant(record, check)
        if details.outcome in REMEDIAL_CLOCKS:
            _remedial_open(record, check, actor=actor)
    return record


def _alarms_checked(gas_check: ComplianceCheck, *, done_on: dt.date) -> None:
    alarms = ComplianceCheck.objects.filter(
        property=gas_check.property, check_type=CheckType.ALARMS, applies=True
    ).first()
    if alarms is None or (alarms.last_done_on is not None and alarms.last_done_on > done_on):
        return
    _restart_clock(alarms, done_on=done_on, months=_interval(alarms))
    ComplianceCheck.objects.filter(pk=alarms.pk).update(last_done_on=done_on)


def _record_to_tenant(record: CheckRecord, check: ComplianceCheck) -> None:
    code = TO_TENANT_CLOCKS.get(check.check_type)
    if code is None:
        return
    deadline_start(case=record, code=code, started_at=_midday(record.done_on))
    if not record.has_certificate:
        return
    contact = _household_contact(check.property)
    if contact is None:
        return
    name = check.get_check_type_display().lower()
    notify_customer(
        customer=contact,
        subject=f"Your {name} record",
        body=(
            f"The {name} of your home on {london_date(record.done_on)} is recorded. You can "
            f"read and download the certificate on your home's safety page: "
            f"{_safety_page_link()}"
        ),
        key=f"safety:record:{record.pk}:to-tenant",
    )
    sent_at = timezone.now()
    CheckRecord.objects.filter(pk=record.pk).update(sent_to_tenant_at=sent_at)
    record.sent_to_tenant_at = sent_at
    deadline_meet(case=record, code=code, met_at=sent_at)


def _remedial_open(record: CheckRecord, check: ComplianceCheck, *, actor: User | None) -> None:
    dangerous = record.outcome in DANGEROUS_OUTCOMES
    description = (
        f"{check.get_check_type_display()} on {london_date(record.done_on)}: "
        f"{record.get_outcome_display()}. {record.notes}".strip()
    )
    remedial = RemedialWork.objects.create(
        record=record, description=description, raised_at=timezone.now()
    )
    deadline_start(case=remedial, code=REMEDIAL_CLOCKS[record.outcome])
    contact = _household_contact(check.property)
    if contact is None:
        return
    try:
        with transaction.atomic():
            repair = remedial_repair_create(
                customer=contact,
                check_type=check.check_type,
                description=description,
                dangerous=dangerous,
                actor=actor,
            )
    except (RepairRefused, KeyError):
        # Recorded with its clock all the same: the compliance team arranges it by hand.
        return
    RemedialWork.objects.filter(pk=remedial.pk).update(repair_reference=repair.reference)


@transaction.atomic
def remedial_complete(*, remedial: RemedialWork, actor: User | None) -> RemedialWork:
    """The remedial work is done: meet its clock and tell the household in writing (the
    electrical regulations ask for written confirmation within 28 days)."""
    remedial = (
        RemedialWork.objects.select_for_update(of=("self",))
        .select_related("record__compliance_check__property")
        .get(pk=remedial.pk)
    )
    if remedial.completed_at is not None:
        raise SafetyRefused("This remedial work is already recorded as done.")
    now = timezone.now()
    code = REMEDIAL_CLOCKS[remedial.record.outcome]
    deadline_meet(case=remedial, code=code, met_at=now)
    remedial.completed_at = now
    deadline_start(case=remedial, code="safety.remedial_confirmation", started_at=now)
    home = remedial.record.compliance_check.property
    contact = _household_contact(home) if home is not None else None
    if contact is not None:
        notify_customer(
            customer=contact,
            subject="The safety work in your home is done",
            body=(
                f"The work found by the {remedial.record.compliance_check.get_check_type_display().lower()} "
                f"of {london_date(remedial.record.done_on)} is now done. "
                f"You can see your home's safety checks at {_safety_page_link()}"
            ),
            key=f"safety:remedial:{remedial.pk}:done",
        )
        remedial.tenant_told_at = now
        deadline_meet(case=remedial, code="safety.remedial_confirmation", met_at=now)
    remedial.save(update_fields=["completed_at", "tenant_told_at"])
    return remedial


# --- getting in: invitations, reminders and the no-access procedure ---------------------------

LETTERS: dict[str, tuple[str, str]] = {
    AccessStage.INVITED: (
        "Your {name} is due: book a visit",
        "Your home's {name} is due by {due}. Please choose a time for our visit on your home's "
        "safety page, or contact us to book one.",
    ),
    AccessStage.REMINDED: (
        "Reminder: your {name} is due by {due}",
        "We still need to visit your home for its {name}, due by {due}. Please contact us to "
        "book a visit.",
    ),
    AccessStage.FIRST_LETTER: (
        "We could not get into your home for its {name}",
        "We could not get into your home for its {name}, due by {due}. You must allow us in to "
        "carry out safety checks. Please contact us within 7 days to book a visit.",
    ),
    AccessStage.SECOND_LETTER: (
        "Second letter: we still need to check your home's safety",
        "We have still not been able to carry out your home's {name}, due by {due}. Please "
        "contact us within 7 days to book a visit.",
    ),
    AccessStage.FINAL_LETTER: (
        "Final letter: we must carry out your home's {name}",
        "This is our final letter about your home's {name}, due by {due}. If you do not contact "
        "us within 7 days to book a visit, we will take legal action to gain entry, as your "
        "tenancy agreement allows.",
    ),
}


def _due_text(check: ComplianceCheck) -> str:
    return london_date(check.next_due_at) if check.next_due_at else "now"


def _send_letter(check: ComplianceCheck, stage: str, attempt: AccessAttempt) -> None:
    contact = _household_contact(check.property) if check.property_id else None
    if contact is None:
        return
    subject, body = LETTERS[stage]
    name = check.get_check_type_display().lower()
    notify_customer(
        customer=contact,
        subject=subject.format(name=name, due=_due_text(check)),
        body=f"{body.format(name=name, due=_due_text(check))}\n\n{_safety_page_link()}",
        key=f"safety:attempt:{attempt.pk}",
    )


@transaction.atomic
def access_attempt_record(
    *, check: ComplianceCheck, stage: str, note: str, actor: User | None
) -> AccessAttempt:
    """Record the next step of the no-access procedure for a home's check: first letter,
    second, final, then a referral for legal or forced entry, each after the one before it.
    Each letter goes to the household by its channel; the referral is flagged to the
    compliance team's lead. Raises ``SafetyRefused`` for a step out of order."""
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check.pk)
    )
    if check.property_id is None:
        raise SafetyRefused("The no-access procedure is for a home's checks, not a block's.")
    if stage not in NO_ACCESS_STEPS:
        raise SafetyRefused("Choose a step of the no-access procedure.")
    position = NO_ACCESS_STEPS.index(stage)
    expected_before = NO_ACCESS_STEPS[position - 1] if position else None
    current = check.access_stage if check.access_stage in NO_ACCESS_STEPS else None
    if current != expected_before:
        needed = AccessStage(expected_before).label if expected_before else "no letter yet"
        raise SafetyRefused(
            f"'{AccessStage(stage).label}' must follow '{needed}'; this check is at "
            f"'{AccessStage(check.access_stage).label}'."
        )
    attempt = AccessAttempt.objects.create(
        compliance_check=check,
        stage=stage,
        occurred_at=timezone.now(),
        for_due_at=check.next_due_at,
        note=note.strip(),
        actor=actor,
    )
    ComplianceCheck.objects.filter(pk=check.pk).update(access_stage=stage)
    check.access_stage = stage
    home = check.property
    assert home is not None  # refused above for a block's check
    if stage == AccessStage.LEGAL:
        lead = _compliance_lead()
        if lead is not None:
            notify_staff(
                user=lead,
                subject=f"No access: legal or forced entry needed at {home}",
                body=(
                    f"Three letters have not got us into {home.full_address} for its "
                    f"{check.get_check_type_display().lower()}, due {_due_text(check)}. A "
                    f"manager must decide on legal action or forced entry."
                ),
                key=f"safety:attempt:{attempt.pk}:legal",
            )
    else:
        _send_letter(check, stage, attempt)
    return attempt


# How long before a home's check is due we invite the household to book, and remind them.
INVITATION_LEAD = dt.timedelta(days=56)
REMINDER_LEAD = dt.timedelta(days=21)


def invitations_send(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Invite each household whose home's check falls due within ``INVITATION_LEAD`` to book,
    and remind those due within ``REMINDER_LEAD``; once per check and clock (a second run sends
    nothing). Returns how many messages were queued. Each check is its own transaction."""
    now = now or timezone.now()
    sent = 0
    for stage, lead in (
        (AccessStage.INVITED, INVITATION_LEAD),
        (AccessStage.REMINDED, REMINDER_LEAD),
    ):
        due = (
            ComplianceCheck.objects.filter(
                applies=True,
                property__isnull=False,
                next_due_at__gt=now,
                next_due_at__lte=now + lead,
            )
            .exclude(pk__in=AccessAttempt.objects.filter(stage=stage).values("compliance_check_id"))
            .order_by("next_due_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        for check_id in list(due):
            sent += _invite_one(check_id, stage, now)
    return sent


@transaction.atomic
def _invite_one(check_id: int, stage: str, now: dt.datetime) -> int:
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check_id)
    )
    attempt, created = AccessAttempt.objects.get_or_create(
        compliance_check=check,
        stage=stage,
        for_due_at=check.next_due_at,
        defaults={"occurred_at": now},
    )
    if not created:
        return 0
    if check.access_stage in ("", AccessStage.INVITED):
        ComplianceCheck.objects.filter(pk=check.pk).update(access_stage=stage)
    _send_letter(check, stage, attempt)
    return 1


# --- the import -------------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "uprn",
    "block",
    "check_type",
    "appliance",
    "done_on",
    "outcome",
    "contractor",
    "engineer_registration",
    "next_due_months",
)


@dataclass
class ImportResult:
    """What an import did or (in a dry run) would do: rows accepted, and each rejected row's
    line number and reasons."""

    accepted: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _ImportRow:
    line: int
    check_type: str
    appliance: str
    home: Property | None
    block: Block | None
    details: RecordDetails


def _parse_rows(text: str, result: ImportResult) -> list[_ImportRow]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c for c in ("check_type", "done_on", "outcome") if c not in (reader.fieldnames or [])
    ]
    if missing:
        result.problems.append((1, f"The header row lacks: {', '.join(missing)}."))
        return []
    raw = list(reader)
    uprns = {(row.get("uprn") or "").strip() for row in raw} - {""}
    block_names = {(row.get("block") or "").strip() for row in raw} - {""}
    homes = {h.uprn: h for h in Property.objects.filter(uprn__in=uprns)}
    blocks = {b.name: b for b in Block.objects.filter(name__in=block_names)}
    contractors = {c.name: c for c in Contractor.objects.filter(is_active=True)}
    today = timezone.localdate()
    rows = []
    for line, row in enumerate(raw, start=2):
        values = {key: (row.get(key) or "").strip() for key in IMPORT_COLUMNS}
        problems = []
        check_type = values["check_type"]
        if check_type not in CheckType.values:
            problems.append(f"unknown check type '{check_type}'")
        home = homes.get(values["uprn"]) if values["uprn"] else None
        block = blocks.get(values["block"]) if values["block"] else None
        if values["uprn"] and values["block"]:
            problems.append("give a home's UPRN or a block, not both")
        elif values["uprn"] and home is None:
            problems.append(f"no home has the UPRN '{values['uprn']}'")
        elif values["block"] and block is None:
            problems.append(f"no block is named '{values['block']}'")
        elif not values["uprn"] and not values["block"]:
            problems.append("give the home's UPRN or the block's name")
        try:
            done_on = dt.date.fromisoformat(values["done_on"])
        except ValueError:
            problems.append(f"'{values['done_on']}' is not a date (write it as 2026-03-31)")
            done_on = None
        if done_on is not None and done_on > today:
            problems.append("the date of the check is in the future")
        if check_type in CheckType.values and values["outcome"] not in outcomes_for(check_type):
            problems.append(f"'{values['outcome']}' is not a possible outcome of this check")
        appliance = values["appliance"]
        if check_type == CheckType.GAS and appliance not in Appliance.values:
            problems.append("a gas check needs its appliance (boiler, gas_fire, oil, solid_fuel)")
        contractor = contractors.get(values["contractor"]) if values["contractor"] else None
        if values["contractor"] and contractor is None:
            problems.append(f"no active contractor is named '{values['contractor']}'")
        next_due_months = None
        if values["next_due_months"]:
            if values["next_due_months"].isdigit() and 1 <= int(values["next_due_months"]) <= 120:
                next_due_months = int(values["next_due_months"])
            else:
                problems.append("next_due_months must be a whole number from 1 to 120")
        if problems:
            result.problems.append((line, "; ".join(problems)))
            continue
        assert done_on is not None
        details = RecordDetails(
            done_on=done_on,
            outcome=values["outcome"],
            contractor=contractor,
            engineer_registration=values["engineer_registration"],
            next_due_months=next_due_months,
        )
        # The record's own rules, on the check as it would be registered, so a dry run finds
        # what the import would refuse.
        problems = record_problems(ComplianceCheck(check_type=check_type), details, today=today)
        if problems:
            result.problems.append((line, "; ".join(p.rstrip(".") for p in problems)))
            continue
        rows.append(
            _ImportRow(
                line=line,
                check_type=check_type,
                appliance=appliance if check_type == CheckType.GAS else "",
                home=home,
                block=block,
                details=details,
            )
        )
    return rows


def records_import(*, text: str, actor: User | None, dry_run: bool) -> ImportResult:
    """Import last-check dates from CSV (columns ``IMPORT_COLUMNS``), registering each check a
    row names if it is not yet registered. Every row is checked first; if any is rejected
    nothing is written and each rejected row is listed with its line number and reasons. A dry
    run only checks. Rows are applied oldest first, so each check ends on its latest record."""
    result = ImportResult(dry_run=dry_run)
    rows = _parse_rows(text, result)
    if dry_run or result.problems:
        result.accepted = len(rows) if not result.problems or dry_run else 0
        return result
    try:
        with transaction.atomic():
            for row in sorted(rows, key=lambda r: (r.details.done_on, r.line)):
                check = check_register(
                    check_type=row.check_type,
                    home=row.home,
                    block=row.block,
                    appliance=row.appliance,
                )
                problems = record_problems(check, row.details, today=timezone.localdate())
                if problems:
                    result.problems.append((row.line, "; ".join(problems)))
                    continue
                record_add(
                    check=check,
                    details=row.details,
                    certificate=None,
                    actor=actor,
                    source=RecordSource.IMPORT,
                )
            if result.problems:
                # Nothing half-imported: the rows already applied roll back with this one.
                raise _ImportRejected
    except _ImportRejected:
        result.accepted = 0
        return result
    result.accepted = len(rows)
    return result


class _ImportRejected(Exception):
    pass


# --- missed clocks ---------------------------------------------------------------------------

SAFETY_MODELS = ("compliancecheck", "checkrecord", "remedialwork", "peep")
BREACHES_LISTED = 50


@transaction.atomic
def safety_deadlines_breached(deadlines: list) -> None:
    """Breach handler for the sla sweep: one email per batch to the compliance team's lead
    listing the safety clocks just missed (the overdue list shows them all, with why)."""
    ours = [
        d
        for d in deadlines
        if d.content_type.app_label == "safety" and d.content_type.model in SAFETY_MODELS
    ]
    if not ours:
        return
    lead = _compliance_lead()
    if lead is None:
        return
    lines = [
        f"- {d.commitment.title} ({d.content_type.model} {d.object_id}), due {london_date(d.due_at)}"
        for d in ours[:BREACHES_LISTED]
    ]
    more = len(ours) - BREACHES_LISTED
    if more > 0:
        lines.append(f"... and {more} more.")
    notify_staff(
        user=lead,
        subject=f"Overdue: {len(ours)} safety check clock{'s' if len(ours) != 1 else ''} missed",
        body="\n".join(lines) + f"\n\nThe overdue list: {reverse('safety:overdue')}",
        key=f"safety:breaches:{min(d.pk for d in ours)}",
    )


# --- booking a visit ---------------------------------------------------------------------------


def visit_last_day(check: ComplianceCheck) -> dt.date:
    """The last day a visit may be booked: the check's due day (or, overdue or never done,
    the next four weeks: the visit is needed now)."""
    today = timezone.localdate()
    if check.next_due_at is None or check.next_due_at <= timezone.now():
        return today + dt.timedelta(days=28)
    return _local_day(check.next_due_at)


def visit_slots_for(check: ComplianceCheck) -> list[VisitSlot]:
    if check.property is None:
        return []
    return visit_slots_offered(
        check_type=check.check_type, patch=check.property.patch, last_day=visit_last_day(check)
    )


@transaction.atomic
def check_visit_book(*, check: ComplianceCheck, slot_id: int, actor: User | None) -> CheckVisit:
    """Book (or move) the visit for a home's check into a slot offered for it. A move gives the
    old place back. Raises ``SafetyRefused`` when the slot is full, past, after the check's due
    day or not one this check may use; nothing is written then."""
    check = (
        ComplianceCheck.objects.select_for_update(of=("self",))
        .select_related("property")
        .get(pk=check.pk)
    )
    home = check.property
    if home is None:
        raise SafetyRefused("Visits are booked for a home's checks.")
    if slot_id not in {s.pk for s in visit_slots_for(check)}:
        raise SafetyRefused("That time is no longer available. Choose another.")
    slot = visit_slot_claim(slot_id=slot_id, check_type=check.check_type, patch=home.patch)
    if slot is None:
        raise SafetyRefused("That time has just been taken. Choose another.")
    current = CheckVisit.objects.filter(
        compliance_check=check, status=CheckVisit.Status.BOOKED
    ).first()
    if current is not None:
        CheckVisit.objects.filter(pk=current.pk).update(status=CheckVisit.Status.MOVED)
        visit_slot_release(slot_id=current.slot_id)
    visit = CheckVisit.objects.create(
        compliance_check=check,
        slot_id=slot.pk,
        visit_date=slot.date,
        label=slot.label,
        booked_at=timezone.now(),
        booked_by=actor,
    )
    contact = _household_contact(home)
    if contact is not None:
        notify_customer(
            customer=contact,
            subject=f"Your {check.get_check_type_display().lower()} visit: {slot.label}",
            body=f"We will visit your home for its {check.get_check_type_display().lower()} "
            f"on {slot.label}. You can move it on your home's safety page: {_safety_page_link()}",
            key=f"safety:visit:{visit.pk}:booked",
        )
    return visit
