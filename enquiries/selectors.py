"""Reads for Keeping in Touch, always scoped to what the reader may see, and the manager's
measures."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from casework.access import access_case_for_customer, staff_can_see
from casework.models import ReceivedBy, Team
from enquiries.models import (
    CallBack,
    CallStatistic,
    ChatMessage,
    ChatSender,
    ChatSession,
    ChatStatus,
    Enquiry,
    HomeVisit,
)
from kernel import personal_data
from kernel.figures import percent
from kernel.formatting import LONDON, london_short_datetime, london_time
from kernel.roles import Role, user_roles
from sla.models import RUNNING, UNFINISHED, Deadline
from tenancy.models import Customer

CUSTOMER_SERVICES_TEAM = "Customer services"
# "Aim to answer 85% of all telephone calls" (Keeping in Touch).
ANSWER_RATE_TARGET = 85.0
# "Aim to acknowledge your chat within 2 minutes."
CHAT_ACKNOWLEDGE_SECONDS = 120
WRITTEN_CHANNELS = frozenset({ReceivedBy.PORTAL, ReceivedBy.EMAIL, ReceivedBy.LETTER})


def customer_services_team() -> Team:
    """Every new contact starts here. Created by this app's data migration."""
    team, _ = Team.objects.get_or_create(
        name=CUSTOMER_SERVICES_TEAM, defaults={"role": Role.CUSTOMER_SERVICES}
    )
    return team


# ---------------------------------------------------------------------------------------------
# Customers: their own household only, 404 for anything else
# ---------------------------------------------------------------------------------------------


def _access(model, user, reference: str):
    case = access_case_for_customer(user, reference)
    if not isinstance(case, model):
        raise Http404
    return case


def access_enquiry_for_customer(user, reference: str) -> Enquiry:
    return _access(Enquiry, user, reference)


def access_chat_for_customer(user, reference: str) -> ChatSession:
    return _access(ChatSession, user, reference)


def access_callback_for_customer(user, reference: str) -> CallBack:
    return _access(CallBack, user, reference)


def enquiries_for_household(customer: Customer) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(tenancy_id=customer.household_id).order_by("-opened_at", "-id")


def chats_for_household(customer: Customer) -> QuerySet[ChatSession]:
    return (
        ChatSession.objects.filter(tenancy_id=customer.household_id)
        .select_related("assignee")
        .order_by("-opened_at", "-id")
    )


def callbacks_for_household(customer: Customer) -> QuerySet[CallBack]:
    return CallBack.objects.filter(tenancy_id=customer.household_id).order_by("-opened_at", "-id")


def home_visits_for_household(customer: Customer) -> QuerySet[HomeVisit]:
    return (
        HomeVisit.objects.filter(tenancy_id=customer.household_id)
        .select_related("officer")
        .order_by("-starts_at")
    )


def open_chat_for_customer(customer: Customer) -> ChatSession | None:
    """A chat this person already has open: a second "start" goes back to it."""
    return (
        ChatSession.objects.filter(customer=customer, closed_at__isnull=True)
        .order_by("-opened_at")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Chat messages, as both sides show them
# ---------------------------------------------------------------------------------------------


def adviser_name(user) -> str:
    """Customers see the adviser's first name only: "Let you know the name of the person you
    are chatting with", and no more about a member of staff than that."""
    return (user.first_name if user is not None else "") or "Your adviser"


def chat_message_payload(message: ChatMessage) -> dict:
    """One message as JSON for the browser. The body is raw text: the page sets it as text,
    never as markup, so nothing in it can run."""
    if message.sender == ChatSender.ADVISER:
        name = adviser_name(message.author)
    elif message.sender == ChatSender.CUSTOMER:
        name = message.chat.customer.first_name
    else:
        name = ""
    return {
        "id": message.pk,
        "sender": message.sender,
        "name": name,
        "body": message.body,
        "sent_at": message.sent_at.isoformat(),
        "time": london_time(message.sent_at),
        "client_token": str(message.client_token) if message.client_token else None,
    }


def chat_messages(chat: ChatSession, *, after_id: int = 0, limit: int = 500) -> list[ChatMessage]:
    messages = list(
        ChatMessage.objects.filter(chat=chat, pk__gt=after_id)
        .select_related("author")
        .order_by("pk")[:limit]
    )
    for message in messages:
        message.chat = chat  # one chat for them all: no query per message for the customer name
    return messages


def chat_state_payload(chat: ChatSession) -> dict:
    return {
        "reference": chat.reference,
        "status": chat.status,
        "status_label": ChatStatus(chat.status).label,
        "adviser": adviser_name(chat.assignee) if chat.assignee_id else None,
        "ended": chat.closed_at is not None,
    }


def chat_transcript_text(chat: ChatSession) -> str:
    """The whole chat as plain text, for an enquiry, repair or complaint made from it."""
    lines = []
    for message in chat_messages(chat, limit=10_000):
        when = london_short_datetime(message.sent_at)
        payload = chat_message_payload(message)
        who = payload["name"] or "Note"
        lines.append(f"[{when}] {who}: {message.body}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def staff_may_work_enquiry(user, enquiry: Enquiry) -> bool:
    """Customer services and managers work every enquiry; a specialist team works those
    referred to it. The case read rule (``casework.access.staff_can_see``) is that rule, so
    the page, the admin and the enquiry's files agree."""
    return staff_can_see(user, enquiry)


def access_enquiry_for_staff(user, reference: str) -> Enquiry:
    enquiry = (
        Enquiry.objects.select_related(
            "customer", "tenancy__property", "team", "assignee", "logged_by"
        )
        .filter(reference=reference.strip().upper())
        .first()
    )
    if enquiry is None or not staff_may_work_enquiry(user, enquiry):
        raise Http404
    return enquiry


def access_chat_for_staff(user, reference: str) -> ChatSession:
    chat = (
        ChatSession.objects.select_related("customer", "tenancy__property", "assignee")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if chat is None or not staff_can_see(user, chat):
        raise Http404
    return chat


def access_callback_for_staff(user, reference: str) -> CallBack:
    callback = (
        CallBack.objects.select_related("customer", "tenancy__property", "logged_by")
        .filter(reference=reference.strip().upper())
        .first()
    )
    if callback is None or not staff_can_see(user, callback):
        raise Http404
    return callback


def access_visit_for_staff(user, pk: int) -> HomeVisit:
    """The officer on the visit, customer services and managers."""
    visit = (
        HomeVisit.objects.select_related("customer", "property", "officer", "enquiry")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404
    roles = user_roles(user)
    if not (
        visit.officer_id == user.pk
        or user.is_superuser
        or roles & {Role.CUSTOMER_SERVICES, Role.MANAGER}
    ):
        raise Http404
    return visit


def access_customer_for_staff(customer_id: int) -> Customer:
    customer = Customer.objects.select_related("tenancy__property").filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return customer


def chat_queue() -> list[ChatSession]:
    """Open chats, oldest first: waiting ones are the ones to pick up."""
    return list(
        ChatSession.objects.filter(closed_at__isnull=True)
        .select_related("customer", "assignee")
        .order_by("opened_at", "id")[:200]
    )


def chat_queue_payload(chats: list[ChatSession]) -> list[dict]:
    now = timezone.now()
    return [
        {
            "reference": chat.reference,
            "customer": chat.customer.full_name,
            "status": chat.status,
            "status_label": ChatStatus(chat.status).label,
            "adviser": chat.assignee.get_full_name() if chat.assignee is not None else "",
            "waiting_seconds": int((now - chat.opened_at).total_seconds())
            if chat.status == ChatStatus.WAITING
            else None,
        }
        for chat in chats
    ]


def callback_queue() -> QuerySet[CallBack]:
    return (
        CallBack.objects.filter(closed_at__isnull=True)
        .select_related("customer")
        .order_by("next_due_at", "opened_at")[:200]
    )


def visits_for_staff(user, *, day: dt.date | None = None, everyone: bool = False):
    """Visits from ``day`` (London date, default today) for a fortnight; one officer's unless
    ``everyone`` (customer services and managers)."""
    day = day or timezone.localdate()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    visits = HomeVisit.objects.filter(
        starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=14)
    )
    if not everyone:
        visits = visits.filter(officer=user)
    return visits.select_related("customer", "property", "officer").order_by("starts_at")


def recent_call_statistics(limit: int = 14) -> list[CallStatistic]:
    return list(CallStatistic.objects.order_by("-day")[:limit])


# ---------------------------------------------------------------------------------------------
# The manager's measures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockMeasure:
    code: str
    title: str
    decided: int  # met, missed, or overdue and still open
    on_time: int
    still_running: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.on_time, self.decided)


@dataclass(frozen=True)
class KeepingInTouchMeasures:
    start: dt.date
    end: dt.date
    clocks: dict[str, ClockMeasure]
    enquiries: int
    resolved_first_contact: int
    by_channel: list[tuple[str, int]]
    by_team: list[tuple[str, int]]
    chats: int
    chat_median_seconds: float | None
    chat_within_target: ClockMeasure
    calls_offered: int
    calls_answered: int
    calls_abandoned: int
    callbacks_offered: int

    @property
    def first_contact_percent(self) -> Decimal | None:
        return percent(self.resolved_first_contact, self.enquiries)

    @property
    def answer_rate(self) -> Decimal | None:
        return percent(self.calls_answered, self.calls_offered)

    @property
    def answer_rate_met(self) -> bool | None:
        # Against the unrounded rate: 84.96% rounds to 85.0% but does not keep the promise.
        if not self.calls_offered:
            return None
        return self.calls_answered * 100 >= ANSWER_RATE_TARGET * self.calls_offered


ENQUIRY_CLOCKS = {
    "enquiry.acknowledge": "Written contacts acknowledged within 3 working days",
    "enquiry.respond": "Written contacts answered in full within 10 working days",
    "enquiry.contact_back": "Contacted back within 3 working days when not resolved at first contact",
    "webchat.acknowledge": "Chats acknowledged within 2 minutes",
}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """London days ``start`` to ``end`` inclusive, as aware instants."""
    return (
        dt.datetime.combine(start, dt.time(0), tzinfo=LONDON),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON),
    )


def _clock_measures(
    since: dt.datetime, until: dt.datetime, now: dt.datetime
) -> dict[str, ClockMeasure]:
    """One query: each clock started in the period, on the enquiry, call back and chat models.

    A clock stopped without being met (a chat the customer left before it was due) is paused and
    counts neither way. "Decided" counts met, missed and overdue-but-open clocks, so a clock
    nobody has marked yet still counts against us once it is late.
    """
    types = ContentType.objects.get_for_models(Enquiry, CallBack, ChatSession).values()
    decided = ~UNFINISHED | (RUNNING & Q(due_at__lte=now))
    rows = (
        Deadline.objects.filter(
            commitment__code__in=list(ENQUIRY_CLOCKS),
            content_type__in=list(types),
            started_at__gte=since,
            started_at__lt=until,
        )
        .exclude(UNFINISHED & Q(paused_at__isnull=False))
        .values("commitment__code")
        .annotate(
            decided=Count("pk", filter=decided),
            on_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
            still_running=Count("pk", filter=RUNNING & Q(due_at__gt=now)),
        )
    )
    found: dict[str, dict] = {row["commitment__code"]: dict(row) for row in rows}
    return {
        code: ClockMeasure(
            code=code,
            title=title,
            decided=found.get(code, {}).get("decided", 0),
            on_time=found.get(code, {}).get("on_time", 0),
            still_running=found.get(code, {}).get("still_running", 0),
        )
        for code, title in ENQUIRY_CLOCKS.items()
    }


def _channel_label(received_by: str, at_home: bool) -> str:
    if received_by == ReceivedBy.VISIT:
        return "Home visit" if at_home else "Visit to the office"
    return str(ReceivedBy(received_by).label) if received_by in ReceivedBy.values else received_by


def keeping_in_touch_measures(*, start: dt.date, end: dt.date) -> KeepingInTouchMeasures:
    """Every figure on the manager's Keeping in Touch page, for London days start..end, in
    six queries whatever the volume."""
    since, until = _bounds(start, end)
    now = timezone.now()
    clocks = _clock_measures(since, until, now)
    enquiries = Enquiry.objects.filter(opened_at__gte=since, opened_at__lt=until)
    by_channel_rows = (
        enquiries.values("received_by", "at_home_visit")
        .annotate(n=Count("pk"), resolved=Count("pk", filter=Q(resolved_at_first_contact=True)))
        .order_by("received_by", "at_home_visit")
    )
    by_channel: list[tuple[str, int]] = []
    total = resolved = 0
    for row in by_channel_rows:
        by_channel.append((_channel_label(row["received_by"], row["at_home_visit"]), row["n"]))
        total += row["n"]
        resolved += row["resolved"]
    by_team = [
        (row["team__name"] or "Not assigned", row["n"])
        for row in enquiries.values("team__name").annotate(n=Count("pk")).order_by("team__name")
    ]
    chats = ChatSession.objects.filter(opened_at__gte=since, opened_at__lt=until)
    waits = [
        wait.total_seconds()
        for wait in chats.filter(picked_up_at__isnull=False)
        .annotate(
            wait=ExpressionWrapper(F("picked_up_at") - F("opened_at"), output_field=DurationField())
        )
        .values_list("wait", flat=True)
    ]
    calls = CallStatistic.objects.filter(day__gte=start, day__lte=end).aggregate(
        offered=Sum("offered"),
        answered=Sum("answered"),
        abandoned=Sum("abandoned"),
        callbacks=Sum("callbacks_offered"),
    )
    return KeepingInTouchMeasures(
        start=start,
        end=end,
        clocks=clocks,
        enquiries=total,
        resolved_first_contact=resolved,
        by_channel=by_channel,
        by_team=by_team,
        chats=len(waits) + chats.filter(picked_up_at__isnull=True).count(),
        chat_median_seconds=statistics.median(waits) if waits else None,
        chat_within_target=clocks["webchat.acknowledge"],
        calls_offered=calls["offered"] or 0,
        calls_answered=calls["answered"] or 0,
        calls_abandoned=calls["abandoned"] or 0,
        callbacks_offered=calls["callbacks"] or 0,
    )


# --- what we hold about a person (kernel/personal_data.py) ------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "enquiries.Enquiry": "every question or contact the person made",
        "enquiries.ChatSession": "every web chat they had",
        "enquiries.ChatMessage": "each chat's transcript, line by line",
        "enquiries.CallBack": "every call back they asked for",
        "enquiries.HomeVisit": "every home visit booked with them",
    },
    holds_none={
        "enquiries.CallStatistic": "daily telephone figures, no caller",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """Every enquiry, chat (with its transcript), call back and home visit of this person."""
    exclude = personal_data.CASE_LINKS_NOT_SHOWN
    records = personal_data.records_of(
        Enquiry.objects.filter(customer=customer)
        .select_related("assignee", "logged_by", "team")
        .order_by("opened_at", "pk"),
        title=lambda e: f"{e.reference}: {e.subject}",
        exclude=exclude,
        staff=lambda e: (e.assignee, e.logged_by),
    )
    chats = list(
        ChatSession.objects.filter(customer=customer)
        .select_related("assignee", "team")
        .order_by("opened_at", "pk")
    )
    reference = {c.pk: c.reference for c in chats}
    records += personal_data.records_of(
        chats,
        title=lambda c: f"{c.reference}: web chat",
        exclude=exclude,
        staff=lambda c: (c.assignee,),
    )
    records += personal_data.records_of(
        ChatMessage.objects.filter(chat_id__in=reference)
        .select_related("author")
        .order_by("sent_at", "pk"),
        title=lambda m: f"{reference[m.chat_id]}: {m.get_sender_display()}",
        exclude=("client_token",),
        staff=lambda m: (m.author,) if m.sender == ChatSender.ADVISER else (),
    )
    records += personal_data.records_of(
        CallBack.objects.filter(customer=customer)
        .select_related("assignee", "logged_by", "team")
        .order_by("opened_at", "pk"),
        title=lambda c: f"{c.reference}: call back",
        exclude=exclude,
        staff=lambda c: (c.assignee, c.logged_by),
    )
    records += personal_data.records_of(
        HomeVisit.objects.filter(customer=customer)
        .select_related("officer", "booked_by", "enquiry")
        .order_by("starts_at", "pk"),
        title=lambda v: f"{v}: {v.purpose}",
        exclude=exclude,
        staff=lambda v: (v.officer, v.booked_by),
    )
    return personal_data.Part(
        area="Questions, chats, call backs and visits", records=tuple(records)
    )
