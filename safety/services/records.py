"""A check done: its record and certificate, the clock it meets and the one it starts (gas reg
36A), the record given to the tenant, and remedial work opened for an unsafe outcome."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from casework.services import attachment_check
from kernel.formatting import london_date
from notifications.services import notify_customer
from safety.models import (
    CHECK_CLOCKS,
    REMEDIAL_CLOCKS,
    AccessStage,
    CheckRecord,
    CheckType,
    ComplianceCheck,
    Contractor,
    RecordSource,
    outcomes_for,
)
from safety.services._common import (
    SafetyRefused,
    _household_contact,
    _local_day,
    _midday,
    _safety_page_link,
)
from safety.services.remedial import _remedial_open
from sla.calendar import add_months
from sla.models import Commitment, Deadline
from sla.services import deadline_meet, deadline_start

if TYPE_CHECKING:
    from accounts.models import User


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


def record_problems(
    check: ComplianceCheck,
    details: RecordDetails,
    *,
    today: dt.date,
    clock_amounts: dict[str, int] | None = None,
) -> list[str]:
    """Why a record cannot be kept, one line each (none when it can). ``clock_amounts`` (the
    catalogue's amount by clock code, ``check_clock_amounts``) spares a query per record when
    many are checked at once."""
    problems = []
    if details.done_on > today:
        problems.append("The date of the check must be today or in the past.")
    if details.outcome not in outcomes_for(check.check_type):
        problems.append(
            f"'{details.outcome}' is not a possible outcome of a {check.get_check_type_display().lower()}."
        )
    interval = _interval(check, clock_amounts)
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


def check_clock_amounts() -> dict[str, int]:
    """The catalogue's usual interval (months) of each kind of check's clock, by clock code."""
    return dict(
        Commitment.objects.filter(code__in=CHECK_CLOCKS.values()).values_list("code", "amount")
    )


def _interval(check: ComplianceCheck, clock_amounts: dict[str, int] | None = None) -> int:
    if check.interval_months:
        return check.interval_months
    if clock_amounts is not None:
        return clock_amounts[check.clock_code]
    return Commitment.objects.only("amount").get(code=check.clock_code).amount


def current_clock_due_days(checks: list[ComplianceCheck]) -> dict[int, dt.date]:
    """The original due day of each check's running clock (its earliest unmet check clock), by
    check id; a check without one (never done) is left out. One query per batch of checks."""
    content_type = ContentType.objects.get_for_model(ComplianceCheck)
    code_of = {check.pk: check.clock_code for check in checks}
    ids = list(code_of)
    days: dict[int, dt.date] = {}
    for first in range(0, len(ids), _BATCH):
        rows = (
            Deadline.objects.filter(
                content_type=content_type, object_id__in=ids[first : first + _BATCH]
            )
            .unmet()
            .filter(commitment__code__in=set(code_of.values()))
            .order_by("original_due_at", "pk")
            .values_list("object_id", "commitment__code", "original_due_at")
        )
        for object_id, code, due_at in rows:
            if code == code_of[object_id] and object_id not in days:
                days[object_id] = _local_day(due_at)
    return days


_BATCH = 2000


def _current_clock_due_day(check: ComplianceCheck) -> dt.date | None:
    return current_clock_due_days([check]).get(check.pk)


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
