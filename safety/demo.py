"""Demo records for Keeping You Safe: contractors, the checks of every demo home and block, a
year of gas records (one home in its reg 36A window, one overdue with the no-access letters
under way), an EICR with C2 remedial work, and a fire report. Safe to run again: checks are
registered once, and records are added only where a check has none."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files.base import ContentFile
from django.utils import timezone

from casework.models import Team
from kernel.pdf import render_pdf
from kernel.roles import Role
from safety import services
from safety.models import Appliance, CheckType, ComplianceCheck, Contractor, ReportKind, Risk
from tenancy.models import Block, Property, Tenure

DEMO_NAMESPACE = uuid.UUID("0b7f1e3c-5d2a-4c59-9a0e-3e1f6c2b8d47")


def _certificate(title: str, home: str, done_on: dt.date) -> bytes:
    return render_pdf(
        "safety/demo_certificate.html", {"title": title, "home": home, "done_on": done_on}
    )


def _record(check: ComplianceCheck, done_on: dt.date, outcome: str, contractor, actor) -> None:
    if check.records.exists():
        return
    registration = ""
    if check.check_type == CheckType.GAS:
        registration = contractor.gas_safe_number
    elif check.check_type == CheckType.ELECTRICAL:
        registration = contractor.electrical_number
    where = str(check.property or check.block)
    pdf = ContentFile(
        _certificate(check.get_check_type_display(), where, done_on), name="certificate.pdf"
    )
    services.record_add(
        check=check,
        details=services.RecordDetails(
            done_on=done_on,
            outcome=outcome,
            contractor=contractor if registration else None,
            engineer_name="Jo Fitter",
            engineer_registration=registration,
            alarms_checked=check.check_type == CheckType.GAS,
            notes="Demo record.",
        ),
        certificate=pdf,
        actor=actor,
    )


def seed(demo) -> None:
    officer = demo.staff.get(Role.COMPLIANCE)
    if officer is not None:
        Team.objects.update_or_create(
            name="Compliance", defaults={"role": Role.COMPLIANCE, "lead": officer}
        )
    gas_firm, _ = Contractor.objects.get_or_create(
        name="Riverton Heating Services",
        defaults={"gas_safe_number": "604512"},
    )
    sparks, _ = Contractor.objects.get_or_create(
        name="Riverton Electrical",
        defaults={"electrical_scheme": "NICEIC", "electrical_number": "NIC-220931"},
    )
    today = timezone.localdate()
    for block in Block.objects.all():
        for check in services.block_checks_register(block=block, risk=Risk.NORMAL):
            outcome = (
                "actions_needed" if check.check_type == CheckType.FIRE_RISK else "satisfactory"
            )
            _record(check, today - dt.timedelta(days=60), outcome, None, officer)
    for home in Property.objects.filter(tenure=Tenure.GENERAL_NEEDS):
        services.home_checks_register(home=home, appliances=[Appliance.BOILER])
    tenant_home = demo.tenant.tenancy.property
    checks = {c.check_type: c for c in ComplianceCheck.objects.filter(property=tenant_home)}
    # The demo tenant: gas done ten and a half months ago (inside the reg 36A window soon),
    # an EICR with C2 items whose remedial work is under way.
    _record(checks[CheckType.GAS], today - dt.timedelta(days=320), "pass", gas_firm, officer)
    _record(checks[CheckType.ELECTRICAL], today - dt.timedelta(days=5), "c2", sparks, officer)
    # The other tenant: gas overdue, and the first no-access letter sent.
    other = {
        c.check_type: c
        for c in ComplianceCheck.objects.filter(property=demo.other_tenant.tenancy.property)
    }
    gas = other[CheckType.GAS]
    if not gas.records.exists():
        _record(gas, today - dt.timedelta(days=380), "pass", gas_firm, officer)
        services.access_attempt_record(
            check=gas, stage="first_letter", note="Card left; nobody in.", actor=officer
        )
    services.safety_report_create(
        customer=demo.tenant,
        kind=ReportKind.FIRE,
        details="A small fire in the kitchen bin, put out with a damp towel.",
        where="Kitchen",
        idempotency_key=uuid.uuid5(DEMO_NAMESPACE, "fire-report"),
    )
