"""Customer pages for their own data, the download of a released pack, and the officer's
review of a pack before release. Staff steps live in the admin (``admin.py``, ``steps.py``).

Making and following a request, and downloading a pack, are open to every customer, an
applicant with no household included (``@applicant_required``): the right of access belongs to
every person we hold data about (docs/decisions/0030)."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.access import log_sensitive_read
from casework.models import ReceivedBy
from casework.selectors import customer_timeline, open_deadlines_for_case
from dataprotection import packs, selectors
from dataprotection.forms import DataRequestForm
from dataprotection.models import DataRequest, RequestKind
from dataprotection.services import LinkRefused, pack_link_use, request_make
from kernel.access import applicant_required, customer_required, staff_required
from kernel.roles import Role
from tenancy.selectors import access_customer, access_customer_household


@applicant_required
@require_GET
def your_data(request):
    customer = access_customer(request.user)
    context = {
        "customer": customer,
        "requests": selectors.requests_for_customer(customer)[:50],
        "as_representative": selectors.requests_released_to_representative(customer),
        "schedule": selectors.retention_schedule(),
    }
    return render(request, "dataprotection/your_data.html", context)


@applicant_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    customer = access_customer(request.user)
    initial = {}
    if request.GET.get("kind") in RequestKind.values:
        initial["kind"] = request.GET["kind"]
    form = DataRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        made = request_make(
            customer=customer,
            kind=form.cleaned_data["kind"],
            details=form.cleaned_data["details"],
            received_by=ReceivedBy.PORTAL,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        messages.success(
            request, f"Your request has been sent. Your reference is {made.reference}."
        )
        return redirect("dataprotection:request_detail", reference=made.reference)
    return render(request, "dataprotection/request_form.html", {"form": form})


@applicant_required
@require_GET
def request_detail(request, reference: str):
    customer = access_customer(request.user)
    data_request = selectors.access_request(customer, reference)
    return render(request, "dataprotection/request_detail.html", _detail_context(data_request))


def _detail_context(data_request: DataRequest) -> dict:
    return {
        "data_request": data_request,
        "next_steps": list(open_deadlines_for_case(data_request)),
        "timeline": customer_timeline(data_request),
        "link": selectors.usable_link(data_request) if data_request.released_at else None,
    }


@applicant_required
@require_GET
def released_detail(request, reference: str):
    """A released pack, for the person or their recorded representative."""
    customer = access_customer(request.user)
    data_request = selectors.access_released_request(customer, reference)
    return render(request, "dataprotection/request_detail.html", _detail_context(data_request))


@applicant_required
@require_POST
def pack_download(request, reference: str):
    """Spend the one-use link and send the pack. A POST (a button, not a link), so nothing that
    fetches links ahead of the person (a mail scanner, a browser's prefetch) can spend it."""
    customer = access_customer(request.user)
    data_request = selectors.access_released_request(customer, reference)
    link = selectors.access_link(data_request, request.POST.get("token", ""))
    if link is None or not data_request.pack:
        return render(
            request, "dataprotection/link_spent.html", {"data_request": data_request}, status=410
        )
    try:
        pack_link_use(link=link, user=request.user)
    except LinkRefused:
        return render(
            request, "dataprotection/link_spent.html", {"data_request": data_request}, status=410
        )
    return FileResponse(
        default_storage.open(data_request.pack.name or "", "rb"),
        as_attachment=True,
        filename=f"your-data-{data_request.reference}.zip",
        content_type="application/zip",
    )


@customer_required
@require_GET
def who_has_looked(request):
    customer = access_customer_household(request.user)
    context = {
        "reads": selectors.reads_of_my_records(customer),
        "has_sensitive_cases": selectors.customer_has_sensitive_cases(customer),
    }
    return render(request, "dataprotection/who_has_looked.html", context)


@staff_required(Role.DATA_PROTECTION)
@require_GET
def staff_review(request, reference: str):
    """The pack as it will be released (redactions applied), with record keys and the other
    people the records name, for the officer."""
    data_request = selectors.access_request_for_review(reference)
    # The whole of the person's record: a read of their request, which they can ask about.
    log_sensitive_read(user=request.user, case=data_request, path=request.get_full_path())
    gathered = selectors.gathered_data(data_request)
    redactions = list(data_request.redactions.all())
    removed_words = {r.target for r in redactions}
    context = {
        "data_request": data_request,
        "data": packs.redacted(gathered, redactions),
        "redactions": redactions,
        "suggestions": selectors.suggested_redactions(gathered, removed_words),
    }
    return render(request, "dataprotection/staff_review.html", context)
