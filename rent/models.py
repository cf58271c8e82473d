"""The rent account: an append-only ledger per tenancy with a running balance, the payments
that came in without a home (suspense), Direct Debit instructions, rent change notices and the
arrears case the income team works.

Money is whole pence (``BigIntegerField``), never a float. A ledger amount is signed from the
tenant's side: a charge adds to what they owe (positive), a payment, benefit or credit
adjustment takes from it (negative), a refund of a credit adds to it. The account's
``balance_pence`` is the sum of its rows, kept in the same transaction as each row is written,
so a page reads one number instead of summing years of history.
"""

from __future__ import annotations

import builtins
import calendar
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from casework.models import Case
from tenancy.models import Customer, Tenancy


class ChargeFrequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class RentAccount(models.Model):
    """One tenancy's account. The charges are per period (a week from Monday, or a calendar
    month); ``charged_to`` is the last day the charges run has charged for."""

    tenancy = models.OneToOneField(Tenancy, on_delete=models.PROTECT, related_name="rent_account")
    frequency = models.CharField(
        max_length=10, choices=ChargeFrequency.choices, default=ChargeFrequency.WEEKLY
    )
    rent_pence = models.PositiveIntegerField(default=0)
    service_charge_pence = models.PositiveIntegerField(default=0)
    other_charges_pence = models.PositiveIntegerField(default=0)
    charged_to = models.DateField(null=True, blank=True, editable=False)
    balance_pence = models.BigIntegerField(default=0, editable=False)
    # The lead tenant may let other household members (not tenants) see the account.
    household_may_see = models.BooleanField(default=False)

    class Meta:
        ordering = ["tenancy__reference"]
        indexes = [
            # The arrears queue and the measures read accounts in arrears only.
            models.Index(
                fields=["-balance_pence"],
                name="rent_account_in_arrears",
                condition=Q(balance_pence__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"Rent account {self.tenancy.reference}"

    @builtins.property
    def period_charge_pence(self) -> int:
        return self.rent_pence + self.service_charge_pence + self.other_charges_pence

    @builtins.property
    def in_arrears(self) -> bool:
        return self.balance_pence > self.period_charge_pence


def in_arrears_q() -> Q:
    """The one rule for "in arrears": owing more than one full period's charges. Charges are
    due in advance on the first day of each period, so the period just charged is owed but not
    yet late; anything beyond it is (docs/decisions/0018-rent-ledger-and-arrears.md)."""
    return Q(
        balance_pence__gt=F("rent_pence") + F("service_charge_pence") + F("other_charges_pence")
    )


class EntryKind(models.TextChoices):
    RENT = "rent", "Rent"
    SERVICE_CHARGE = "service_charge", "Service charge"
    OTHER_CHARGE = "other_charge", "Other charges"
    PAYMENT = "payment", "Payment"
    HOUSING_BENEFIT = "housing_benefit", "Housing Benefit"
    UNIVERSAL_CREDIT = "universal_credit", "Universal Credit housing costs"
    ADJUSTMENT = "adjustment", "Adjustment"
    REFUND = "refund", "Refund"


CHARGE_KINDS = (EntryKind.RENT, EntryKind.SERVICE_CHARGE, EntryKind.OTHER_CHARGE)
MONEY_IN_KINDS = (EntryKind.PAYMENT, EntryKind.HOUSING_BENEFIT, EntryKind.UNIVERSAL_CREDIT)


class PaymentMethod(models.TextChoices):
    DIRECT_DEBIT = "direct_debit", "Direct Debit"
    CARD = "card", "Debit or credit card"
    BANK_TRANSFER = "bank_transfer", "Bank transfer"
    STANDING_ORDER = "standing_order", "Standing order"
    PAYPOINT = "paypoint", "PayPoint or Post Office"
    CASH = "cash", "Cash"
    HOUSING_BENEFIT = "housing_benefit", "Housing Benefit"
    UNIVERSAL_CREDIT = "universal_credit", "Universal Credit (paid to us)"


class AppendOnly(Exception):
    """A ledger row cannot be changed: a correction is a new row."""


class LedgerEntry(models.Model):
    # Indexed by the two indexes that start with it (below), not on its own.
    account = models.ForeignKey(
        RentAccount, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    amount_pence = models.BigIntegerField()
    balance_after_pence = models.BigIntegerField()
    # The day the row counts from: a period's first day, the day a payment was made.
    on = models.DateField()
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    # Blank for what the charges run and payments files post (nearly every row): indexed only
    # where set (below), so those rows cost no index entry.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering = ["account", "on", "id"]
        indexes = [
            models.Index(fields=["account", "on", "id"], name="rent_ledger_account_on"),
            # An account's latest row, whose balance is the account's (services.ledger).
            models.Index(fields=["account", "id"], name="rent_ledger_account_latest"),
            models.Index(
                fields=["created_by"],
                name="rent_ledger_posted_by",
                condition=Q(created_by__isnull=False),
            ),
        ]
        constraints = [
            # A period is charged once, whatever runs twice or catches up.
            models.UniqueConstraint(
                fields=["account", "kind", "period_start"],
                condition=Q(period_start__isnull=False),
                name="rent_ledger_period_charged_once",
            ),
            # A bank's or provider's transaction is posted once, whatever file brings it again.
            models.UniqueConstraint(
                fields=["transaction_id"],
                condition=~Q(transaction_id=""),
                name="rent_ledger_transaction_posted_once",
            ),
            models.CheckConstraint(
                name="rent_ledger_charge_is_a_debit",
                condition=~Q(kind__in=CHARGE_KINDS) | Q(amount_pence__gte=0),
            ),
            models.CheckConstraint(
                name="rent_ledger_money_in_is_a_credit",
                condition=~Q(kind__in=MONEY_IN_KINDS) | Q(amount_pence__lt=0),
            ),
            models.CheckConstraint(
                name="rent_ledger_refund_is_a_debit",
                condition=~Q(kind=EntryKind.REFUND) | Q(amount_pence__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_pence}p on {self.on}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("A ledger row is never changed: post a correcting row instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A ledger row is never deleted: post a correcting row instead.")

    @builtins.property
    def is_charge(self) -> bool:
        return self.kind in CHARGE_KINDS


class RentFreeWeek(models.Model):
    """A week (Monday to Sunday) in which weekly accounts are not charged: the association
    charges 50 weeks' rent over 52, for example, and says which weeks are free."""

    week_starting = models.DateField(unique=True)

    class Meta:
        ordering = ["week_starting"]
        constraints = [
            # Django's week_day: 1 is Sunday, 2 is Monday.
            models.CheckConstraint(
                name="rent_free_week_starts_on_monday", condition=Q(week_starting__week_day=2)
            ),
        ]

    def __str__(self) -> str:
        return f"Rent-free week from {self.week_starting}"


class PaymentImport(models.Model):
    """One payments file as it was imported: what it posted, held and refused."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rows = models.PositiveIntegerField(default=0)
    posted = models.PositiveIntegerField(default=0)
    already_posted = models.PositiveIntegerField(default=0)
    held_in_suspense = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class SuspensePayment(models.Model):
    """Money that came in with a reference matching no tenancy: held until staff find its home."""

    payment_import = models.ForeignKey(
        PaymentImport, on_delete=models.PROTECT, related_name="suspense"
    )
    line = models.PositiveIntegerField()
    paid_on = models.DateField()
    reference_given = models.CharField(max_length=100)
    amount_pence = models.PositiveBigIntegerField()
    transaction_id = models.CharField(max_length=64, unique=True)
    method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    resolved_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.amount_pence}p from {self.reference_given!r} on {self.paid_on}"


class InstructionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REPLACED = "replaced", "Replaced by a newer instruction"
    CANCELLED = "cancelled", "Cancelled"


class DirectDebitInstruction(models.Model):
    """What the tenant asked for. The full account number goes to the payment provider when
    the instruction is made and is never kept: only its last two digits, to recognise it."""

    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="direct_debits")
    set_up_by = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    account_holder = models.CharField(max_length=18)
    sort_code = models.CharField(max_length=6)
    account_number_ending = models.CharField(max_length=2)
    collection_day = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=InstructionStatus.choices, default=InstructionStatus.ACTIVE
    )
    provider_reference = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # Who cancelled it in the portal (none when replaced, or cancelled at the bank).
    cancelled_by = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(status="active"),
                name="rent_one_active_direct_debit",
            ),
            models.CheckConstraint(
                name="rent_direct_debit_collection_day_1_to_28",
                condition=Q(collection_day__gte=1, collection_day__lte=28),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Direct Debit for {self.account_id} from account ending {self.account_number_ending}"
        )

    @builtins.property
    def sort_code_display(self) -> str:
        return f"{self.sort_code[:2]}-{self.sort_code[2:4]}-{self.sort_code[4:]}"

    @builtins.property
    def account_number_masked(self) -> str:
        return f"******{self.account_number_ending}"


class RentChange(models.Model):
    """A change of rent or service charges for a set of tenancies, prepared by staff. Each
    tenant's notice is sent when it is scheduled; the charges run applies it on the day."""

    effective_from = models.DateField()
    reason = models.CharField(max_length=200)
    cpi_percent = models.DecimalField(
        "CPI (September) %", max_digits=5, decimal_places=2, null=True, blank=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    scheduled_at = models.DateTimeField()

    class Meta:
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"Change from {self.effective_from}: {self.reason}"


class RentChangeLine(models.Model):
    change = models.ForeignKey(RentChange, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="changes")
    old_rent_pence = models.PositiveIntegerField()
    new_rent_pence = models.PositiveIntegerField()
    old_service_charge_pence = models.PositiveIntegerField()
    new_service_charge_pence = models.PositiveIntegerField()
    notice_sent_at = models.DateTimeField()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["change", "account"]
        constraints = [
            models.UniqueConstraint(fields=["change", "account"], name="rent_change_once_each"),
        ]
        indexes = [
            models.Index(
                fields=["account"],
                name="rent_change_line_to_apply",
                condition=Q(applied_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.change} for {self.account_id}"


# Landlord and Tenant Act 1985 s20B: costs older than this are recoverable only after a notice.
S20B_MONTHS = 18


class ServiceChargeCost(models.Model):
    """A cost incurred for a leaseholder's or shared owner's home or block, to be recovered
    through variable service charges. Section 20B of the Landlord and Tenant Act 1985: a cost
    demanded more than 18 months after it was incurred is not recoverable unless the tenant was
    told of it (a s20B(2) notice) within those 18 months."""

    account = models.ForeignKey(
        RentAccount, on_delete=models.PROTECT, related_name="service_charge_costs"
    )
    description = models.CharField(max_length=200)
    incurred_on = models.DateField()
    amount_pence = models.PositiveIntegerField()
    s20b_notice_on = models.DateField("s20B(2) notice served on", null=True, blank=True)
    billed_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["incurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.description} ({self.incurred_on})"

    @builtins.property
    def s20b_last_day(self) -> dt.date:
        """The last day the cost may be demanded, or a s20B(2) notice served: 18 months after
        it was incurred."""
        return months_after(self.incurred_on, S20B_MONTHS)

    def is_out_of_time(self, today: dt.date) -> bool:
        """The one statement of the 18-month rule: past the last day, with no notice served
        by then, the cost is not recoverable."""
        if self.s20b_notice_on is not None and self.s20b_notice_on <= self.s20b_last_day:
            return False
        return today > self.s20b_last_day


class ArrearsStatus(models.TextChoices):
    TO_CONTACT = "to_contact", "We will contact you"
    CONTACTED = "contacted", "We have been in touch"
    ARRANGEMENT = "arrangement", "Payment arrangement agreed"
    RECOVERY = "recovery", "Recovery action"
    CLEARED = "cleared", "Cleared"


class ArrearsCase(Case):
    """An account that fell into arrears: opened when it does, closed when it is cleared."""

    REFERENCE_PREFIX = "ARR"
    NEXT_STEP_PHRASE = "We will contact you by"

    account = models.ForeignKey(RentAccount, on_delete=models.PROTECT, related_name="arrears")

    class Meta:
        ordering = ["next_due_at", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(closed_at__isnull=True),
                name="rent_one_open_arrears_case",
            ),
        ]

    @builtins.property
    def display_title(self) -> str:
        return "Your rent account is behind"

    @builtins.property
    def status_label(self) -> str:
        return str(ArrearsStatus(self.status).label)


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VISIT = "visit", "Home visit"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    TEXT = "sms", "Text message"


class ArrangementFrequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    MONTHLY = "monthly", "Every month"


class ArrangementStatus(models.TextChoices):
    ACTIVE = "active", "Being kept"
    KEPT = "kept", "Kept to the end"
    BROKEN = "broken", "Broken"
    ENDED = "ended", "Ended"


class PaymentArrangement(models.Model):
    """An agreement to pay ``amount_pence`` towards the arrears every period, on top of the
    charges, from ``starts_on``. Checked against the payments by the daily job."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.PROTECT, related_name="arrangements")
    amount_pence = models.PositiveIntegerField()
    frequency = models.CharField(max_length=10, choices=ArrangementFrequency.choices)
    starts_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ArrangementStatus.choices, default=ArrangementStatus.ACTIVE
    )
    checked_to = models.DateField(null=True, blank=True)
    made_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="active"), name="rent_one_active_arrangement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount_pence}p {self.get_frequency_display().lower()} from {self.starts_on}"


class RecoveryStage(models.TextChoices):
    REMINDER = "reminder", "Arrears reminder letter"
    FINAL_WARNING = "final_warning", "Final warning before legal action"
    NOTICE_OF_SEEKING_POSSESSION = "nosp", "Notice of seeking possession"
    COURT_APPLICATION = "court", "Application to court for possession"


class RecoveryAction(models.Model):
    """A stage of recovery action, planned for a day and told to the tenant before it happens.
    Court action also needs a manager's approval and the steps taken to avoid it."""

    case = models.ForeignKey(ArrearsCase, on_delete=models.PROTECT, related_name="recovery")
    stage = models.CharField(max_length=20, choices=RecoveryStage.choices)
    planned_for = models.DateField()
    tenant_told_at = models.DateTimeField()
    steps_taken_to_avoid_court = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                name="rent_court_action_needs_manager_and_steps",
                condition=~Q(stage="court")
                | (Q(approved_by__isnull=False) & ~Q(steps_taken_to_avoid_court="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} planned for {self.planned_for}"


class SupportRequestKind(models.TextChoices):
    CALL_FROM_INCOME_TEAM = "call", "A call from the income team"
    MONEY_ADVICE = "money_advice", "A referral to free money and debt advice"
    BENEFITS = "benefits", "Help to claim benefits"


class SupportRequest(models.Model):
    """ "I am struggling to pay": what the tenant asked for, for the income team to act on."""

    account = models.ForeignKey(
        RentAccount, on_delete=models.PROTECT, related_name="support_requests"
    )
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=SupportRequestKind.choices)
    phone = models.CharField(max_length=30, blank=True)
    best_time = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()
    idempotency_key = models.UUIDField(unique=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.account_id}"


def periods_per_year(frequency: str) -> int:
    return 52 if frequency == ChargeFrequency.WEEKLY else 12


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def months_after(day: dt.date, months: int) -> dt.date:
    """``months`` calendar months after ``day``: the same date, or the month's last day where
    it has no such date (31 January and one month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
