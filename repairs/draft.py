"""The report being written: its answers, kept in the session between pages.

A report takes several pages (one question each), so its answers wait in the session until it
is sent: a refused photo, a slot someone else took, a lost connection or the back button loses
nothing. The draft carries two random ids: ``id`` names the photos added on the way, and
``token`` is the idempotency key of the final submit, so sending twice makes one repair.

``steps`` is the order of the questions; ``first_missing`` says which question comes next, so a
customer cannot skip one by typing an address, and changing an early answer (the place, the
problem) clears the answers that depended on it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field, fields

from repairs import catalogue
from repairs.catalogue import EmergencyKind, HazardType, Location, Priority
from repairs.models import HazardCategory
from repairs.services import (
    HazardAnswers,
    awaabs_law_applies,
    hazard_classify,
    hazard_first_clock,
    repair_priority,
    report_visit_due_day,
    reportable_locations,
)
from tenancy.models import Customer, Tenure

SESSION_KEY = "repairs_report"
NO_EMERGENCY = "none"


@dataclass
class ReportContext:
    """What the questions depend on besides the answers: who is reporting, and when."""

    customer: Customer
    today: dt.date

    @property
    def home(self):
        return self.customer.tenancy.property

    @property
    def locations(self) -> list[str]:
        return reportable_locations(self.customer)

    @property
    def owns_home(self) -> bool:
        return self.home.tenure != Tenure.GENERAL_NEEDS

    @property
    def winter(self) -> bool:
        return self.today.month in catalogue.WINTER_MONTHS


@dataclass
class Draft:
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    emergency: str = ""
    location: str = ""
    area: str = ""
    item: str = ""
    rooms: list[str] = field(default_factory=list)
    extent: str = ""
    people: list[str] = field(default_factory=list)
    people_answered: bool = False
    description: str = ""
    photos_done: bool = False
    slot: int | None = None
    slot_chosen: bool = False

    # --- storage ----------------------------------------------------------------------------

    @classmethod
    def load(cls, session) -> Draft | None:
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError:
            return None

    def save(self, session) -> None:
        session[SESSION_KEY] = asdict(self)

    @staticmethod
    def clear(session) -> None:
        session.pop(SESSION_KEY, None)

    # --- answers, each clearing what depended on the old one ---------------------------------

    def set_emergency(self, value: str) -> None:
        if value != self.emergency:
            self.emergency = value
            self._clear("area", "item", "rooms", "extent", "people", "slot")
            self._resolve_emergency_item()

    def set_location(self, value: str) -> None:
        if value != self.location:
            self.location = value
            self._clear("area", "item", "rooms", "extent", "people", "slot")
            self._resolve_emergency_item()

    def set_area(self, value: str) -> None:
        if value != self.area:
            self.area = value
            self._clear("item", "rooms", "extent", "people", "slot")

    def set_item(self, value: str) -> None:
        if value != self.item:
            self.item = value
            self._clear("rooms", "extent", "people", "slot")

    def set_rooms(self, value: list[str]) -> None:
        self.rooms = value
        self._clear("slot")

    def _clear(self, *names: str) -> None:
        for name in names:
            if name in ("rooms", "people"):
                setattr(self, name, [])
            elif name == "slot":
                self.slot, self.slot_chosen = None, False
            else:
                setattr(self, name, "")
        if "people" in names:
            self.people_answered = False

    def _resolve_emergency_item(self) -> None:
        if self.is_reported_emergency and self.location:
            chosen = catalogue.emergency_item(self.emergency, self.location)
            self.item = chosen.code if chosen else ""

    # --- what the answers mean ---------------------------------------------------------------

    @property
    def is_reported_emergency(self) -> bool:
        return self.emergency not in ("", NO_EMERGENCY, EmergencyKind.GAS)

    @property
    def item_entry(self) -> catalogue.Item | None:
        return catalogue.find_item(self.item) if self.item else None

    @property
    def is_damp(self) -> bool:
        entry = self.item_entry
        return bool(entry and entry.hazard_type == HazardType.DAMP_MOULD)

    def hazard_answers(self) -> HazardAnswers | None:
        entry = self.item_entry
        if entry is None or not entry.hazard_type:
            return None
        return HazardAnswers(
            hazard_type=entry.hazard_type,
            rooms=tuple(self.rooms),
            extent=self.extent,
            vulnerabilities=tuple(self.people),
        )

    def hazard_category(self) -> str:
        answers = self.hazard_answers()
        return hazard_classify(answers)[0] if answers is not None else ""

    def is_emergency(self) -> bool:
        entry = self.item_entry
        return (
            self.is_reported_emergency
            or bool(entry and entry.priority == Priority.EMERGENCY)
            or self.hazard_category() == HazardCategory.EMERGENCY
        )

    def is_defect(self, ctx: ReportContext) -> bool:
        return self.location == Location.HOME and ctx.home.in_defects_period(ctx.today)

    def offers_slots(self, ctx: ReportContext) -> bool:
        entry = self.item_entry
        return bool(
            entry and entry.becomes_a_job and not self.is_emergency() and not self.is_defect(ctx)
        )

    def visit_due_day(self, ctx: ReportContext) -> dt.date | None:
        """The last day an appointment chosen now may be on: the day the clocks this report
        would start run out (None before the problem is chosen)."""
        entry = self.item_entry
        if entry is None:
            return None
        category = self.hazard_category()
        priority = repair_priority(
            entry, reported_emergency=self.is_reported_emergency, hazard_category=category
        )
        hazard_code = ""
        if category and awaabs_law_applies(ctx.home):
            hazard_code = hazard_first_clock(category)
        return report_visit_due_day(priority=priority, hazard_code=hazard_code)

    # --- the order of the questions ----------------------------------------------------------

    def steps(self, ctx: ReportContext) -> list[tuple[str, bool]]:
        """Every question that applies to this report, in order, with whether it is answered."""
        entry = self.item_entry
        chosen_by_emergency = self.is_reported_emergency
        if self.emergency == EmergencyKind.GAS:
            # Nothing to report online: the gas page sends them to the national emergency line.
            return [("emergency", True), ("gas", False)]
        rows = [("emergency", bool(self.emergency)), ("where", bool(self.location))]
        if not chosen_by_emergency:
            rows += [("area", bool(self.area)), ("problem", bool(self.item))]
        if entry is not None and not entry.becomes_a_job:
            rows.append(("advice", False))
            return rows
        if chosen_by_emergency and self.location and entry is None:
            rows.append(("advice", False))
            return rows
        if self.is_damp:
            rows += [
                ("damp_rooms", bool(self.rooms)),
                ("damp_size", bool(self.extent)),
                ("damp_people", self.people_answered),
            ]
        rows += [("details", bool(self.description)), ("photos", self.photos_done)]
        if self.offers_slots(ctx):
            rows.append(("appointment", self.slot_chosen))
        return rows

    def first_missing(self, ctx: ReportContext) -> str | None:
        """The first question not answered yet, or None when the report is ready to check."""
        for name, answered in self.steps(ctx):
            if not answered:
                return name
        return None

    def may_ask(self, step: str, ctx: ReportContext) -> bool:
        """Whether ``step`` applies and every question before it is answered."""
        for name, answered in self.steps(ctx):
            if name == step:
                return True
            if not answered:
                return False
        return False
