"""Enquiry pages: the customer's enquiries. Staff work an enquiry in the admin, through the
shared step framework (``enquiries.steps``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.selectors import (
    attachments_for_case,
    customer_timeline,
    open_deadlines_for_case,
)
from enquiries import selectors, services
from enquiries.forms import (
    AttachmentForm,
    EnquiryForm,
)
from enquiries.views._common import DRAFT_SESSION_KEY
from kernel.access import customer_required
from tenancy.selectors import access_customer_household


@customer_required
@require_GET
def enquiry_list(request):
    customer = access_customer_household(request.user)
    return render(
        request,
        "enquiries/enquiry_list.html",
        {
            "enquiries": selectors.enquiries_for_household(customer)[:100],
            "callbacks": selectors.callbacks_for_household(customer)[:50],
            "chats": selectors.chats_for_household(customer)[:50],
        },
    )


@customer_required
@require_http_methods(["GET", "POST"])
def enquiry_new(request):
    customer = access_customer_household(request.user)
    if request.method == "POST":
        form = EnquiryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            enquiry, file_error = services.enquiry_submit(
                customer=customer,
                topic=data["topic"],
                subject=data["subject"],
                details=data["details"],
                idempotency_key=data["idempotency_key"],
                uploaded_file=data["file"],
            )
            request.session.pop(DRAFT_SESSION_KEY, None)
            if file_error:
                messages.warning(
                    request,
                    f"We have your enquiry {enquiry.reference}, but we could "
                    f"not add your file: {file_error} You can add it again "
                    "below.",
                )
            else:
                messages.success(request, f"Your enquiry {enquiry.reference} has been sent.")
            return redirect("enquiries:enquiry_detail", reference=enquiry.reference)
    else:
        draft = request.session.get(DRAFT_SESSION_KEY) or {}
        form = EnquiryForm(initial={"topic": "general", **draft})
    return render(request, "enquiries/enquiry_new.html", {"form": form})


def _enquiry_page(request, enquiry, *, file_form=None, status=200):
    context = {
        "enquiry": enquiry,
        "timeline": customer_timeline(enquiry),
        "attachments": attachments_for_case(enquiry, customer_view=True),
        "next_steps": list(open_deadlines_for_case(enquiry)) if enquiry.is_open else [],
        "file_form": file_form or AttachmentForm(),
        "form": file_form,
    }
    return render(request, "enquiries/enquiry_detail.html", context, status=status)


@customer_required
@require_GET
def enquiry_detail(request, reference: str):
    enquiry = selectors.access_enquiry_for_customer(request.user, reference)
    return _enquiry_page(request, enquiry)


@customer_required
@require_POST
def enquiry_add_file(request, reference: str):
    enquiry = selectors.access_enquiry_for_customer(request.user, reference)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.enquiry_add_file(
                enquiry=enquiry, uploaded_file=form.cleaned_data["file"], uploaded_by=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, "Your file has been added.")
            return redirect("enquiries:enquiry_detail", reference=enquiry.reference)
    return _enquiry_page(request, enquiry, file_form=form)
