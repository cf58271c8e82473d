"""The import of last-check dates and certificates from a CSV, with a dry run that lists the rows
it would reject and why; nothing is half-imported."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safety.models import (
    AccessStage,
    Appliance,
    CheckRecord,
    CheckType,
    ComplianceCheck,
    Contractor,
    RecordSource,
    outcomes_for,
)
from safety.services._common import _local_day, _midday
from safety.services.records import (
    RecordDetails,
    _interval,
    check_clock_amounts,
    current_clock_due_days,
    next_cycle_start,
    record_problems,
)
from sla.calendar import due_at
from sla.models import Commitment
from sla.services import (
    ClockStart,
    deadlines_meet_many,
    deadlines_start_many,
    refresh_next_due_many,
)
from tenancy.models import Block, Property

if TYPE_CHECKING:
    from accounts.models import User


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
    home_id: int | None
    block_id: int | None
    details: RecordDetails

    @property
    def key(self) -> tuple:
        return _key(
            self.check_type,
            self.appliance,
            self.home_id,
            self.block_id,
        )


def _parse_rows(text: str, result: ImportResult, clock_amounts: dict[str, int]) -> list[_ImportRow]:
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
    # Ids only: a whole stock's worth of model instances is most of an import's time.
    homes: dict[str, int] = {
        uprn: pk
        for chunk in _chunks(sorted(uprns))
        for uprn, pk in Property.objects.filter(uprn__in=chunk).values_list("uprn", "pk")
    }
    blocks: dict[str, int] = {
        name: pk
        for chunk in _chunks(sorted(block_names))
        for name, pk in Block.objects.filter(name__in=chunk).values_list("name", "pk")
    }
    contractors = {c.name: c for c in Contractor.objects.filter(is_active=True)}
    today = timezone.localdate()
    # Read once, not per row: each reading of an enumeration's values builds it anew.
    check_types, appliances = frozenset(CheckType.values), frozenset(Appliance.values)
    # The record's rules read only the check's kind and interval: one unsaved check of each
    # kind stands for every row of that kind.
    as_registered: dict[str, ComplianceCheck] = {}
    rows = []
    for line, row in enumerate(raw, start=2):
        values = {key: (row.get(key) or "").strip() for key in IMPORT_COLUMNS}
        problems = []
        check_type = values["check_type"]
        if check_type not in check_types:
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
        if check_type in check_types and values["outcome"] not in outcomes_for(check_type):
            problems.append(f"'{values['outcome']}' is not a possible outcome of this check")
        appliance = values["appliance"]
        if check_type == CheckType.GAS and appliance not in appliances:
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
        if check_type not in as_registered:
            as_registered[check_type] = ComplianceCheck(check_type=check_type)
        problems = record_problems(
            as_registered[check_type],
            details,
            today=today,
            clock_amounts=clock_amounts,
        )
        if problems:
            result.problems.append((line, "; ".join(p.rstrip(".") for p in problems)))
            continue
        rows.append(
            _ImportRow(
                line=line,
                check_type=check_type,
                appliance=appliance if check_type == CheckType.GAS else "",
                home_id=home,
                block_id=block,
                details=details,
            )
        )
    return rows


def records_import(*, text: str, actor: User | None, dry_run: bool) -> ImportResult:
    """Import last-check dates from CSV (columns ``IMPORT_COLUMNS``), registering each check a
    row names if it is not yet registered. Every row is checked first; if any is rejected
    nothing is written and each rejected row is listed with its line number and reasons. A dry
    run only checks.

    Set-based, so a landlord's whole stock loads in one go: the file is checked in memory
    against the homes, blocks and contractors read once; the checks, records and clocks are
    then written in batches. Each check ends as the record service would leave it with the
    rows applied oldest first: every record kept, the clock met and restarted by each record
    not older than the one before (gas reg 36A included), so each check runs from its latest
    record. Imported records are history: nothing is sent to households and no remedial work
    is opened."""
    result = ImportResult(dry_run=dry_run)
    clock_amounts = check_clock_amounts()
    rows = _parse_rows(text, result, clock_amounts)
    if dry_run or result.problems:
        result.accepted = len(rows) if not result.problems or dry_run else 0
        return result
    try:
        with transaction.atomic():
            checks = _checks_registered(rows)
            today = timezone.localdate()
            for row in rows:
                # The check as registered may run on its own interval (a low-risk block's fire
                # risk assessment), which bounds the report's own next date.
                problems = record_problems(
                    checks[row.key], row.details, today=today, clock_amounts=clock_amounts
                )
                if problems:
                    result.problems.append((row.line, "; ".join(problems)))
            if result.problems:
                # Nothing half-imported: the checks registered above roll back too.
                raise _ImportRejected
            _records_apply(rows, checks, actor=actor, clock_amounts=clock_amounts)
    except _ImportRejected:
        result.accepted = 0
        return result
    result.accepted = len(rows)
    return result


_BATCH = 2000


def _chunks(items: list, size: int = _BATCH):
    for first in range(0, len(items), size):
        yield items[first : first + size]


def _checks_registered(rows: list[_ImportRow]) -> dict[tuple, ComplianceCheck]:
    """The check each row names, by ``_ImportRow.key``, locked: those already registered read
    in batches (made to apply again if retired, as ``check_register`` does), the others
    created in batches."""
    wanted = {row.key: row for row in rows}
    home_ids = sorted({row.home_id for row in rows if row.home_id is not None})
    block_ids = sorted({row.block_id for row in rows if row.block_id is not None})
    types = {row.check_type for row in rows}
    checks: dict[tuple, ComplianceCheck] = {}
    for field_name, ids in (("property_id", home_ids), ("block_id", block_ids)):
        for chunk in _chunks(ids):
            for check in ComplianceCheck.objects.select_for_update().filter(
                **{f"{field_name}__in": chunk}, check_type__in=types
            ):
                key = _key(check.check_type, check.appliance, check.property_id, check.block_id)
                if key in wanted:
                    checks[key] = check
    retired = [check.pk for check in checks.values() if not check.applies]
    for chunk in _chunks(retired):
        ComplianceCheck.objects.filter(pk__in=chunk).update(applies=True)
    now = timezone.now()
    created = ComplianceCheck.objects.bulk_create(
        [
            ComplianceCheck(
                check_type=row.check_type,
                property_id=row.home_id,
                block_id=row.block_id,
                appliance=row.appliance,
                registered_at=now,
            )
            for key, row in wanted.items()
            if key not in checks
        ],
        batch_size=_BATCH,
    )
    for check in created:
        checks[_key(check.check_type, check.appliance, check.property_id, check.block_id)] = check
    return checks


def _records_apply(
    rows: list[_ImportRow],
    checks: dict[tuple, ComplianceCheck],
    *,
    actor: User | None,
    clock_amounts: dict[str, int],
) -> None:
    """Keep every row's record and move each check's clocks as ``record_add`` would with the
    rows applied oldest first, in a few statements per batch."""
    now = timezone.now()
    CheckRecord.objects.bulk_create(
        [
            CheckRecord(
                compliance_check_id=checks[row.key].pk,
                done_on=row.details.done_on,
                outcome=row.details.outcome,
                next_due_months=row.details.next_due_months,
                # Ids, not instances: setting a relation through its descriptor costs more
                # than the rest of the row.
                contractor_id=row.details.contractor.pk if row.details.contractor else None,
                engineer_registration=row.details.engineer_registration.strip(),
                source=RecordSource.IMPORT,
                recorded_at=now,
                recorded_by_id=actor.pk if actor else None,
            )
            for row in rows
        ],
        batch_size=_BATCH,
    )
    due_days = current_clock_due_days([c for c in checks.values() if c.check_type == CheckType.GAS])
    clocks = dict(Commitment.objects.filter(code__in=clock_amounts).values_list("code", "clock"))
    meets: dict[str, dict[int, dt.datetime]] = {}
    starts: dict[str, list[ClockStart]] = {}
    last_done: dict[int, dt.date] = {}
    for key, check_rows in _rows_by_check(rows).items():
        check = checks[key]
        code = check.clock_code
        last_done_on = check.last_done_on
        due_on = due_days.get(check.pk)
        started: ClockStart | None = None
        for row in check_rows:
            done_on = row.details.done_on
            if last_done_on is not None and done_on < last_done_on:
                continue  # an older record is kept but moves no clock
            met_at = _midday(done_on)
            if started is None:
                meets.setdefault(code, {})[check.pk] = met_at
            else:
                starts[code][-1] = replace(started, met_at=met_at)
            months = row.details.next_due_months or _interval(check, clock_amounts)
            begin = _midday(
                next_cycle_start(check_type=check.check_type, done_on=done_on, due_on=due_on)
            )
            started = ClockStart(object_id=check.pk, started_at=begin, amount=months)
            starts.setdefault(code, []).append(started)
            due_on = _local_day(due_at(clocks[code], months, begin))
            last_done_on = done_on
            last_done[check.pk] = done_on
    for code, met_at_by_case in meets.items():
        deadlines_meet_many(model=ComplianceCheck, code=code, met_at_by_case=met_at_by_case)
    for code, code_starts in starts.items():
        deadlines_start_many(model=ComplianceCheck, code=code, starts=code_starts)
    by_day: dict[dt.date, list[int]] = {}
    for check_id, day in last_done.items():
        by_day.setdefault(day, []).append(check_id)
    for day, ids in by_day.items():
        for chunk in _chunks(ids):
            ComplianceCheck.objects.filter(pk__in=chunk).update(
                last_done_on=day, access_stage=AccessStage.NONE
            )
    refresh_next_due_many(model=ComplianceCheck, ids=list(last_done))


def _rows_by_check(rows: list[_ImportRow]) -> dict[tuple, list[_ImportRow]]:
    by_check: dict[tuple, list[_ImportRow]] = {}
    for row in sorted(rows, key=lambda r: (r.details.done_on, r.line)):
        by_check.setdefault(row.key, []).append(row)
    return by_check


def _key(check_type: str, appliance: str, home_id: int | None, block_id: int | None) -> tuple:
    return (check_type, appliance, home_id, block_id)


class _ImportRejected(Exception):
    pass
