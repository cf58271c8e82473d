"""Web chat pages for the customer and for the staff who answer, with their JSON fallbacks."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.services import InvalidTransition
from enquiries import selectors, services
from enquiries.forms import ChatConvertForm, ChatMessageForm, ChatStartForm
from enquiries.hours import chat_service_hours
from enquiries.views._common import DRAFT_SESSION_KEY
from kernel.access import customer_required, staff_required
from kernel.roles import Role
from tenancy.selectors import access_customer_household


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _after_id(request) -> int:
    try:
        return max(0, int(request.GET.get("after", "0")))
    except ValueError:
        return 0


@customer_required(current_tenancy=True)
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
                    idempotency_key=form.cleaned_data["idempotency_key"],
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
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
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
