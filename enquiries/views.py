"""Keeping in Touch pages: the customer's contact options, enquiries, call backs, web chat and
home visits, and the staff pages that log and work them. Every view declares who may see it and
reads through an ``access_*`` selector, so another household's record is a 404.

The chat works without JavaScript (a form that posts and a page that is reloaded); with it,
``static/src/enquiries/chat.js`` sends and receives over a WebSocket (``consumers.py``) and falls
back to the JSON views here, polled every 2 seconds.
"""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
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
    CallBackOutcomeForm,
    CallBackRequestForm,
    CallStatisticsImportForm,
    ChatConvertForm,
    ChatMessageForm,
    ChatStartForm,
    ComplaintOfferForm,
    ContactBackForm,
    CustomerSearchForm,
    DashboardPeriodForm,
    EnquiryForm,
    ExtendForm,
    LogContactForm,
    ReferForm,
    StaffCallBackForm,
    VisitBookForm,
    VisitCancelForm,
    VisitCompleteForm,
    VisitLateForm,
    VisitNoAccessForm,
)
from enquiries.hours import chat_service_hours
from enquiries.models import VisitStatus
from kernel.access import customer_required, public, staff_required
from kernel.formatting import london_date
from kernel.roles import Role, user_roles
from tenancy.selectors import access_customer_household, customer_search

# Every team can be referred an enquiry and answer it; managers see everything.
ENQUIRY_STAFF_ROLES = (
    Role.CUSTOMER_SERVICES,
    Role.REPAIRS,
    Role.COMPLAINTS,
    Role.ASB,
    Role.LETTINGS,
    Role.INCOME,
    Role.COMPLIANCE,
    Role.MANAGER,
)
# Officers of every team visit homes.
VISIT_STAFF_ROLES = ENQUIRY_STAFF_ROLES
DRAFT_SESSION_KEY = "enquiries:draft"


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _after_id(request) -> int:
    try:
        return max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return 0


# ---------------------------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------------------------


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


@customer_required
@require_http_methods(["GET", "POST"])
def callback_new(request):
    customer = access_customer_household(request.user)
    if request.method == "POST":
        form = CallBackRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            callback = services.callback_request(
                customer=customer,
                phone=data["phone"],
                reason=data["reason"],
                preferred_date=data["preferred_date"],
                preferred_time=data["preferred_time"],
                submission_key=data["submission_key"],
            )
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


@customer_required
@require_http_methods(["GET", "POST"])
def chat_start(request):
    customer = access_customer_household(request.user)
    hours = chat_service_hours()
    now = timezone.now()
    if request.method == "POST":
        form = ChatStartForm(request.POST)
        if form.is_valid():
            try:
                chat = services.chat_start(
                    customer=customer,
                    message=form.cleaned_data["message"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except services.ChatClosed:
                # Closed while they typed: keep their words for an enquiry instead.
                request.session[DRAFT_SESSION_KEY] = {
                    "subject": "Question from web chat",
                    "details": form.cleaned_data["message"],
                }
                return render(
                    request,
                    "enquiries/chat_closed.html",
                    {
                        "chat_hours": hours.describe(),
                        "opens_at": hours.next_opening(now),
                        "kept_message": True,
                    },
                )
            return redirect("enquiries:chat_detail", reference=chat.reference)
    else:
        open_chat = selectors.open_chat_for_customer(customer)
        if open_chat is not None:
            return redirect("enquiries:chat_detail", reference=open_chat.reference)
        if not hours.is_open(now):
            return render(
                request,
                "enquiries/chat_closed.html",
                {
                    "chat_hours": hours.describe(),
                    "opens_at": hours.next_opening(now),
                },
            )
        form = ChatStartForm()
    return render(
        request, "enquiries/chat_start.html", {"form": form, "chat_hours": hours.describe()}
    )


def _chat_page(request, chat, *, staff: bool, form=None, convert_form=None):
    can_write = chat.closed_at is None and (not staff or chat.assignee_id == request.user.pk)
    prefix = "enquiries:staff_chat" if staff else "enquiries:chat"
    payloads = [selectors.chat_message_payload(m) for m in selectors.chat_messages(chat)]
    context = {
        "chat": chat,
        "chat_messages": payloads,
        "last_id": payloads[-1]["id"] if payloads else 0,
        "state": selectors.chat_state_payload(chat),
        "form": form if form is not None else ChatMessageForm(),
        "can_write": can_write,
        "staff": staff,
        "send_url": reverse(f"{prefix}_send", kwargs={"reference": chat.reference}),
        "messages_url": reverse(f"{prefix}_messages", kwargs={"reference": chat.reference}),
        "end_url": reverse(f"{prefix}_end", kwargs={"reference": chat.reference}),
        "socket_path": f"/ws/chat/{chat.reference}/",
        "page_url": reverse(
            "enquiries:staff_chat" if staff else "enquiries:chat_detail",
            kwargs={"reference": chat.reference},
        ),
    }
    if staff:
        context["convert_form"] = convert_form or ChatConvertForm()
        context["form"] = convert_form or context["form"]
    template = "enquiries/staff/chat.html" if staff else "enquiries/chat_detail.html"
    return render(request, template, context)


@customer_required
@require_GET
def chat_detail(request, reference: str):
    chat = selectors.access_chat_for_customer(request.user, reference)
    return _chat_page(request, chat, staff=False)


def _chat_messages_json(chat, after_id: int) -> JsonResponse:
    return JsonResponse(
        {
            "messages": [
                selectors.chat_message_payload(m)
                for m in selectors.chat_messages(chat, after_id=after_id)
            ],
            "state": selectors.chat_state_payload(chat),
        }
    )


@customer_required
@require_GET
def chat_messages(request, reference: str):
    chat = selectors.access_chat_for_customer(request.user, reference)
    return _chat_messages_json(chat, _after_id(request))


def _chat_send(request, chat, *, staff: bool):
    form = ChatMessageForm(request.POST)
    error = None
    if form.is_valid():
        try:
            message = services.chat_post_message(
                chat=chat,
                author=request.user,
                body=form.cleaned_data["body"],
                client_token=form.cleaned_data["client_token"],
            )
        except (ValidationError, PermissionError) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            form.add_error("body", error)
        else:
            if _wants_json(request):
                return JsonResponse({"message": selectors.chat_message_payload(message)})
            detail = "enquiries:staff_chat" if staff else "enquiries:chat_detail"
            return redirect(reverse(detail, kwargs={"reference": chat.reference}) + "#chat-form")
    if _wants_json(request):
        errors = [e for errs in form.errors.values() for e in errs]
        return JsonResponse({"errors": errors}, status=400)
    return _chat_page(request, chat, staff=staff, form=form)


@customer_required
@require_POST
def chat_send(request, reference: str):
    chat = selectors.access_chat_for_customer(request.user, reference)
    return _chat_send(request, chat, staff=False)


@customer_required
@require_POST
def chat_end(request, reference: str):
    chat = selectors.access_chat_for_customer(request.user, reference)
    try:
        services.chat_end(chat=chat, actor=request.user)
    except InvalidTransition:
        messages.info(request, "This chat had already ended.")
    return redirect("enquiries:chat_detail", reference=chat.reference)


@customer_required
@require_POST
def chat_leave_enquiry(request, reference: str):
    """Nobody has picked the chat up and the customer would rather not wait: the chat ends and
    what they wrote is put into an enquiry form for them to send."""
    chat = selectors.access_chat_for_customer(request.user, reference)
    words = [m.body for m in selectors.chat_messages(chat) if m.sender == "customer"]
    if chat.closed_at is None:
        # Ended by the adviser a moment ago: the words are still worth keeping.
        with contextlib.suppress(InvalidTransition):
            services.chat_end(chat=chat, actor=request.user)
    request.session[DRAFT_SESSION_KEY] = {
        "subject": "Question from web chat",
        "details": "\n\n".join(words),
    }
    return redirect("enquiries:enquiry_new")


@customer_required
@require_GET
def visit_list(request):
    customer = access_customer_household(request.user)
    visits = list(selectors.home_visits_for_household(customer)[:50])
    now = timezone.now()
    return render(
        request,
        "enquiries/visit_list.html",
        {
            "upcoming": [
                v
                for v in visits
                if v.ends_at >= now and v.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE)
            ][::-1],
            "past": [
                v
                for v in visits
                if not (
                    v.ends_at >= now and v.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE)
                )
            ],
        },
    )


# ---------------------------------------------------------------------------------------------
# Staff: logging contacts
# ---------------------------------------------------------------------------------------------


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


@staff_required(Role.CUSTOMER_SERVICES)
@require_http_methods(["GET", "POST"])
def staff_callback_new(request, customer_id: int):
    customer = selectors.access_customer_for_staff(customer_id)
    if request.method == "POST":
        form = StaffCallBackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            callback = services.callback_request(
                customer=customer,
                phone=data["phone"],
                reason=data["reason"],
                preferred_date=data["preferred_date"],
                preferred_time=data["preferred_time"],
                submission_key=data["submission_key"],
                actor=request.user,
            )
            messages.success(request, f"Call back {callback.reference} is in the queue.")
            return redirect("enquiries:staff_callback_queue")
    else:
        form = StaffCallBackForm(initial={"phone": customer.mobile or customer.phone})
    return render(
        request, "enquiries/staff/callback_new.html", {"form": form, "customer": customer}
    )


# ---------------------------------------------------------------------------------------------
# Staff: working an enquiry
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Staff: call backs
# ---------------------------------------------------------------------------------------------


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
                return redirect("enquiries:staff_enquiry", reference=follow_up.reference)
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


# ---------------------------------------------------------------------------------------------
# Staff: web chat
# ---------------------------------------------------------------------------------------------


@staff_required(Role.CUSTOMER_SERVICES)
@require_GET
def staff_chat_queue(request):
    chats = selectors.chat_queue()
    return render(
        request,
        "enquiries/staff/chat_queue.html",
        {
            "chats": selectors.chat_queue_payload(chats),
            "chat_open": chat_service_hours().is_open(timezone.now()),
        },
    )


@staff_required(Role.CUSTOMER_SERVICES)
@require_GET
def staff_chat_queue_json(request):
    return JsonResponse({"chats": selectors.chat_queue_payload(selectors.chat_queue())})


@staff_required(Role.CUSTOMER_SERVICES)
@require_GET
def staff_chat(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    return _chat_page(request, chat, staff=True)


@staff_required(Role.CUSTOMER_SERVICES)
@require_POST
def staff_chat_pick_up(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    try:
        services.chat_pick_up(chat=chat, adviser=request.user)
    except InvalidTransition:
        messages.error(request, "Another adviser has already picked up this chat.")
        return redirect("enquiries:staff_chat_queue")
    return redirect("enquiries:staff_chat", reference=chat.reference)


@staff_required(Role.CUSTOMER_SERVICES)
@require_GET
def staff_chat_messages(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    return _chat_messages_json(chat, _after_id(request))


@staff_required(Role.CUSTOMER_SERVICES)
@require_POST
def staff_chat_send(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    return _chat_send(request, chat, staff=True)


@staff_required(Role.CUSTOMER_SERVICES)
@require_POST
def staff_chat_end(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    try:
        services.chat_end(chat=chat, actor=request.user)
    except InvalidTransition:
        messages.info(request, "This chat had already ended.")
    return redirect("enquiries:staff_chat", reference=chat.reference)


@staff_required(Role.CUSTOMER_SERVICES)
@require_POST
def staff_chat_convert(request, reference: str):
    chat = selectors.access_chat_for_staff(request.user, reference)
    form = ChatConvertForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.chat_convert(
                chat=chat,
                into=data["into"],
                summary=data["summary"],
                actor=request.user,
                repair_item=data["repair_item"],
                repair_location=data["repair_location"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{case.reference} created from the chat.")
            return redirect("enquiries:staff_chat", reference=chat.reference)
    return _chat_page(request, chat, staff=True, convert_form=form)


# ---------------------------------------------------------------------------------------------
# Staff: home visits
# ---------------------------------------------------------------------------------------------


def _officers():
    return User.objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name")


@staff_required(*VISIT_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_visit_book(request, customer_id: int):
    customer = selectors.access_customer_for_staff(customer_id)
    enquiry = None
    if request.GET.get("enquiry"):
        enquiry = selectors.access_enquiry_for_staff(request.user, request.GET["enquiry"])
    if request.method == "POST":
        form = VisitBookForm(request.POST, officers=_officers())
        if form.is_valid():
            data = form.cleaned_data
            visit = services.visit_book(
                customer=customer,
                officer=data["officer"],
                purpose=data["purpose"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                booked_by=request.user,
                enquiry=enquiry,
                submission_key=data["submission_key"],
            )
            messages.success(request, "Visit booked. The customer has been told.")
            return redirect("enquiries:staff_visit", pk=visit.pk)
    else:
        form = VisitBookForm(officers=_officers(), initial={"officer": request.user.pk})
    return render(
        request,
        "enquiries/staff/visit_book.html",
        {"form": form, "customer": customer, "enquiry": enquiry},
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_GET
def staff_visit_list(request):
    roles = user_roles(request.user)
    everyone = request.user.is_superuser or bool(roles & {Role.CUSTOMER_SERVICES, Role.MANAGER})
    return render(
        request,
        "enquiries/staff/visit_list.html",
        {
            "visits": selectors.visits_for_staff(request.user, everyone=everyone),
            "everyone": everyone,
        },
    )


def _visit_page(request, visit, status=200, **forms):
    return render(
        request,
        "enquiries/staff/visit.html",
        {
            "visit": visit,
            "is_open": visit.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE),
            "late_form": forms.get("late_form") or VisitLateForm(),
            "no_access_form": forms.get("no_access_form") or VisitNoAccessForm(),
            "complete_form": forms.get("complete_form") or VisitCompleteForm(),
            "cancel_form": forms.get("cancel_form") or VisitCancelForm(),
            "form": next(iter(forms.values()), None),
        },
        status=status,
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_GET
def staff_visit(request, pk: int):
    return _visit_page(request, selectors.access_visit_for_staff(request.user, pk))


def _visit_action(request, pk: int, form_class, form_name: str, act, done: str):
    visit = selectors.access_visit_for_staff(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(visit, form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("enquiries:staff_visit", pk=visit.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("enquiries:staff_visit", pk=visit.pk)
    return _visit_page(request, visit, **{form_name: form})


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_late(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitLateForm,
        "late_form",
        lambda visit, data: services.visit_running_late(
            visit=visit, expected_at=data["expected_at"], actor=request.user
        ),
        "The customer has been told you are running late.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_no_access(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitNoAccessForm,
        "no_access_form",
        lambda visit, data: services.visit_no_access(
            visit=visit, actor=request.user, notes=data["notes"]
        ),
        "Recorded: no one in, card left. The customer has been sent a message.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_complete(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitCompleteForm,
        "complete_form",
        lambda visit, data: services.visit_complete(
            visit=visit,
            actor=request.user,
            identification_shown=data["identification_shown"] == "yes",
            notes=data["notes"],
        ),
        "Visit recorded.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_cancel(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitCancelForm,
        "cancel_form",
        lambda visit, data: services.visit_cancel(
            visit=visit, actor=request.user, reason=data["reason"]
        ),
        "Visit cancelled. The customer has been told.",
    )


# ---------------------------------------------------------------------------------------------
# Staff: telephone figures and the manager's page
# ---------------------------------------------------------------------------------------------


@staff_required(Role.CUSTOMER_SERVICES, Role.MANAGER)
@require_http_methods(["GET", "POST"])
def staff_call_import(request):
    if request.method == "POST":
        form = CallStatisticsImportForm(request.POST, request.FILES)
        if form.is_valid():
            count = services.call_statistics_import(rows=form.rows, actor=request.user)
            messages.success(
                request, f"Imported {count} day{'s' if count != 1 else ''} of call figures."
            )
            return redirect("enquiries:staff_call_import")
    else:
        form = CallStatisticsImportForm()
    return render(
        request,
        "enquiries/staff/call_import.html",
        {"form": form, "recent": selectors.recent_call_statistics()},
    )


@staff_required(Role.MANAGER)
@require_GET
def staff_dashboard(request):
    period_form = DashboardPeriodForm(request.GET or None)
    start, end = period_form.period()
    measures = selectors.keeping_in_touch_measures(start=start, end=end)
    return render(
        request,
        "enquiries/staff/dashboard.html",
        {
            "measures": measures,
            "period_form": period_form,
            "answer_rate_target": selectors.ANSWER_RATE_TARGET,
        },
    )
