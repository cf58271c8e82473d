"""Call back pages: the customer asks for one, staff book and work them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from casework.selectors import customer_timeline, open_deadlines_for_case, timeline_for_case
from casework.services import InvalidTransition
from enquiries import selectors, services
from enquiries.forms import CallBackOutcomeForm, CallBackRequestForm, StaffCallBackForm
from kernel.access import customer_required, staff_required
from kernel.roles import Role
from tenancy.selectors import access_customer_household


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def callback_new(request):
    customer = access_customer_household(request.user)
    if request.method == "POST":
        form = CallBackRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                callback = services.callback_request(
                    customer=customer,
                    phone=data["phone"],
                    reason=data["reason"],
                    preferred_date=data["preferred_date"],
                    preferred_time=data["preferred_time"],
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("enquiries:callback_done", reference=callback.reference)
    else:
        form = CallBackRequestForm(initial={"phone": customer.mobile or customer.phone})
    return render(request, "enquiries/callback_new.html", {"form": form})


@customer_required
@require_GET
def callback_done(request, reference: str):
    callback = selectors.access_callback_for_customer(request.user, reference)
    return render(
        request,
        "enquiries/callback_done.html",
        {
            "callback": callback,
            "timeline": customer_timeline(callback),
            "next_steps": list(open_deadlines_for_case(callback)) if callback.is_open else [],
        },
    )


@staff_required(Role.CUSTOMER_SERVICES)
@require_http_methods(["GET", "POST"])
def staff_callback_new(request, customer_id: int):
    customer = selectors.access_customer_for_staff(customer_id)
    if request.method == "POST":
        form = StaffCallBackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                callback = services.callback_request(
                    customer=customer,
                    phone=data["phone"],
                    reason=data["reason"],
                    preferred_date=data["preferred_date"],
                    preferred_time=data["preferred_time"],
                    idempotency_key=data["idempotency_key"],
                    actor=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Call back {callback.reference} is in the queue.")
                return redirect("enquiries:staff_callback_queue")
    else:
        form = StaffCallBackForm(initial={"phone": customer.mobile or customer.phone})
    return render(
        request, "enquiries/staff/callback_new.html", {"form": form, "customer": customer}
    )


@staff_required(Role.CUSTOMER_SERVICES)
@require_GET
def staff_callback_queue(request):
    return render(
        request,
        "enquiries/staff/callback_queue.html",
        {"callbacks": selectors.callback_queue(), "now": timezone.now()},
    )


@staff_required(Role.CUSTOMER_SERVICES)
@require_http_methods(["GET", "POST"])
def staff_callback(request, reference: str):
    callback = selectors.access_callback_for_staff(request.user, reference)
    if request.method == "POST":
        form = CallBackOutcomeForm(request.POST)
        if form.is_valid():
            try:
                follow_up = services.callback_record_outcome(
                    callback=callback,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except InvalidTransition as exc:
                messages.error(request, str(exc))
                return redirect("enquiries:staff_callback", reference=callback.reference)
            if follow_up is not None:
                messages.success(
                    request, f"Recorded. Follow-up enquiry {follow_up.reference} opened."
                )
                return redirect("admin:enquiries_enquiry_change", follow_up.pk)
            messages.success(request, "Outcome recorded.")
            return redirect("enquiries:staff_callback_queue")
    else:
        form = CallBackOutcomeForm()
    return render(
        request,
        "enquiries/staff/callback.html",
        {
            "callback": callback,
            "form": form,
            "timeline": timeline_for_case(callback, customer_view=False),
        },
    )
