"""The default commitment catalogue: every promise with a clock, and the law behind it.

This module is the one readable list of defaults. The data migration
``0002_seed_commitment_catalogue`` holds a frozen copy (a migration must not import code that
may change later); ``tests/sla/test_catalogue.py`` checks that the two still agree, so a change
here without a new data migration fails the build. Managers may change amounts in the admin;
a change applies to clocks started after it.

Codes and the "stricter of promise and law" rule
------------------------------------------------
Where our promise and a legal rule time the same step, both clocks run as two Deadline rows and
the case is due at the earlier (``Case.next_due_at``). The legal row has the promise's code plus
a suffix naming its source: ``.code`` for the Housing Ombudsman's Complaint Handling Code. So:

- ``complaint.stage1.acknowledge`` (3 WD, our promise) and ``complaint.stage1.acknowledge.code``
  (5 WD, Code 6.2), both from receipt;
- ``complaint.stage1.respond`` (15 WD from receipt, our promise) and
  ``complaint.stage1.respond.code`` (10 WD from the *actual* acknowledgement, Code 6.3: the
  complaints app starts it when it acknowledges, not when the acknowledgement was due);
- the same pairs for stage 2 (Final Review): ``complaint.stage2.acknowledge[.code]`` (3 / 5 WD,
  Code 6.11) and ``complaint.stage2.respond[.code]`` (15 WD from receipt / 20 WD from the
  actual acknowledgement).

``sla.services.deadline_meet(code=X)`` meets every open clock whose code is X or starts with
"X.", so meeting the promise also meets its legal twin: one response answers both.

Awaab's Law's further works have a second clock that is met by a different event, so it is not
a suffix: ``hazard.further_works.start`` (begin, or take steps to begin, within 5 WD) and
``hazard.further_works.long_stop`` (physically start within 12 weeks).

Other choices
-------------
- Constraints (``is_constraint``) are minimum notice periods checked when booking, never started
  as clocks: ``lettings.viewing.notice`` (24 hours in writing, LTA 1985 s11(6)) and
  ``rent.change.notice`` (one calendar month: our "four weeks / one month" read as the stricter,
  since four weeks can be shorter than the month s13 Housing Act 1988 requires).
- Periodic safety checks use ``interval_months``, which never rolls past a holiday: gas 12
  (GSIUR reg 36; the reg 36A rule that a check in the last two months keeps the old date is the
  safety app's to apply, by starting the next clock from the deadline date), electrical 60 (or
  sooner if the report says: start with ``amount=``), fire risk assessment review 12 by default
  (1 or 2 years by block risk: start with ``amount=``).
- Target: 95% for our promises; 100% where the law sets the time (Code, Awaab's Law, statute)
  or the step is a safety check, because the law tolerates no failure rate.
- Warn before: 24 hours for day clocks, 7 days for week clocks, 4 hours for 24-hour clocks
  (enough to send someone out of hours), none for the 2-minute web chat, and weeks ahead for
  the periodic safety checks (gas: two months, the reg 36A window that keeps the date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sla.models import ClockType, Source

DAY_CLOCK_WARNING = dt.timedelta(hours=24)
WEEK_CLOCK_WARNING = dt.timedelta(days=7)
HOUR_CLOCK_WARNING = dt.timedelta(hours=4)
PROMISE_TARGET = Decimal("95")
LEGAL_TARGET = Decimal("100")


@dataclass(frozen=True)
class CommitmentDefault:
    code: str
    title: str
    promise: str
    clock: str
    amount: int
    starts_on: str
    source: str = Source.LANDLORD
    law_reference: str = ""
    target_percent: Decimal = PROMISE_TARGET
    warn_before: dt.timedelta | None = DAY_CLOCK_WARNING
    is_constraint: bool = False


CATALOGUE: tuple[CommitmentDefault, ...] = (
    # Keeping in Touch
    CommitmentDefault(
        code="enquiry.acknowledge",
        title="Acknowledge a written, email or portal contact",
        promise="We will acknowledge your communication within a maximum of 3 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Written, email or portal contact received",
    ),
    CommitmentDefault(
        code="enquiry.respond",
        title="Respond in full to a contact",
        promise=(
            "We will give you a full response to your query within 10 working days, or let you "
            "know if we can't and when you can expect a full reply."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=10,
        starts_on="Contact received",
    ),
    CommitmentDefault(
        code="enquiry.contact_back",
        title="Contact back when not resolved at first contact",
        promise=(
            "If we cannot resolve your query straight away, we will contact you within 3 working "
            "days and keep you updated."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Query not resolved at first contact",
    ),
    CommitmentDefault(
        code="webchat.acknowledge",
        title="Acknowledge a web chat",
        promise="We aim to acknowledge your chat within 2 minutes.",
        clock=ClockType.MINUTES,
        amount=2,
        starts_on="Chat opened (in service hours)",
        warn_before=None,
    ),
    # Complaints: our promise and the Complaint Handling Code side by side.
    CommitmentDefault(
        code="complaint.quick_resolution",
        title="Resolve a Quick Resolution (stage 1 fast track)",
        promise="We aim to resolve a Quick Resolution within 2 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=2,
        starts_on="Quick Resolution opened (fast track of stage 1)",
        law_reference="CHC 5.2-5.3 (not a separate stage)",
    ),
    CommitmentDefault(
        code="complaint.stage1.acknowledge",
        title="Acknowledge a formal complaint",
        promise="We will acknowledge your formal complaint within 3 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Complaint received",
        law_reference="CHC 6.2",
    ),
    CommitmentDefault(
        code="complaint.stage1.acknowledge.code",
        title="Acknowledge a formal complaint (Code)",
        promise=(
            "The Complaint Handling Code: acknowledge, define and log a stage 1 complaint within 5 "
            "working days of receipt."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Complaint received",
        source=Source.COMPLAINT_CODE,
        law_reference="CHC 6.2",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="complaint.stage1.respond",
        title="Respond to a formal complaint",
        promise="We will respond to your formal complaint within 15 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=15,
        starts_on="Complaint received",
        law_reference="CHC 6.3",
    ),
    CommitmentDefault(
        code="complaint.stage1.respond.code",
        title="Respond to a formal complaint (Code)",
        promise=(
            "The Complaint Handling Code: respond to a stage 1 complaint within 10 working days of "
            "acknowledging it."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=10,
        starts_on="Complaint actually acknowledged",
        source=Source.COMPLAINT_CODE,
        law_reference="CHC 6.3-6.5",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="complaint.stage2.acknowledge",
        title="Acknowledge a Final Review request",
        promise="We will acknowledge your request for a Final Review within 3 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Escalation received",
        law_reference="CHC 6.11",
    ),
    CommitmentDefault(
        code="complaint.stage2.acknowledge.code",
        title="Acknowledge a Final Review request (Code)",
        promise=(
            "The Complaint Handling Code: acknowledge, define and log a stage 2 complaint within 5 "
            "working days of the escalation request."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Escalation received",
        source=Source.COMPLAINT_CODE,
        law_reference="CHC 6.11",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="complaint.stage2.respond",
        title="Respond to a Final Review",
        promise="We will respond to your Final Review within 15 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=15,
        starts_on="Escalation received",
        law_reference="CHC stage 2",
    ),
    CommitmentDefault(
        code="complaint.stage2.respond.code",
        title="Respond to a Final Review (Code)",
        promise=(
            "The Complaint Handling Code: respond to a stage 2 complaint within 20 working days of "
            "acknowledging it."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=20,
        starts_on="Escalation actually acknowledged",
        source=Source.COMPLAINT_CODE,
        law_reference="CHC stage 2",
        target_percent=LEGAL_TARGET,
    ),
    # Anti-social behaviour, hate crime, domestic abuse. 24 clock hours, weekends included.
    CommitmentDefault(
        code="asb.hate_crime.acknowledge",
        title="Acknowledge a hate crime report",
        promise="We will acknowledge your report of hate crime within 24 hours.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Report received",
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="asb.domestic_abuse.acknowledge",
        title="Acknowledge a domestic abuse report",
        promise="We will acknowledge your report of domestic abuse within 24 hours.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Report received",
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="asb.acknowledge",
        title="Acknowledge an anti-social behaviour report",
        promise="We will acknowledge your report of anti-social behaviour within 3 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Report received",
    ),
    # Repairs: our published targets, which the TSM RP02 measures are counted against.
    CommitmentDefault(
        code="repair.emergency.attend",
        title="Attend an emergency repair",
        promise="We will attend an emergency repair within 24 hours, any day of the year.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Emergency repair reported",
        law_reference="TSM RP02(2)",
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="repair.urgent.complete",
        title="Complete an urgent repair",
        promise="We will complete an urgent repair within 5 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Urgent repair reported",
        law_reference="TSM RP02(1)",
    ),
    CommitmentDefault(
        code="repair.routine.complete",
        title="Complete a routine repair",
        promise="We will complete a routine repair within 20 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=20,
        starts_on="Routine repair reported",
        law_reference="TSM RP02(1)",
    ),
    # Awaab's Law (Hazards in Social Housing (Prescribed Requirements) (England) Regs 2025).
    CommitmentDefault(
        code="hazard.emergency.make_safe",
        title="Investigate and make safe an emergency hazard",
        promise=(
            "We will investigate an emergency hazard and make your home safe within 24 hours of "
            "becoming aware of it."
        ),
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Landlord aware of an emergency hazard",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (emergency hazards)",
        target_percent=LEGAL_TARGET,
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="hazard.significant.investigate",
        title="Investigate a significant damp or mould hazard",
        promise=(
            "We will investigate a damp or mould hazard within 10 working days of becoming aware "
            "of it."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=10,
        starts_on="Landlord aware of a damp or mould hazard",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (significant hazards)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="hazard.summary",
        title="Send the written summary of an investigation",
        promise=(
            "We will send you a written summary of what we found within 3 working days of "
            "finishing the investigation."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Investigation concluded",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (written summary)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="hazard.significant.make_safe",
        title="Make safe a significant hazard",
        promise="We will make your home safe within 5 working days of finding a significant hazard.",
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Significant hazard found",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (relevant safety work)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="hazard.further_works.start",
        title="Begin further works on a hazard",
        promise=(
            "We will begin, or take steps to begin, any further works within 5 working days of "
            "finding the hazard."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Hazard found",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (supplementary work)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="hazard.further_works.long_stop",
        title="Physically start further works on a hazard",
        promise=(
            "Where further works cannot begin within 5 working days, we will physically start them "
            "within 12 weeks."
        ),
        clock=ClockType.WEEKS,
        amount=12,
        starts_on="Hazard found",
        source=Source.AWAABS_LAW,
        law_reference="Awaab's Law (supplementary work)",
        target_percent=LEGAL_TARGET,
        warn_before=WEEK_CLOCK_WARNING,
    ),
    # Gas, electrical and fire safety.
    CommitmentDefault(
        code="gas.safety_check",
        title="Gas safety check",
        promise="We will carry out a gas safety check of your home every year.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Last check (its deadline date under reg 36A)",
        source=Source.STATUTE,
        law_reference="GSIUR 1998 reg 36, 36A",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=61),
    ),
    CommitmentDefault(
        code="gas.record_to_tenant",
        title="Give the gas safety record to the tenant",
        promise="We will give you a copy of your gas safety record within 28 days of the check.",
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Gas safety check done",
        source=Source.STATUTE,
        law_reference="GSIUR 1998 reg 36",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="electrical.eicr",
        title="Electrical installation condition report",
        promise=(
            "We will carry out an electrical safety inspection of your home every 5 years, or "
            "sooner if the last report says so."
        ),
        clock=ClockType.INTERVAL_MONTHS,
        amount=60,
        starts_on="Last electrical inspection",
        source=Source.STATUTE,
        law_reference="Electrical Safety Standards Regs 2020 (SI 2025/1043)",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=60),
    ),
    CommitmentDefault(
        code="electrical.report_to_tenant",
        title="Give the electrical report to the tenant",
        promise=(
            "We will give you a copy of your electrical safety report within 28 days of the "
            "inspection."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Electrical inspection",
        source=Source.STATUTE,
        law_reference="Electrical Safety Standards Regs 2020",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="electrical.remedial",
        title="Electrical remedial work",
        promise=(
            "We will complete any remedial work the report asks for within 28 days, or sooner if "
            "the report says so."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Electrical inspection",
        source=Source.STATUTE,
        law_reference="Electrical Safety Standards Regs 2020",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="fire.fra_review",
        title="Fire risk assessment review",
        promise=(
            "We will review the fire risk assessment of your block at least every year, or every "
            "two years for a lower-risk block."
        ),
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Last fire risk assessment",
        law_reference="Fire Safety (England) Regs 2022; RRO 2005",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    CommitmentDefault(
        code="fire.action",
        title="Complete a fire risk assessment action",
        promise=(
            "We will complete any action from a fire risk assessment by the date its priority sets."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Fire risk assessment action raised",
        law_reference="RRO 2005",
        target_percent=LEGAL_TARGET,
    ),
    # Lettings, moving in and exchanges.
    CommitmentDefault(
        code="lettings.offer.notify",
        title="Tell the applicant they have been selected",
        promise=(
            "We will let you know that you have been selected for an offer within 7 days of the "
            "advert closing."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=7,
        starts_on="Advert closed",
    ),
    CommitmentDefault(
        code="lettings.viewing.notice",
        title="Notice of a viewing",
        promise="We will give you at least 24 hours' notice of your viewing appointment.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Viewing booked",
        law_reference="LTA 1985 s11(6)",
        warn_before=None,
        is_constraint=True,
    ),
    CommitmentDefault(
        code="lettings.settling_in_visit",
        title="Settling-in visit",
        promise="We will arrange a settling-in visit about 6 weeks after you move in.",
        clock=ClockType.WEEKS,
        amount=6,
        starts_on="Tenancy start",
        warn_before=WEEK_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="exchange.decision",
        title="Decide a mutual exchange application",
        promise="We will make a decision on your mutual exchange application within 42 days.",
        clock=ClockType.CALENDAR_DAYS,
        amount=42,
        starts_on="Mutual exchange application received",
        law_reference="HA 1985 s92, Sch 3; Localism Act 2011 Sch 14",
    ),
    # Rent.
    CommitmentDefault(
        code="rent.change.notice",
        title="Notice of a rent or service charge change",
        promise=(
            "We will give you at least one calendar month's notice in writing of any change to "
            "your rent or service charges."
        ),
        clock=ClockType.CALENDAR_MONTHS,
        amount=1,
        starts_on="Rent change effective date",
        law_reference="HA 1988 s13",
        warn_before=None,
        is_constraint=True,
    ),
    CommitmentDefault(
        code="rent.arrears.contact",
        title="Contact a customer in arrears",
        promise="We will contact you promptly, within 5 working days, if you fall into arrears.",
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Account falls into arrears",
    ),
    # Data protection.
    CommitmentDefault(
        code="dp.subject_access",
        title="Answer a subject access request",
        promise=(
            "We will give you a copy of your personal data within one calendar month of your "
            "request."
        ),
        clock=ClockType.CALENDAR_MONTHS,
        amount=1,
        starts_on="Request received (or the ID or clarification asked for)",
        source=Source.STATUTE,
        law_reference="UK GDPR Art 12(3), 15",
        target_percent=LEGAL_TARGET,
        warn_before=WEEK_CLOCK_WARNING,
    ),
    # Neighbourhoods: shared areas we look after (neighbourhoods app). Our own targets: the
    # commitments promise clean, safe neighbourhoods without a time, so these are published here.
    CommitmentDefault(
        code="neighbourhood.missed_service.put_right",
        title="Put right a cleaning or grounds visit that was not done",
        promise=(
            "If communal cleaning or grounds work was not done, we will have it put right within "
            "3 working days of your report."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=3,
        starts_on="Resident reports the work was not done",
    ),
    CommitmentDefault(
        code="neighbourhood.bulk_rubbish.remove",
        title="Remove bulk rubbish from a shared area",
        promise="We will remove bulk rubbish from areas we look after within 5 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Bulk rubbish reported",
    ),
    CommitmentDefault(
        code="neighbourhood.graffiti.remove",
        title="Remove graffiti",
        promise="We will remove graffiti from areas we look after within 10 working days.",
        clock=ClockType.WORKING_DAYS,
        amount=10,
        starts_on="Graffiti reported",
    ),
    CommitmentDefault(
        code="neighbourhood.graffiti.offensive.remove",
        title="Remove offensive graffiti",
        promise="We will remove racist, sexual, threatening or abusive graffiti within 24 hours.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Offensive graffiti reported",
        warn_before=HOUR_CLOCK_WARNING,
    ),
    # Your data (dataprotection): corrections, erasure, data-protection complaints.
    CommitmentDefault(
        code="dp.correction",
        title="Answer a request to correct personal data",
        promise=(
            "If you ask us to correct data we hold about you, we will correct it or tell you "
            "why not within one calendar month."
        ),
        clock=ClockType.CALENDAR_MONTHS,
        amount=1,
        starts_on="Request received",
        source=Source.STATUTE,
        law_reference="UK GDPR Art 12(3), 16",
        target_percent=LEGAL_TARGET,
        warn_before=WEEK_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="dp.erasure",
        title="Answer a request to erase personal data",
        promise=(
            "If you ask us to erase data we hold about you, we will erase it or explain what we "
            "must keep and why within one calendar month."
        ),
        clock=ClockType.CALENDAR_MONTHS,
        amount=1,
        starts_on="Request received",
        source=Source.STATUTE,
        law_reference="UK GDPR Art 12(3), 17",
        target_percent=LEGAL_TARGET,
        warn_before=WEEK_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="dp.complaint.acknowledge",
        title="Acknowledge a data-protection complaint",
        promise=("We will acknowledge a complaint about how we handle your data within 30 days."),
        clock=ClockType.CALENDAR_DAYS,
        amount=30,
        starts_on="Complaint received",
        source=Source.STATUTE,
        law_reference="DPA 2018 s164A (Data (Use and Access) Act 2025)",
        target_percent=LEGAL_TARGET,
        warn_before=WEEK_CLOCK_WARNING,
    ),
    # Anti-social behaviour: each action in a case's action plan, due on the date the officer
    # agrees with the reporter (started with ``amount=`` days to that date; 14 by default).
    CommitmentDefault(
        code="asb.action",
        title="Carry out an action in an ASB action plan",
        promise=(
            "We will produce an action plan to deal with on-going problems, and carry out each "
            "action by the date we agree with you."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=14,
        starts_on="Action agreed",
    ),
    # Published performance and the regulator's returns (performance).
    CommitmentDefault(
        code="chc.annual_submission",
        title="Submit the Complaint Handling Code self-assessment to the Housing Ombudsman",
        promise=(
            "We will submit our complaint handling self-assessment and annual complaints report "
            "to the Housing Ombudsman within 6 months of the end of each reporting year "
            "(by 30 September)."
        ),
        clock=ClockType.INTERVAL_MONTHS,
        amount=6,
        starts_on="End of the reporting year (31 March)",
        source=Source.COMPLAINT_CODE,
        law_reference="CHC 8.1-8.3; Ombudsman annual submission (30 September, over 1,000 homes)",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    # Keeping you safe: the checks besides gas, electrical and fire risk assessments (above),
    # the remedial work a record asks for, and the written confirmation that it is done.
    CommitmentDefault(
        code="fire.communal_doors",
        title="Communal fire doors check",
        promise="We will check the fire doors in the shared parts of your building every 3 months.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=3,
        starts_on="Last communal fire doors check",
        source=Source.STATUTE,
        law_reference="Fire Safety (England) Regs 2022 reg 10 (over 11 m)",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=14),
    ),
    CommitmentDefault(
        code="fire.flat_doors",
        title="Flat entrance doors check",
        promise="We will check the entrance door of every flat in your building every year.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Last flat entrance doors check",
        source=Source.STATUTE,
        law_reference="Fire Safety (England) Regs 2022 reg 10 (over 11 m)",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    CommitmentDefault(
        code="water.risk_assessment",
        title="Water hygiene (legionella) risk assessment",
        promise="We will review the legionella risk assessment of your water system on time.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=24,
        starts_on="Last legionella risk assessment",
        source=Source.STATUTE,
        law_reference="HSWA 1974; COSHH; HSE ACOP L8",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=60),
    ),
    CommitmentDefault(
        code="asbestos.reinspection",
        title="Asbestos survey or re-inspection",
        promise="We will re-inspect any asbestos in your home or building every year.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Last asbestos survey or re-inspection",
        source=Source.STATUTE,
        law_reference="Control of Asbestos Regs 2012 reg 4",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    CommitmentDefault(
        code="lift.passenger",
        title="Passenger lift thorough examination",
        promise="We will have the lifts in your building thoroughly examined every 6 months.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=6,
        starts_on="Last thorough examination",
        source=Source.STATUTE,
        law_reference="LOLER 1998 reg 9",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    CommitmentDefault(
        code="lift.firefighting",
        title="Firefighting lift check",
        promise="We will check the firefighting lifts in your building every month.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=1,
        starts_on="Last firefighting lift check",
        source=Source.STATUTE,
        law_reference="Fire Safety (England) Regs 2022 reg 7 (high-rise)",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=7),
    ),
    CommitmentDefault(
        code="alarms.check",
        title="Smoke and carbon monoxide alarms check",
        promise=(
            "We will check your smoke and carbon monoxide alarms at every gas safety check and "
            "at least every year."
        ),
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Last alarms check",
        source=Source.STATUTE,
        law_reference="Smoke and Carbon Monoxide Alarm (Amendment) Regs 2022",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
    CommitmentDefault(
        code="alarms.check.tenancy_start",
        title="Smoke and carbon monoxide alarms checked when a tenancy starts",
        promise=(
            "We will check your smoke and carbon monoxide alarms are working on the day your "
            "tenancy starts."
        ),
        clock=ClockType.CALENDAR_DAYS,
        amount=1,
        starts_on="The day before the tenancy starts",
        source=Source.STATUTE,
        law_reference="Smoke and Carbon Monoxide Alarm (Amendment) Regs 2022 reg 4(1)(b)",
        target_percent=LEGAL_TARGET,
        warn_before=None,
    ),
    CommitmentDefault(
        code="safety.make_safe",
        title="Make safe a danger found by a safety check",
        promise=(
            "If a safety check finds something immediately dangerous, we will make it safe "
            "within 24 hours."
        ),
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Check recorded as immediately dangerous (gas) or C1 (electrical)",
        source=Source.STATUTE,
        law_reference="GSIUR 1998 reg 34; Electrical Safety Standards Regs 2020 reg 3(4)",
        target_percent=LEGAL_TARGET,
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="gas.remedial",
        title="Gas remedial work",
        promise="We will put right anything a gas safety check finds at risk within 28 days.",
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Gas safety check recorded as at risk",
        law_reference="GSIUR 1998 reg 36(3)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="safety.remedial_confirmation",
        title="Confirm in writing that remedial work is done",
        promise="We will tell you in writing within 28 days that the remedial work is done.",
        clock=ClockType.CALENDAR_DAYS,
        amount=28,
        starts_on="Remedial work completed",
        source=Source.STATUTE,
        law_reference="Electrical Safety Standards Regs 2020 reg 3(6)",
        target_percent=LEGAL_TARGET,
    ),
    CommitmentDefault(
        code="safety.fire_report.respond",
        title="Look into a fire reported by a resident",
        promise="If you report a fire, however small, we will look into it within 24 hours.",
        clock=ClockType.HOURS,
        amount=24,
        starts_on="Fire reported",
        law_reference="RRO 2005 (the FRA's review after a fire)",
        warn_before=HOUR_CLOCK_WARNING,
    ),
    CommitmentDefault(
        code="safety.communal_items.remove",
        title="Deal with items left in a shared area",
        promise=(
            "If you report items left in a shared area, we will deal with them within 5 working "
            "days."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=5,
        starts_on="Items in a shared area reported",
        law_reference="RRO 2005 (escape routes kept clear)",
    ),
    CommitmentDefault(
        code="safety.alteration.decision",
        title="Decide a request to alter a home",
        promise=(
            "If you ask permission to alter a wall, floor or door, we will give you our decision "
            "within 20 working days."
        ),
        clock=ClockType.WORKING_DAYS,
        amount=20,
        starts_on="Request for permission received",
    ),
    CommitmentDefault(
        code="peep.review",
        title="Review a personal emergency evacuation plan",
        promise="We will review your personal emergency evacuation plan with you every year.",
        clock=ClockType.INTERVAL_MONTHS,
        amount=12,
        starts_on="Evacuation statement agreed or last reviewed",
        source=Source.STATUTE,
        law_reference="Fire Safety (Residential Evacuation Plans) (England) Regs 2025",
        target_percent=LEGAL_TARGET,
        warn_before=dt.timedelta(days=30),
    ),
)

DEFAULTS_BY_CODE: dict[str, CommitmentDefault] = {row.code: row for row in CATALOGUE}
