"""Repairs, Awaab's Law hazards, appointment capacity, builders' defects and planned works.

A ``Repair`` is a case (``casework.Case``): its clocks are ``sla.Deadline`` rows and its history
is ``casework.CaseEvent`` rows. A ``Hazard`` is the Awaab's Law record of a repair that reports
damp and mould or a danger; its clocks run on the same case, next to the repair clock, so the
queue shows the earlier of the two. Appointments are taken from ``Slot`` rows, one per trade,
patch, day and window, whose ``booked`` counter is raised only by a conditional UPDATE, so two
customers can never both take the last place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from casework.models import Case
from kernel.formatting import london_date
from repairs.catalogue import HazardType, Location, Priority, Trade


class RepairStatus(models.TextChoices):
    REPORTED = "reported", "Reported"
    BOOKED = "booked", "Appointment booked"
    # An emergency passed to the emergency team: true from the moment it is reported, before
    # anyone is assigned. The customer reads "Operative assigned" once someone is (see
    # ``customer_status_label``).
    DISPATCHED = "dispatched", "Emergency: arranging an operative"
    WITH_BUILDER = "with_builder", "Passed to the builder"
    NO_ACCESS = "no_access", "We could not get in"
    IN_PROGRESS = "in_progress", "More work needed"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Satisfaction(models.IntegerChoices):
    # The TSM answer scale (TP02, TP03): "very or fairly satisfied" counts as satisfied.
    VERY_SATISFIED = 5, "Very satisfied"
    FAIRLY_SATISFIED = 4, "Fairly satisfied"
    NEITHER = 3, "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = 2, "Fairly dissatisfied"
    VERY_DISSATISFIED = 1, "Very dissatisfied"


class Contractor(models.Model):
    """A firm we send repairs to when our own operatives cannot do them."""

    name = models.CharField(max_length=200, unique=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Operative(models.Model):
    name = models.CharField(max_length=200)
    trade = models.CharField(max_length=20, choices=Trade.choices)
    mobile = models.CharField(max_length=30, blank=True)
    contractor = models.ForeignKey(
        Contractor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operatives",
        help_text="Empty for our own operatives.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["trade", "name"], name="repairs_operative_trade_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_trade_display()})"


class Repair(Case):
    REFERENCE_PREFIX = "REP"

    location = models.CharField(max_length=10, choices=Location.choices, default=Location.HOME)
    block = models.ForeignKey(
        "tenancy.Block",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a repair in a shared area.",
    )
    # Copied from the catalogue when reported, so a later catalogue edit changes nothing here.
    catalogue_code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    trade = models.CharField(max_length=20, choices=Trade.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    # The housing patch of the home, copied so a queue filters and sorts on one table.
    patch = models.CharField(max_length=50)
    description = models.TextField(help_text="What the customer told us, in their words.")
    emergency_reason = models.CharField(max_length=40, blank=True)
    rechargeable = models.BooleanField(default=False)
    # The repair clock's due time as first set: RP02 asks whether the repair was completed
    # within the published target, which no extension moves.
    target_at = models.DateTimeField(null=True, blank=True)
    operative = models.ForeignKey(
        Operative, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs"
    )
    contractor = models.ForeignKey(
        Contractor, on_delete=models.PROTECT, null=True, blank=True, related_name="repairs"
    )
    attended_at = models.DateTimeField(null=True, blank=True)
    made_safe_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    first_time_fix = models.BooleanField(null=True, blank=True)
    follow_on_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ons"
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    # New build defects: the builder does the work; we chase them and the clocks still run.
    is_defect = models.BooleanField(default=False)
    builder_name = models.CharField(max_length=200, blank=True)
    builder_referred_at = models.DateTimeField(null=True, blank=True)
    builder_response = models.TextField(blank=True)
    builder_responded_at = models.DateTimeField(null=True, blank=True)
    # After completion: the two TSM repair questions (TP02 overall, TP03 time taken).
    satisfaction_overall = models.PositiveSmallIntegerField(
        choices=Satisfaction.choices, null=True, blank=True
    )
    satisfaction_time = models.PositiveSmallIntegerField(
        choices=Satisfaction.choices, null=True, blank=True
    )
    satisfaction_comment = models.TextField(blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["tenancy", "-opened_at"], name="repairs_household_idx"),
            # Staff queues: open repairs by trade (and patch), soonest due first.
            models.Index(
                fields=["trade", "next_due_at", "opened_at"],
                name="repairs_open_trade_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["patch", "next_due_at", "opened_at"],
                name="repairs_open_patch_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["next_due_at", "opened_at"],
                name="repairs_open_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["completed_at"],
                name="repairs_completed_idx",
                condition=Q(completed_at__isnull=False),
            ),
            models.Index(
                fields=["builder_referred_at"],
                name="repairs_open_defect_idx",
                condition=Q(is_defect=True, closed_at__isnull=True),
            ),
            models.Index(
                fields=["satisfaction_at"],
                name="repairs_satisfaction_idx",
                condition=Q(satisfaction_at__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="repairs_communal_has_block",
                condition=Q(location=Location.HOME) | Q(block__isnull=False),
            ),
        ]

    # Completes "... by Thursday 9 April 2026" on the customer's case page.
    NEXT_STEP_PHRASE = "We aim to finish by"

    @property
    def display_title(self) -> str:
        return self.title

    @property
    def is_assigned(self) -> bool:
        return self.operative_id is not None or self.contractor_id is not None

    @property
    def status_label(self) -> str:
        return customer_status_label(self.status, assigned=self.is_assigned)

    @property
    def tag_class(self) -> str:
        return status_tag_class(self.status, self.priority, is_open=self.closed_at is None)

    @property
    def booked_label(self) -> str:
        """The booked appointment, when the repair was read with ``booked_date`` and
        ``booked_window`` (repairs.selectors); empty when there is none."""
        date = getattr(self, "booked_date", None)
        return slot_label(date, getattr(self, "booked_window", "")) if date else ""

    @property
    def appointment_summary(self) -> str:
        return appointment_summary(
            self.status,
            self.priority,
            self.closed_at is None,
            self.booked_label,
            assigned=self.is_assigned,
        )

    @property
    def is_emergency(self) -> bool:
        return self.priority == Priority.EMERGENCY


ASSIGNED_EMERGENCY_LABEL = "Operative assigned"


def customer_status_label(status: str, *, assigned: bool) -> str:
    """A repair's status as the customer reads it: only what has happened. An emergency is
    "arranging an operative" until one of our operatives or a contractor is assigned."""
    if status == RepairStatus.DISPATCHED and assigned:
        return ASSIGNED_EMERGENCY_LABEL
    return str(RepairStatus(status).label)


def status_tag_class(status: str, priority: str, *, is_open: bool) -> str:
    """The GOV.UK tag colour of a repair's status."""
    if status == RepairStatus.COMPLETED:
        return "govuk-tag--green"
    if status == RepairStatus.CANCELLED:
        return "govuk-tag--grey"
    if status == RepairStatus.NO_ACCESS:
        return "govuk-tag--orange"
    if priority == Priority.EMERGENCY and is_open:
        return "govuk-tag--red"
    if status == RepairStatus.WITH_BUILDER:
        return "govuk-tag--purple"
    return "govuk-tag--blue"


def appointment_summary(
    status: str, priority: str, is_open: bool, booked: str, *, assigned: bool
) -> str:
    """What the customer's list says about the appointment."""
    if booked:
        return booked
    if not is_open:
        return ""
    if priority == Priority.EMERGENCY:
        return "Operative assigned" if assigned else "We are arranging an operative"
    if status == RepairStatus.WITH_BUILDER:
        return "The builder will contact you"
    return "None booked"


class HazardCategory(models.TextChoices):
    EMERGENCY = "emergency", "Emergency hazard"
    SIGNIFICANT = "significant", "Significant hazard"
    NONE = "none", "No significant hazard"


class DampRoom(models.TextChoices):
    BEDROOM = "bedroom", "A bedroom"
    LIVING_ROOM = "living_room", "Living room"
    KITCHEN = "kitchen", "Kitchen"
    BATHROOM = "bathroom", "Bathroom or toilet"
    HALL = "hall", "Hall, stairs or landing"
    SHARED = "shared", "A shared area of the building"
    OTHER = "other", "Somewhere else"


class Vulnerability(models.TextChoices):
    CHILD = "child", "A baby or a child under 5"
    PREGNANT = "pregnant", "Someone who is pregnant"
    BREATHING = "breathing", "Someone with asthma, COPD or another breathing condition"
    IMMUNE = "immune", "Someone with a weak immune system or a serious long-term illness"
    OLDER = "older", "Someone aged 65 or over"


class HazardExtent(models.TextChoices):
    SMALL = "small", "A small patch, smaller than a sheet of A4 paper"
    MEDIUM = "medium", "Up to about 1 square metre in one room"
    LARGE = "large", "More than 1 square metre, or in more than one room"


class Hazard(models.Model):
    """The Awaab's Law record of a repair: what was reported, how it was categorised and why,
    and the date of every step the law times (regulation notes, section C)."""

    repair = models.OneToOneField(Repair, on_delete=models.PROTECT, related_name="hazard")
    hazard_type = models.CharField(max_length=20, choices=HazardType.choices)
    category = models.CharField(max_length=20, choices=HazardCategory.choices)
    category_reason = models.TextField()
    # Awaab's Law is a term of social tenancies: leaseholders and shared owners are outside it,
    # so their hazard is recorded and repaired but its legal clocks are not started.
    awaabs_law_applies = models.BooleanField(default=True)
    aware_at = models.DateTimeField(help_text="When we became aware: the clocks start here.")
    rooms = models.CharField(max_length=300, blank=True)
    extent = models.CharField(max_length=10, choices=HazardExtent.choices, blank=True)
    vulnerabilities = models.CharField(max_length=300, blank=True)
    investigated_at = models.DateTimeField(null=True, blank=True)
    investigated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finding = models.CharField(max_length=20, choices=HazardCategory.choices, blank=True)
    findings = models.TextField(blank=True)
    summary_sent_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="The written summary sent to the tenant.")
    made_safe_at = models.DateTimeField(null=True, blank=True)
    further_works_needed = models.BooleanField(default=False)
    further_works_long_stop = models.DateField(
        null=True, blank=True, help_text="Further works must physically start by this date."
    )
    further_works_started_at = models.DateTimeField(null=True, blank=True)
    further_works_completed_at = models.DateTimeField(null=True, blank=True)
    alternative_accommodation_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["aware_at"], name="repairs_hazard_aware_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.get_hazard_type_display()}"


class SlotWindow(models.TextChoices):
    MORNING = "morning", "Morning, 8am to 12pm"
    SCHOOL_RUN = "school_run", "School hours, 9:30am to 2:30pm"
    AFTERNOON = "afternoon", "Afternoon, 12pm to 5pm"


def slot_label(date, window: str) -> str:
    """``Tuesday 9 June 2026, morning, 8am to 12pm``: how a customer reads an appointment."""
    window_label = str(SlotWindow(window).label)
    return f"{london_date(date)}, {window_label[0].lower()}{window_label[1:]}"


class CapacityPlan(models.Model):
    """How many jobs a trade can take in a patch in each window of a working day. Slots for the
    weeks ahead are opened from these rows; a manager may change one day's slot directly."""

    trade = models.CharField(max_length=20, choices=Trade.choices)
    patch = models.CharField(max_length=50)
    window = models.CharField(max_length=12, choices=SlotWindow.choices)
    jobs = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["trade", "patch", "window"]
        constraints = [
            models.UniqueConstraint(
                fields=["trade", "patch", "window"], name="repairs_capacityplan_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_trade_display()}, {self.patch}, {self.get_window_display()}: {self.jobs}"


class Slot(models.Model):
    trade = models.CharField(max_length=20, choices=Trade.choices)
    patch = models.CharField(max_length=50)
    date = models.DateField()
    window = models.CharField(max_length=12, choices=SlotWindow.choices)
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["date", "window"]
        constraints = [
            models.UniqueConstraint(
                fields=["trade", "patch", "date", "window"], name="repairs_slot_unique"
            ),
            models.CheckConstraint(
                name="repairs_slot_not_overbooked", condition=Q(booked__lte=F("capacity"))
            ),
        ]

    def __str__(self) -> str:
        return slot_label(self.date, self.window)

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked, 0)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    NO_ACCESS = "no_access", "We came but could not get in"
    MOVED = "moved", "Moved to another time"
    CANCELLED_BY_CUSTOMER = "cancelled_by_customer", "Cancelled by you"
    CANCELLED_BY_US = "cancelled_by_us", "We could not keep it"
    MISSED = "missed", "We did not come"


# Appointments we kept: we arrived in the window, whether or not we could get in.
KEPT_STATUSES = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_ACCESS)
# Appointments we failed: the denominator of "appointments kept" adds these to the kept ones.
BROKEN_STATUSES = (AppointmentStatus.CANCELLED_BY_US, AppointmentStatus.MISSED)


class Appointment(models.Model):
    repair = models.ForeignKey(Repair, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    date = models.DateField()
    window = models.CharField(max_length=12, choices=SlotWindow.choices)
    status = models.CharField(
        max_length=25, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    operative = models.ForeignKey(
        Operative, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was attended, moved or cancelled."
    )
    reason = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Set only when staff booked a day later than the repair's earliest running clock.
    after_due_reason = models.TextField(
        blank=True, help_text="Why it was booked after the date the repair is due."
    )

    class Meta:
        ordering = ["date", "window"]
        indexes = [
            models.Index(fields=["repair", "date"], name="repairs_appt_repair_idx"),
            # The reminder sweep: tomorrow's booked appointments not yet reminded.
            models.Index(
                fields=["date"],
                name="repairs_appt_to_remind_idx",
                condition=Q(status="booked", reminded_at__isnull=True),
            ),
            models.Index(fields=["date", "status"], name="repairs_appt_day_idx"),
        ]
        constraints = [
            # A repair has at most one appointment waiting to happen.
            models.UniqueConstraint(
                fields=["repair"],
                condition=Q(status="booked"),
                name="repairs_one_booked_appointment",
            ),
        ]

    def __str__(self) -> str:
        return slot_label(self.date, self.window)

    @property
    def is_after_due(self) -> bool:
        return bool(self.after_due_reason)


# Where photos added while a report is being written are stored until it is sent.
DRAFT_PHOTO_FOLDER = "repair-drafts"


class DraftPhoto(models.Model):
    """A photo added to a repair report that has not been sent yet. It waits here, checked and
    stripped of location data, so a refused photo or a lost connection loses nothing; it is
    attached to the repair when the report is sent, and swept away if it never is."""

    customer = models.ForeignKey("tenancy.Customer", on_delete=models.CASCADE, related_name="+")
    draft = models.UUIDField()
    file = models.FileField(upload_to=f"{DRAFT_PHOTO_FOLDER}/", max_length=200)
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["customer", "draft"], name="repairs_draftphoto_idx"),
            models.Index(fields=["uploaded_at"], name="repairs_draftphoto_age_idx"),
        ]

    def __str__(self) -> str:
        return self.original_name


class ProgrammeKind(models.TextChoices):
    KITCHENS = "kitchens", "New kitchens"
    BATHROOMS = "bathrooms", "New bathrooms"
    WINDOWS = "windows", "New windows and doors"
    ROOFS = "roofs", "Roof renewal"
    HEATING = "heating", "New boilers and heating"


class Programme(models.Model):
    """A planned improvement programme (e.g. this year's kitchens) over a set of homes."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ProgrammeKind.choices)
    description = models.TextField(help_text="What the works are, as the customer reads it.")
    works_start = models.DateField()
    works_end = models.DateField()
    estimated_cost_per_home = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leaseholders are told their estimated share when consulted.",
    )

    class Meta:
        ordering = ["-works_start", "name"]
        constraints = [
            models.CheckConstraint(
                name="repairs_programme_ends_after_start",
                condition=Q(works_end__gte=F("works_start")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlannedWorkStatus(models.TextChoices):
    CONSULTING = "consulting", "We are consulting you"
    TO_INSPECT = "to_inspect", "We will arrange a survey"
    INSPECTION_BOOKED = "inspection_booked", "Survey booked"
    INSPECTED = "inspected", "Surveyed"
    CONFIRMED = "confirmed", "Works confirmed"
    BOOKED = "booked", "Works booked"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Not going ahead"


class PlannedWork(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="works")
    property = models.ForeignKey("tenancy.Property", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=PlannedWorkStatus.choices)
    # Leaseholders: the consultation notice and the last day for their observations.
    consulted_at = models.DateTimeField(null=True, blank=True)
    observations_by = models.DateField(null=True, blank=True)
    observations = models.TextField(blank=True)
    inspection_date = models.DateField(null=True, blank=True)
    inspection_window = models.CharField(max_length=12, choices=SlotWindow.choices, blank=True)
    inspected_at = models.DateTimeField(null=True, blank=True)
    confirmed_works = models.TextField(blank=True)
    works_date = models.DateField(null=True, blank=True)
    works_window = models.CharField(max_length=12, choices=SlotWindow.choices, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["programme", "property"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "property"], name="repairs_plannedwork_unique"
            ),
        ]
        indexes = [models.Index(fields=["property", "status"], name="repairs_planned_home_idx")]

    def __str__(self) -> str:
        return f"{self.programme}: {self.property}"


class PlannedWorkEvent(models.Model):
    """One change to a home's planned works: the audit trail the admin shows. Planned works are
    not a case (no customer's case reference, no clocks), so they keep their own history rather
    than the case timeline; every status change writes one row in the same transaction."""

    work = models.ForeignKey(PlannedWork, on_delete=models.PROTECT, related_name="events")
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=PlannedWorkStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=PlannedWorkStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["work", "occurred_at"], name="repairs_planned_event_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"
