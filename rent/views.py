"""The tenant's rent pages and the income team's pages. Arrears cases and accounts are worked
in the admin through the shared steps (``rent.steps``)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kernel.access import customer_required, staff_required
from kernel.pdf import render_pdf
from kernel.roles import Role
from kernel.spreadsheets import SafeCsvWriter
from kernel.url_parameters import page_number_from_query
from rent import selectors
from rent.forms import (
    DirectDebitCancelForm,
    DirectDebitForm,
    HouseholdAccessForm,
    PaymentsImportForm,
    RentChangeForm,
    StatementForm,
    SupportForm,
    default_statement_period,
)
from rent.services import (
    BankDetailsRefused,
    RentRuleBroken,
    direct_debit_cancel,
    direct_debit_set_up,
    household_access_set,
    payments_import,
    rent_change_schedule,
    support_request_make,
)
from tenancy.models import HouseholdRole
from tenancy.selectors import access_customer_household

QUEUE_PAGE_SIZE = 50


def _account(request):
    customer = access_customer_household(request.user)
    return customer, selectors.access_rent_account(customer)


def _statement_period(request):
    """The period asked for in the query (``start_0``... as the date inputs send it), or the
    last three months when none, or one that cannot be read, was asked for."""
    form = StatementForm(request.GET if "start_0" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = default_statement_period(timezone.localdate())
    if not form.is_bound:
        form = StatementForm(initial={"start": start, "end": end})
    return form, start, end


@customer_required
@require_GET
def rent_account(request):
    customer, account = _account(request)
    today = timezone.localdate()
    form, start, end = _statement_period(request)
    context = {
        "customer": customer,
        "account": account,
        "balance_words": selectors.balance_words(account.balance_pence),
        "in_arrears": account.in_arrears,
        "next_charge": selectors.next_charge(account, today=today),
        "direct_debit": selectors.active_direct_debit(account),
        "notices": selectors.notices_for_account(account),
        "form": form,
        "statement": selectors.statement(account, start=start, end=end),
        "query": request.GET.urlencode() if form.is_bound and not form.errors else "",
        "is_home_owner": selectors.is_home_owner(account),
        "may_choose_household_access": customer.household_role == HouseholdRole.LEAD_TENANT,
        "may_manage_direct_debit": selectors.may_manage_direct_debit(customer, account),
    }
    if context["is_home_owner"]:
        context["estimate_pence"] = selectors.service_charge_estimate_pence(account)
        context["actual_costs"] = selectors.actual_costs_statements(account, today=today)
    return render(request, "rent/account.html", context)


def _statement_for(request):
    customer, account = _account(request)
    _form, start, end = _statement_period(request)
    return customer, selectors.statement(account, start=start, end=end)


@customer_required
@require_GET
def statement_pdf(request):
    customer, statement = _statement_for(request)
    pdf = render_pdf(
        "rent/statement_pdf.html",
        {"statement": statement, "customer": customer, "now": timezone.now()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rent-statement-{statement.start:%Y-%m-%d}-to-'
        f'{statement.end:%Y-%m-%d}.pdf"'
    )
    return response


@customer_required
@require_GET
def statement_csv(request):
    _customer, statement = _statement_for(request)
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(["Date", "What", "Details", "Charged (£)", "Paid (£)", "Balance (£)"])
    writer.writerow(
        [
            statement.start.isoformat(),
            "Balance brought forward",
            "",
            "",
            "",
            _money(statement.opening_pence),
        ]
    )
    for row in statement.entries:
        writer.writerow(
            [
                row.on.isoformat(),
                row.get_kind_display(),
                row.description,
                _money(row.amount_pence) if row.amount_pence > 0 else "",
                _money(-row.amount_pence) if row.amount_pence < 0 else "",
                _money(row.statement_balance_pence),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="rent-statement-{statement.start:%Y-%m-%d}-to-'
        f'{statement.end:%Y-%m-%d}.csv"'
    )
    return response


def _money(pence: int) -> str:
    # Pounds with two places, as text: a spreadsheet reads it as a number, never a float here.
    sign = "-" if pence < 0 else ""
    return f"{sign}{abs(pence) // 100}.{abs(pence) % 100:02d}"


@customer_required
@require_GET
def how_to_pay(request):
    customer, account = _account(request)
    return render(
        request,
        "rent/how_to_pay.html",
        {
            "account": account,
            "direct_debit": selectors.active_direct_debit(account),
            "may_manage_direct_debit": selectors.may_manage_direct_debit(customer, account),
        },
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def direct_debit(request):
    customer = access_customer_household(request.user)
    account = selectors.access_direct_debit_account(customer)
    current = selectors.active_direct_debit(account)
    form = DirectDebitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = direct_debit_set_up(
                account=account,
                customer=customer,
                account_holder=data["account_holder"],
                sort_code=data["sort_code"],
                account_number=data["account_number"],
                collection_day=data["collection_day"],
            )
        except BankDetailsRefused as exc:
            form.add_error(None if exc.field == "__all__" else exc.field, exc.message)
        else:
            messages.success(
                request,
                f"Your Direct Debit is set up from the account ending "
                f"{instruction.account_number_ending}.",
            )
            return redirect("rent:account")
    return render(
        request, "rent/direct_debit.html", {"form": form, "current": current, "account": account}
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def cancel_direct_debit(request):
    """Are you sure? Then the instruction is cancelled with the provider and recorded."""
    customer = access_customer_household(request.user)
    account = selectors.access_direct_debit_account(customer)
    current = selectors.active_direct_debit(account)
    if current is None:
        return redirect("rent:direct_debit")
    form = DirectDebitCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            direct_debit_cancel(account=account, customer=customer)
        except BankDetailsRefused as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("rent:direct_debit_cancelled")
    return render(
        request,
        "rent/direct_debit_cancel.html",
        {"form": form, "current": current, "account": account},
    )


@customer_required(current_tenancy=True)
@require_GET
def direct_debit_cancelled(request):
    """What happens next, and the other ways to pay."""
    customer = access_customer_household(request.user)
    account = selectors.access_direct_debit_account(customer)
    cancelled = selectors.last_cancelled_direct_debit(account, by=customer)
    if cancelled is None:
        return redirect("rent:account")
    return render(
        request,
        "rent/direct_debit_cancelled.html",
        {"cancelled": cancelled, "account": account},
    )


@customer_required
@require_http_methods(["GET", "POST"])
def struggling(request):
    customer, account = _account(request)
    form = SupportForm(request.POST or None, phone=customer.mobile or customer.phone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_request_make(
                account=account,
                customer=customer,
                kind=data["kind"],
                phone=data["phone"],
                best_time=data["best_time"],
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except RentRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request, "Thank you. Someone from our income team will be in touch soon."
            )
            return redirect("rent:account")
    return render(request, "rent/struggling.html", {"form": form, "account": account})


@customer_required
@require_GET
def notice_letter(request, line_id: int):
    customer, account = _account(request)
    line = selectors.access_change_line(account, line_id)
    pdf = render_pdf(
        "rent/notice_letter_pdf.html",
        {
            "line": line,
            "account": account,
            "customer": customer,
            "period": "week" if account.frequency == "weekly" else "month",
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rent-change-{line.change.effective_from:%Y-%m-%d}.pdf"'
    )
    return response


@customer_required
@require_http_methods(["GET", "POST"])
def household_access(request):
    customer, account = _account(request)
    if customer.household_role != HouseholdRole.LEAD_TENANT:
        raise Http404
    form = HouseholdAccessForm(
        request.POST or None,
        initial={"allowed": "yes" if account.household_may_see else "no"},
    )
    if request.method == "POST" and form.is_valid():
        household_access_set(account=account, by=customer, allowed=form.cleaned_data["allowed"])
        messages.success(request, "Your choice is saved.")
        return redirect("rent:account")
    return render(request, "rent/household_access.html", {"form": form, "account": account})


# --- staff ----------------------------------------------------------------------------------


@staff_required(Role.INCOME)
@require_GET
def staff_arrears_queue(request):
    page = page_number_from_query(request.GET.get("page"))
    cases = selectors.arrears_queue(limit=QUEUE_PAGE_SIZE, offset=(page - 1) * QUEUE_PAGE_SIZE)
    return render(
        request,
        "rent/staff/arrears_queue.html",
        {
            "cases": cases,
            "page": page,
            "has_next": len(cases) == QUEUE_PAGE_SIZE,
            "now": timezone.now(),
            "out_of_time": selectors.costs_out_of_time(today=timezone.localdate()),
        },
    )


@staff_required(Role.INCOME)
@require_http_methods(["GET", "POST"])
def staff_payments_import(request):
    form = PaymentsImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = payments_import(
                filename=upload.name, content=upload.read(), actor=request.user
            )
        except RentRuleBroken as exc:
            for problem in exc.problems:
                form.add_error("file", problem)
    return render(
        request,
        "rent/staff/payments_import.html",
        {"form": form, "result": result, "suspense": selectors.suspense_to_resolve()},
    )


@staff_required(Role.INCOME)
@require_http_methods(["GET", "POST"])
def staff_rent_change(request):
    form = RentChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accounts = selectors.accounts_for_references(data["references"])
        missing = sorted(set(data["references"]) - {a.tenancy.reference for a in accounts})
        if missing:
            form.add_error("references", f"No rent account for: {', '.join(missing[:20])}")
        else:
            try:
                change = rent_change_schedule(
                    accounts=accounts,
                    effective_from=data["effective_from"],
                    rent_percent=data["rent_percent"],
                    service_charge_percent=data["service_charge_percent"],
                    cpi_percent=data["cpi_percent"],
                    reason=data["reason"],
                    actor=request.user,
                )
            except RentRuleBroken as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                messages.success(
                    request,
                    f"The change is scheduled and {len(accounts)} notice"
                    f"{'s' if len(accounts) != 1 else ''} sent.",
                )
                return redirect("admin:rent_rentchange_change", change.pk)
    return render(request, "rent/staff/rent_change.html", {"form": form})
