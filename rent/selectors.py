"""Reads of rent accounts, always scoped to what the asking person may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kernel import personal_data
from rent.models import (
    ArrangementStatus,
    ArrearsCase,
    ChargeFrequency,
    DirectDebitInstruction,
    InstructionStatus,
    LedgerEntry,
    PaymentArrangement,
    RecoveryAction,
    RentAccount,
    RentChangeLine,
    RentFreeWeek,
    ServiceChargeCost,
    SupportRequest,
    SuspensePayment,
    in_arrears_q,
    periods_per_year,
)
from rent.periods import Period, part_of, periods_between, pounds
from sla.models import Deadline
from tenancy.models import Customer, HouseholdRole, Tenure

STATEMENT_ROWS_MAX = 2000


def may_see_account(customer: Customer, account: RentAccount) -> bool:
    """Tenants (lead and joint), leaseholders and shared owners see their account; other
    household members only when the lead tenant has allowed it."""
    if customer.tenancy_id != account.tenancy_id:
        return False
    return customer.household_role != HouseholdRole.MEMBER or account.household_may_see


def may_manage_direct_debit(customer: Customer, account: RentAccount) -> bool:
    """The tenants (lead and joint), leaseholders and shared owners of the account's tenancy:
    a household member the lead tenant lets see the account does not change how it is paid."""
    return (
        customer.tenancy_id == account.tenancy_id
        and customer.household_role != HouseholdRole.MEMBER
    )


def access_rent_account(customer: Customer) -> RentAccount:
    """The customer's household's account, or 404 (no account, or not theirs to see)."""
    account = (
        RentAccount.objects.select_related("tenancy__property")
        .filter(tenancy_id=customer.household_id)
        .first()
    )
    if account is None or not may_see_account(customer, account):
        raise Http404
    return account


def access_direct_debit_account(customer: Customer) -> RentAccount:
    """The account whose Direct Debit the customer may set up, change or cancel, or 404."""
    account = access_rent_account(customer)
    if not may_manage_direct_debit(customer, account):
        raise Http404
    return account


def access_change_line(account: RentAccount, line_id: int) -> RentChangeLine:
    line = (
        RentChangeLine.objects.select_related("change").filter(account=account, pk=line_id).first()
    )
    if line is None:
        raise Http404
    return line


@dataclass(frozen=True)
class NextCharge:
    on: dt.date
    amount_pence: int


def next_charge(account: RentAccount, *, today: dt.date) -> NextCharge | None:
    """The next period's charge and its first day, skipping rent-free weeks (one query)."""
    tenancy = account.tenancy
    first = (
        tenancy.start_date if account.charged_to is None else account.charged_to + dt.timedelta(1)
    )
    if tenancy.end_date is not None and first > tenancy.end_date:
        return None
    free = set(
        RentFreeWeek.objects.filter(week_starting__gte=first - dt.timedelta(days=6)).values_list(
            "week_starting", flat=True
        )[:60]
    )
    horizon = first + dt.timedelta(days=400)
    for period in periods_between(
        frequency=account.frequency, first_day=first, last_day=tenancy.end_date, up_to=horizon
    ):
        if account.frequency == ChargeFrequency.WEEKLY and period.full_start in free:
            continue
        return NextCharge(on=period.start, amount_pence=_charge_for(account, period))
    return None


def _charge_for(account: RentAccount, period: Period) -> int:
    return sum(
        part_of(amount, period)
        for amount in (
            account.rent_pence,
            account.service_charge_pence,
            account.other_charges_pence,
        )
    )


def balance_words(balance_pence: int) -> str:
    """The balance said plainly, from the tenant's side."""
    if balance_pence > 0:
        return f"You owe {pounds(balance_pence)}"
    if balance_pence < 0:
        return f"You are {pounds(-balance_pence)} in credit"
    return "Your account is clear: you owe nothing"


def active_direct_debit(account: RentAccount) -> DirectDebitInstruction | None:
    return DirectDebitInstruction.objects.filter(
        account=account, status=InstructionStatus.ACTIVE
    ).first()


def last_cancelled_direct_debit(
    account: RentAccount, *, by: Customer
) -> DirectDebitInstruction | None:
    return (
        DirectDebitInstruction.objects.filter(
            account=account, status=InstructionStatus.CANCELLED, cancelled_by=by
        )
        .order_by("-ended_at")
        .first()
    )


def recent_entries(account: RentAccount, *, limit: int = 10) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(account=account).order_by("-on", "-id")[:limit])


@dataclass(frozen=True)
class Statement:
    account: RentAccount
    start: dt.date
    end: dt.date
    opening_pence: int
    closing_pence: int
    entries: list[LedgerEntry]
    charges_pence: int
    money_in_pence: int
    truncated: bool


def statement(account: RentAccount, *, start: dt.date, end: dt.date) -> Statement:
    """Rows from ``start`` to ``end`` (inclusive) with the balance brought forward: the
    running balance of the last row before them, so no history is summed (two queries)."""
    before = (
        LedgerEntry.objects.filter(account=account)
        .filter(Q(on__lt=start))
        .order_by("-on", "-id")
        .values_list("balance_after_pence", flat=True)
        .first()
    )
    opening = before or 0
    rows = list(
        LedgerEntry.objects.filter(account=account, on__gte=start, on__lte=end).order_by(
            "on", "id"
        )[: STATEMENT_ROWS_MAX + 1]
    )
    truncated = len(rows) > STATEMENT_ROWS_MAX
    rows = rows[:STATEMENT_ROWS_MAX]
    # A statement's running balance is recomputed from its opening balance in date order: a
    # payment keyed in later for an earlier day is shown on its day.
    balance = opening
    shown = []
    for row in rows:
        balance += row.amount_pence
        row.statement_balance_pence = balance  # type: ignore[attr-defined]
        shown.append(row)
    return Statement(
        account=account,
        start=start,
        end=end,
        opening_pence=opening,
        closing_pence=balance,
        entries=shown,
        charges_pence=sum(r.amount_pence for r in rows if r.is_charge),
        money_in_pence=-sum(r.amount_pence for r in rows if r.amount_pence < 0),
        truncated=truncated,
    )


def notices_for_account(account: RentAccount) -> list[RentChangeLine]:
    return list(
        RentChangeLine.objects.filter(account=account)
        .select_related("change")
        .order_by("-change__effective_from")[:10]
    )


def is_home_owner(account: RentAccount) -> bool:
    return account.tenancy.property.tenure in (Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP)


def financial_year_of(day: dt.date) -> int:
    """The year a financial year (1 April to 31 March) starts in."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class ActualCosts:
    year_start: dt.date
    year_end: dt.date
    estimate_pence: int
    costs: list[ServiceChargeCost]
    actual_pence: int

    @property
    def difference_pence(self) -> int:
        return self.actual_pence - self.estimate_pence


def service_charge_estimate_pence(account: RentAccount) -> int:
    return account.service_charge_pence * periods_per_year(account.frequency)


def actual_costs_statements(account: RentAccount, *, today: dt.date) -> list[ActualCosts]:
    """For each financial year that has ended, the costs incurred against the estimate, as
    "Leaseholders" in our commitments promises (the last three years)."""
    this_year = financial_year_of(today)
    costs = list(
        ServiceChargeCost.objects.filter(
            account=account,
            incurred_on__gte=dt.date(this_year - 3, 4, 1),
            incurred_on__lt=dt.date(this_year, 4, 1),
        )
    )
    estimate = service_charge_estimate_pence(account)
    years = []
    for year in range(this_year - 1, this_year - 4, -1):
        start, end = dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
        in_year = [c for c in costs if start <= c.incurred_on <= end]
        if in_year:
            years.append(
                ActualCosts(
                    year_start=start,
                    year_end=end,
                    estimate_pence=estimate,
                    costs=in_year,
                    actual_pence=sum(c.amount_pence for c in in_year),
                )
            )
    return years


# --- staff ------------------------------------------------------------------------------------


def arrears_queue(*, limit: int = 50, offset: int = 0) -> list[ArrearsCase]:
    """Open arrears cases, the one whose contact is due soonest first, then the largest debt
    (a fixed number of queries)."""
    return list(
        ArrearsCase.objects.filter(closed_at__isnull=True)
        .select_related("account__tenancy__property", "customer", "assignee")
        .order_by("next_due_at", "-account__balance_pence", "pk")[offset : offset + limit]
    )


def accounts_for_references(references: list[str]) -> list[RentAccount]:
    return list(
        RentAccount.objects.select_related("tenancy__property")
        .filter(tenancy__reference__in=references)
        .order_by("tenancy__reference")
    )


def suspense_to_resolve(*, limit: int = 100) -> QuerySet[SuspensePayment]:
    return SuspensePayment.objects.filter(resolved_entry__isnull=True).order_by("paid_on", "pk")[
        :limit
    ]


def costs_out_of_time(*, today: dt.date) -> list[ServiceChargeCost]:
    """Unbilled costs past (or within a month of) the 18-month limit, with no s20B notice:
    what staff must see before they try to bill them."""
    unbilled = ServiceChargeCost.objects.filter(
        billed_entry__isnull=True,
        s20b_notice_on__isnull=True,
        incurred_on__lte=today - dt.timedelta(days=17 * 30),
    ).select_related("account__tenancy")
    return [c for c in unbilled if c.s20b_last_day - dt.timedelta(days=31) <= today]


# --- measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RentMeasures:
    accounts: int
    arrears_pence: int
    rent_roll_pence: int
    direct_debits: int
    arrangements_kept: int
    arrangements_broken: int
    contacts_finished: int
    contacts_on_time: int

    @property
    def contacted_on_time_percent(self) -> Decimal | None:
        if not self.contacts_finished:
            return None
        return (Decimal(self.contacts_on_time) * 100 / self.contacts_finished).quantize(
            Decimal("0.1")
        )

    @property
    def arrears_percent(self) -> Decimal | None:
        if not self.rent_roll_pence:
            return None
        return (Decimal(self.arrears_pence) * 100 / self.rent_roll_pence).quantize(Decimal("0.01"))

    @property
    def direct_debit_percent(self) -> Decimal | None:
        if not self.accounts:
            return None
        return (Decimal(self.direct_debits) * 100 / self.accounts).quantize(Decimal("0.1"))

    @property
    def arrangements_kept_percent(self) -> Decimal | None:
        finished = self.arrangements_kept + self.arrangements_broken
        if not finished:
            return None
        return (Decimal(self.arrangements_kept) * 100 / finished).quantize(Decimal("0.1"))

    @property
    def arrears_pounds(self) -> str:
        return pounds(self.arrears_pence)

    @property
    def rent_roll_pounds(self) -> str:
        return pounds(self.rent_roll_pence)


def rent_measures(*, today: dt.date) -> RentMeasures:
    """Current tenant arrears as a share of the annual rent roll, Direct Debit take-up and
    arrangements kept (of those finished), over current tenancies; and of the accounts that
    fell into arrears in the last 12 months whose contact clock has finished, the share
    contacted within 5 working days (met by its due time). Three queries."""
    current = RentAccount.objects.filter(
        Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today)
    ).annotate(
        has_direct_debit=Exists(
            DirectDebitInstruction.objects.filter(
                account=OuterRef("pk"), status=InstructionStatus.ACTIVE
            )
        )
    )
    weekly, monthly = Q(frequency=ChargeFrequency.WEEKLY), Q(frequency=ChargeFrequency.MONTHLY)
    roll = current.aggregate(
        accounts=Count("pk"),
        weekly=Sum(F("rent_pence") + F("service_charge_pence"), filter=weekly),
        monthly=Sum(F("rent_pence") + F("service_charge_pence"), filter=monthly),
        arrears=Sum("balance_pence", filter=Q(balance_pence__gt=0)),
        direct_debits=Count("pk", filter=Q(has_direct_debit=True)),
    )
    kept_or_broken = dict(
        PaymentArrangement.objects.filter(
            status__in=[ArrangementStatus.KEPT, ArrangementStatus.BROKEN]
        )
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    year_ago = timezone.now() - dt.timedelta(days=365)
    contact = (
        Deadline.objects.filter(commitment__code="rent.arrears.contact", started_at__gte=year_ago)
        .filter(Q(met_at__isnull=False) | Q(breached_at__isnull=False))
        .aggregate(
            finished=Count("pk"),
            on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        )
    )
    rent_roll = (roll["weekly"] or 0) * 52 + (roll["monthly"] or 0) * 12
    return RentMeasures(
        accounts=roll["accounts"],
        arrears_pence=roll["arrears"] or 0,
        rent_roll_pence=rent_roll,
        direct_debits=roll["direct_debits"],
        arrangements_kept=kept_or_broken.get(ArrangementStatus.KEPT, 0),
        arrangements_broken=kept_or_broken.get(ArrangementStatus.BROKEN, 0),
        contacts_finished=contact["finished"],
        contacts_on_time=contact["on_time"],
    )


def accounts_in_arrears() -> QuerySet[RentAccount]:
    return RentAccount.objects.filter(in_arrears_q())


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "rent.RentAccount": "their tenancy's rent account (a joint tenancy's for each joint "
        "tenant; for a household member who is not a tenant, only if they may see it)",
        "rent.LedgerEntry": "every row of that account's ledger",
        "rent.DirectDebitInstruction": "the account's Direct Debit instructions as we keep them: "
        "the bank account's last two digits only, never the full number",
        "rent.RentChangeLine": "each notice of a change of rent or service charges to the account",
        "rent.ServiceChargeCost": "the costs charged to the account through service charges",
        "rent.ArrearsCase": "the account's arrears cases",
        "rent.PaymentArrangement": "the arrangements to pay made on those cases",
        "rent.RecoveryAction": "each stage of recovery action on those cases",
        "rent.SupportRequest": "every request for help with paying the person made",
        "rent.SuspensePayment": "a payment held in suspense once it is matched to the account: "
        "the line as it came in, with the reference the payer gave. One never matched is tied "
        "to no tenancy or person, so no one's pack can hold it until staff match it",
    },
    holds_none={
        "rent.RentFreeWeek": "the weeks no weekly rent is charged, the same for every account",
        "rent.RentChange": "a change of charges across many tenancies and its reason; each "
        "tenant's own notice is a RentChangeLine",
        "rent.PaymentImport": "a payments file's name and counts, and the line numbers and "
        "reasons of rows it refused; each payment it posted is a ledger row",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """The person's own requests for help, and the rent account of their tenancy with all that
    hangs on it when ``may_see_account`` lets them see it (the same rule as the account page):
    a joint tenant's pack holds the joint account, a household member's only if the lead tenant
    allowed them to see it."""
    records = personal_data.records_of(
        SupportRequest.objects.filter(customer=customer).order_by("created_at", "pk"),
        title=lambda r: f"You asked for help: {r.get_kind_display().lower()}",
        exclude=("customer",),
    )
    # An applicant with no household has no rent account (and is never read as every row
    # without a tenancy).
    account = (
        RentAccount.objects.select_related("tenancy").filter(tenancy_id=customer.tenancy_id).first()
        if customer.tenancy_id is not None
        else None
    )
    if account is None or not may_see_account(customer, account):
        return personal_data.Part(area="Rent", records=tuple(records))
    records += personal_data.records_of(
        [account], title=lambda a: f"Your rent account {a.tenancy.reference}", exclude=("tenancy",)
    )
    entries = list(LedgerEntry.objects.filter(account=account).select_related("created_by"))
    records += personal_data.records_of(
        entries,
        title=lambda e: f"{e.get_kind_display()} on {personal_data.text(e.on)}",
        exclude=("account",),
        staff=lambda e: (e.created_by,),
    )
    records += personal_data.records_of(
        DirectDebitInstruction.objects.filter(account=account)
        .select_related("set_up_by", "cancelled_by")
        .order_by("created_at", "pk"),
        title=lambda d: f"Direct Debit from account ending {d.account_number_ending}",
        exclude=("account",),
        # A joint tenant's instruction names them and the holder of their bank account, and
        # names them again if they cancelled it.
        staff=lambda d: (
            (() if d.set_up_by_id == customer.pk else (d.set_up_by, d.account_holder))
            + (() if d.cancelled_by_id in (None, customer.pk) else (d.cancelled_by,))
        ),
    )
    records += personal_data.records_of(
        RentChangeLine.objects.filter(account=account)
        .select_related("change")
        .order_by("change__effective_from", "pk"),
        title=lambda line: (
            f"Notice of new charges from {personal_data.text(line.change.effective_from)}"
        ),
        exclude=("account",),
    )
    records += personal_data.records_of(
        ServiceChargeCost.objects.filter(account=account).order_by("incurred_on", "pk"),
        title=lambda c: c.description,
        exclude=("account", "billed_entry"),
    )
    cases = list(
        ArrearsCase.objects.filter(account=account)
        .select_related("assignee", "team")
        .order_by("opened_at", "pk")
    )
    reference = {c.pk: c.reference for c in cases}
    records += personal_data.records_of(
        cases,
        title=lambda c: f"{c.reference}: {c.display_title}",
        exclude=(*personal_data.CASE_LINKS_NOT_SHOWN, "account"),
        staff=lambda c: (c.assignee,),
    )
    records += personal_data.records_of(
        PaymentArrangement.objects.filter(case_id__in=reference).order_by("made_at", "pk"),
        title=lambda a: f"{reference[a.case_id]}: an arrangement to pay",
    )
    records += personal_data.records_of(
        RecoveryAction.objects.filter(case_id__in=reference)
        .select_related("proposed_by", "approved_by")
        .order_by("created_at", "pk"),
        title=lambda r: f"{reference[r.case_id]}: {r.get_stage_display()}",
        staff=lambda r: (r.proposed_by, r.approved_by),
    )
    records += personal_data.records_of(
        SuspensePayment.objects.filter(resolved_entry__account=account)
        .select_related("payment_import")
        .order_by("paid_on", "pk"),
        title=lambda p: f"A payment matched to your account on {personal_data.text(p.paid_on)}",
        exclude=("payment_import", "resolved_entry"),
    )
    return personal_data.Part(area="Rent", records=tuple(records))
