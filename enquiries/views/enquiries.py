"""Enquiry pages: the customer's enquiries and the staff pages that work one to an answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.selectors import (
    attachments_for_case,
    customer_timeline,
    open_deadlines_for_case,
    timeline_for_case,
)
from casework.services import InvalidTransition
from enquiries import selectors, services
from enquiries.forms import (
    AcknowledgeForm,
    AnswerForm,
    AttachmentForm,
    ComplaintOfferForm,
    ContactBackForm,
    EnquiryForm,
    ExtendForm,
    ReferForm,
)
from enquiries.views._common import DRAFT_SESSION_KEY, ENQUIRY_STAFF_ROLES
from kernel.access import customer_required, staff_required
from kernel.formatting import london_date
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
                submission_key=data["submission_key"],
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


def _staff_enquiry_page(request, enquiry, status=200, **forms):
    written = enquiry.received_by in selectors.WRITTEN_CHANNELS
    open_codes = {d.commitment.code for d in open_deadlines_for_case(enquiry)}
    context = {
        "enquiry": enquiry,
        "deadlines": list(enquiry.deadlines.select_related("commitment").order_by("due_at")),
        "timeline": timeline_for_case(enquiry, customer_view=False),
        "attachments": attachments_for_case(enquiry, customer_view=False),
        "visits": enquiry.home_visits.select_related("officer"),
        "can_acknowledge": enquiry.is_open and written and enquiry.acknowledged_at is None,
        "can_contact_back": enquiry.is_open and services.CONTACT_BACK in open_codes,
        "can_extend": enquiry.is_open and services.RESPOND in open_codes,
        "acknowledge_form": forms.get("acknowledge_form") or AcknowledgeForm(),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "contact_back_form": forms.get("contact_back_form") or ContactBackForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "complaint_form": forms.get("complaint_form") or ComplaintOfferForm(),
        "form": next(iter(forms.values()), None),
    }
    return render(request, "enquiries/staff/enquiry.html", context, status=status)


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_GET
def staff_enquiry(request, reference: str):
    enquiry = selectors.access_enquiry_for_staff(request.user, reference)
    return _staff_enquiry_page(request, enquiry)


def _enquiry_action(request, reference: str, form_class, form_name: str, act, done: str):
    enquiry = selectors.access_enquiry_for_staff(request.user, reference)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(enquiry, form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("enquiries:staff_enquiry", reference=enquiry.reference)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("enquiries:staff_enquiry", reference=enquiry.reference)
    return _staff_enquiry_page(request, enquiry, **{form_name: form})


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_acknowledge(request, reference: str):
    return _enquiry_action(
        request,
        reference,
        AcknowledgeForm,
        "acknowledge_form",
        lambda enquiry, data: services.enquiry_acknowledge(
            enquiry=enquiry, actor=request.user, note=data["note"]
        ),
        "Acknowledged. The customer has been told when to expect the answer.",
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_refer(request, reference: str):
    return _enquiry_action(
        request,
        reference,
        ReferForm,
        "refer_form",
        lambda enquiry, data: services.enquiry_refer(
            enquiry=enquiry, team=data["team"], actor=request.user, note=data["note"]
        ),
        "Referred. The customer has been told which team has it.",
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_extend(request, reference: str):
    return _enquiry_action(
        request,
        reference,
        ExtendForm,
        "extend_form",
        lambda enquiry, data: services.enquiry_extend(
            enquiry=enquiry,
            new_due_date=data["new_due_date"],
            reason=data["reason"],
            actor=request.user,
        ),
        "The new date is set and the customer has been told why.",
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_contact_back(request, reference: str):
    return _enquiry_action(
        request,
        reference,
        ContactBackForm,
        "contact_back_form",
        lambda enquiry, data: services.enquiry_record_contact_back(
            enquiry=enquiry, actor=request.user, note=data["note"]
        ),
        "Contact recorded.",
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_answer(request, reference: str):
    return _enquiry_action(
        request,
        reference,
        AnswerForm,
        "answer_form",
        lambda enquiry, data: services.enquiry_answer(
            enquiry=enquiry, answer=data["answer"], actor=request.user
        ),
        "Answer sent. The enquiry is closed.",
    )


@staff_required(*ENQUIRY_STAFF_ROLES)
@require_POST
def staff_enquiry_complaint(request, reference: str):
    enquiry = selectors.access_enquiry_for_staff(request.user, reference)
    form = ComplaintOfferForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.enquiry_record_complaint_offer(
                enquiry=enquiry,
                actor=request.user,
                choice=data["choice"],
                summary=data["summary"],
                keep_enquiry_open=data["keep_enquiry_open"],
            )
        except InvalidTransition as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error(None, exc)
            return _staff_enquiry_page(request, enquiry, complaint_form=form)
        else:
            if complaint is None:
                messages.success(request, "Recorded: the customer does not want to complain.")
            else:
                messages.success(
                    request,
                    f"Complaint {complaint.reference} opened, received "
                    f"{london_date(complaint.opened_at)}.",
                )
        return redirect("enquiries:staff_enquiry", reference=enquiry.reference)
    return _staff_enquiry_page(request, enquiry, complaint_form=form)
