"""Making contact: the customer's contact options, and the staff desk that finds a customer and logs a contact."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from enquiries import selectors, services
from enquiries.forms import CustomerSearchForm, LogContactForm
from enquiries.hours import chat_service_hours
from enquiries.views._common import ENQUIRY_STAFF_ROLES
from kernel.access import public, staff_required
from kernel.roles import Role, user_roles
from tenancy.selectors import customer_search


@public
@require_GET
def contact_us(request):
    hours = chat_service_hours()
    now = timezone.now()
    return render(
        request,
        "enquiries/contact_us.html",
        {
            "chat_open": hours.is_open(now),
            "chat_hours": hours.describe(),
            "chat_opens_at": None if hours.is_open(now) else hours.next_opening(now),
        },
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_GET
def staff_home(request):
    roles = user_roles(request.user)
    return render(
        request,
        "enquiries/staff/home.html",
        {
            "customer_services": request.user.is_superuser
            or bool(roles & {Role.CUSTOMER_SERVICES, Role.MANAGER}),
            "manager": request.user.is_superuser or Role.MANAGER in roles,
        },
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_GET
def staff_customer_search(request):
    form = CustomerSearchForm(request.GET or None)
    results = customer_search(form.cleaned_data["q"]) if form.is_valid() else None
    return render(
        request, "enquiries/staff/customer_search.html", {"form": form, "results": results}
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_log_contact(request, customer_id: int):
    customer = selectors.access_customer_for_staff(customer_id)
    if request.method == "POST":
        form = LogContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            enquiry = services.enquiry_log(
                customer=customer,
                actor=request.user,
                channel=data["channel"],
                received_at=data["received_at"],
                topic=data["topic"],
                subject=data["subject"],
                details=data["details"],
                resolved_now=data["resolved_now"],
                answer=data["answer"],
                team=data["team"],
                submission_key=data["submission_key"],
            )
            messages.success(request, f"Logged as {enquiry.reference}.")
            return redirect("enquiries:staff_enquiry", reference=enquiry.reference)
    else:
        form = LogContactForm()
    return render(request, "enquiries/staff/log_contact.html", {"form": form, "customer": customer})
