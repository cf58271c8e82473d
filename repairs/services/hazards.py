"""Hazards under Awaab's Law: how a report is categorised, and the steps that follow."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from casework.services import case_add_note, case_deadline_meet
from kernel.formatting import LONDON, london_date
from repairs.catalogue import HazardType
from repairs.models import DampRoom, Hazard, HazardCategory, HazardExtent, Repair, Vulnerability
from repairs.services._common import (
    RepairRefused,
    _close_if_done,
    _lock,
    _start_work_after_make_safe,
    _tell,
)
from sla import calendar
from sla.catalogue import DEFAULTS_BY_CODE
from sla.services import deadline_start
from tenancy.models import Property, Tenure

if TYPE_CHECKING:
    from accounts.models import User


HAZARD_INVESTIGATE = "hazard.significant.investigate"
HAZARD_EMERGENCY = "hazard.emergency.make_safe"
HAZARD_MAKE_SAFE = "hazard.significant.make_safe"
HAZARD_SUMMARY = "hazard.summary"
HAZARD_WORKS_START = "hazard.further_works.start"
HAZARD_WORKS_LONG_STOP = "hazard.further_works.long_stop"


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
        deadline_start(case=repair, code=hazard_first_clock(category), started_at=aware_at)
    return hazard


def hazard_first_clock(category: str) -> str:
    """The clock Awaab's Law starts when we become aware of a hazard of ``category``."""
    return HAZARD_EMERGENCY if category == HazardCategory.EMERGENCY else HAZARD_INVESTIGATE


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _long_stop_day(started_at: dt.datetime) -> dt.date:
    """The last day further works may physically start: 12 weeks as calendar days through the
    clock engine, ending at the end of the local day like every clock, so the spring clock
    change cannot push it a day late. Where Awaab's Law applies the clock itself replaces this
    with its own due day (a manager may have changed the amount)."""
    default = DEFAULTS_BY_CODE[HAZARD_WORKS_LONG_STOP]
    return _local_day(calendar.due_at(default.clock, default.amount, started_at))


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
        hazard.further_works_long_stop = _long_stop_day(at)
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
            long_stop = deadline_start(case=repair, code=HAZARD_WORKS_LONG_STOP, started_at=at)
            # The date kept on the hazard is the clock's own last day, never a second sum.
            hazard.further_works_long_stop = _local_day(long_stop.due_at)
            hazard.save(update_fields=["further_works_long_stop"])
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
    _start_work_after_make_safe(repair, at=at)
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
