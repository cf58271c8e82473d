"""The import of last-check dates and certificates from a CSV, with a dry run that lists the rows
it would reject and why; nothing is half-imported."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from safety.models import (
    Appliance,
    CheckType,
    ComplianceCheck,
    Contractor,
    RecordSource,
    outcomes_for,
)
from safety.services.checks import check_register
from safety.services.records import RecordDetails, record_add, record_problems
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
