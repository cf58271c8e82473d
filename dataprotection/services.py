"""Writes for requests about a person's own data: making one, the identity check that stops
its clock, gathering and releasing a subject access pack, redactions, the one-use download
link, answers to corrections, erasure requests and complaints.

Every status change goes through ``casework.services.case_transition`` (an event in the same
transaction) and every clock through ``sla.services`` in the transaction of the event that
starts, pauses or meets it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import uuid
from dataclasses import asdict

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.models import ReceivedBy, Team
from casework.services import InvalidTransition, case_add_note, case_open, case_transition
from dataprotection import packs, selectors
from dataprotection.models import (
    CLOCK_FOR_KIND,
    PACK_LINK_DAYS,
    DataRequest,
    PackLink,
    Redaction,
    RedactionKind,
    RequestKind,
    RequestStatus,
)
from kernel.formatting import london_date
from kernel.roles import Role
from notifications.services import notify_customer, notify_staff
from sla import calendar
from sla.services import (
    deadline_extend,
    deadline_meet,
    deadline_pause,
    deadline_resume,
    deadline_start,
)
from tenancy.models import Customer

logger = logging.getLogger(__name__)

S = RequestStatus

ALLOWED: dict[str, set[str]] = {
    S.RECEIVED: {
        S.AWAITING_IDENTITY,
        S.IDENTITY_CONFIRMED,
        S.GATHERING,
        S.ACKNOWLEDGED,
        S.ANSWERED,
    },
    S.AWAITING_IDENTITY: {S.IDENTITY_CONFIRMED},
    S.IDENTITY_CONFIRMED: {S.GATHERING, S.ANSWERED, S.ACKNOWLEDGED},
    # Gathering again after a failure, or after the officer asks for a fresh copy.
    S.GATHERING: {S.IN_REVIEW, S.GATHERING},
    S.IN_REVIEW: {S.GATHERING, S.RELEASED},
    S.ACKNOWLEDGED: {S.ANSWERED},
}

DATA_PROTECTION_TEAM = "Data protection"

# Said in every answer to a data-protection complaint: the person's right to go to the
# regulator (DPA 2018 s165, and the complaint rules the Data (Use and Access) Act 2025 adds).
ICO_RIGHT = (
    "If you are not happy with our answer, you have the right to complain to the Information "
    "Commissioner's Office (ICO): ico.org.uk/make-a-complaint, or 0303 123 1113."
)


class RequestRefused(Exception):
    """A step that cannot be taken now, with the reason to show."""


def data_protection_team() -> Team:
    team, _ = Team.objects.get_or_create(
        name=DATA_PROTECTION_TEAM, defaults={"role": Role.DATA_PROTECTION}
    )
    return team


def _officers() -> list[User]:
    group = Group.objects.filter(name=Role.DATA_PROTECTION.label).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True, is_staff=True).exclude(email=""))


def _move(request: DataRequest, to: str, *, actor, note: str = "", closes: bool = False) -> None:
    case_transition(
        case=request, to_status=to, allowed=ALLOWED, actor=actor, note=note, closes=closes
    )


def _tell(request: DataRequest, *, subject: str, body: str, key: str) -> None:
    notify_customer(
        customer=request.customer,
        subject=subject,
        body=body,
        key=f"dp:{request.pk}:{key}",
        about=request,
    )


def _clock(request: DataRequest):
    """The request's clock that is neither met nor missed (running or stopped), or None."""
    code = CLOCK_FOR_KIND[RequestKind(request.kind)]
    return (
        request.deadlines.open().filter(commitment__code=code).select_related("commitment").first()
    )


# --- making a request ------------------------------------------------------------------------


@transaction.atomic
def request_make(
    *,
    customer: Customer,
    kind: str,
    details: str,
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> DataRequest:
    """Record a request from ``customer`` (in the portal, or logged by staff from any channel),
    start its clock and tell the person and the data-protection team. Idempotent on
    ``idempotency_key``."""
    if idempotency_key is not None:
        existing = DataRequest.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    kind = RequestKind(kind)
    request = case_open(
        model=DataRequest,
        customer=customer,
        received_by=received_by,
        status=S.RECEIVED,
        actor=actor,
        team=data_protection_team(),
        kind=kind,
        details=details.strip(),
        idempotency_key=idempotency_key,
    )
    deadline = deadline_start(case=request, code=CLOCK_FOR_KIND[kind], started_at=request.opened_at)
    _tell(
        request,
        subject=f"We have your request: {request.reference}",
        body=(
            f"We have received your request ({kind.label.lower()}), reference "
            f"{request.reference}. We will answer by {london_date(deadline.due_at)}. You can "
            "follow it in your account, under Your data."
        ),
        key="received",
    )
    for officer in _officers():
        notify_staff(
            user=officer,
            subject=f"New data protection request {request.reference}",
            body=f"{kind.label}. Due {london_date(deadline.due_at)}.",
            key=f"dp:{request.pk}:new:{officer.pk}",
            about=request,
        )
    return request


# --- identity: the clock stops while we wait (UK GDPR Art 12A) -------------------------------


@transaction.atomic
def identity_ask(*, request: DataRequest, actor: User, note: str) -> None:
    """Ask the person to prove who they are; the clock stops until they do."""
    deadline = _clock(request)
    if deadline is None or deadline.paused_at is not None:
        raise RequestRefused("The clock is not running, so it cannot be stopped for identity.")
    _move(request, S.AWAITING_IDENTITY, actor=actor, note=note)
    deadline_pause(deadline=deadline)
    DataRequest.objects.filter(pk=request.pk).update(identity_requested_at=timezone.now())
    _tell(
        request,
        subject=f"We need to check who you are: {request.reference}",
        body=(
            f"Before we can answer request {request.reference} we need to be sure it is you. "
            f"{note}\n\nThe time we have to answer stops until we hear from you."
        ),
        key=f"identity:{timezone.now().timestamp()}",
    )


@transaction.atomic
def identity_confirm(*, request: DataRequest, actor: User, how: str) -> None:
    """Record how the person's identity was confirmed; a stopped clock starts again."""
    was_waiting = request.status == S.AWAITING_IDENTITY
    _move(request, S.IDENTITY_CONFIRMED, actor=actor, note=how)
    if was_waiting:
        deadline = _clock(request)
        if deadline is not None and deadline.paused_at is not None:
            deadline_resume(deadline=deadline)
    DataRequest.objects.filter(pk=request.pk).update(identity_confirmed_at=timezone.now())
    request.identity_confirmed_at = timezone.now()


@transaction.atomic
def representative_record(
    *, request: DataRequest, actor: User, representative: Customer, authority: str
) -> None:
    """Record someone the person has authorised to receive their data, and the authority seen
    (a signed form, a lasting power of attorney)."""
    if not authority.strip():
        raise RequestRefused("Say what authority you have seen.")
    DataRequest.objects.filter(pk=request.pk).update(
        representative=representative, representative_authority=authority.strip()
    )
    request.representative = representative
    request.representative_authority = authority.strip()
    case_add_note(
        case=request,
        actor=actor,
        note=f"Authorised representative recorded: {representative.full_name}. {authority}",
        visible_to_customer=False,
    )


@transaction.atomic
def extend_complex(*, request: DataRequest, actor: User, reason: str) -> None:
    """Extend a subject access, correction or erasure clock by two further months (UK GDPR
    Art 12(3): complex or numerous requests), telling the person why within the first month."""
    deadline = _clock(request)
    if deadline is None or request.kind == RequestKind.COMPLAINT:
        raise RequestRefused("Only a running subject access, correction or erasure clock extends.")
    three_months = calendar.due_at("calendar_months", 3, deadline.started_at)
    new_due = three_months + dt.timedelta(seconds=deadline.paused_seconds)
    now = timezone.now()
    deadline_extend(
        deadline=deadline, new_due_at=new_due, reason=reason, by=actor, customer_told_at=now
    )
    case_add_note(case=request, actor=actor, note=f"Extended: {reason}", visible_to_customer=True)
    _tell(
        request,
        subject=f"We need more time: {request.reference}",
        body=(
            f"We need more time to answer request {request.reference}: {reason}\n\n"
            f"We will answer by {london_date(new_due)}."
        ),
        key="extended",
    )


# --- the subject access pack -----------------------------------------------------------------


@transaction.atomic
def gathering_start(*, request: DataRequest, actor: User) -> None:
    """Start gathering the pack in the background; the officer sees its progress."""
    if request.kind != RequestKind.SUBJECT_ACCESS:
        raise RequestRefused("Only a subject access request has a pack.")
    if request.status == S.RECEIVED or request.identity_confirmed_at is None:
        raise RequestRefused("Confirm the person's identity first.")
    _move(request, S.GATHERING, actor=actor, note="Gathering the data from every area.")
    DataRequest.objects.filter(pk=request.pk).update(
        gathering_started_at=timezone.now(),
        gathering_done=0,
        gathering_total=len(selectors.part_functions()),
        gathering_error="",
        gathered_at=None,
        release_started_at=None,
    )
    from dataprotection.tasks import gather_pack

    request_id = request.pk
    transaction.on_commit(lambda: gather_pack.delay(request_id))


def pack_gather(*, request_id: int) -> bool:
    """Gather every app's part for the person into the request's ``gathered`` JSON, counting
    progress part by part (each count its own short transaction, so the officer's page shows it
    while the work goes on). Returns False if the request is not being gathered (a second
    delivery of the task does nothing)."""
    request = DataRequest.objects.select_related("customer").filter(pk=request_id).first()
    if request is None or request.status != S.GATHERING:
        return False
    parts = []
    # The person's records in every home they have had, not only the one they asked from.
    records = selectors.records_of_the_same_person(request.customer)
    try:
        for index, (label, part_for) in enumerate(selectors.part_functions(), start=1):
            part = selectors.part_for_every_record(part_for, records)
            parts.append({"app": label, **asdict(part)})
            DataRequest.objects.filter(pk=request_id).update(gathering_done=index)
    except Exception as exc:
        logger.exception("gathering the pack of %s failed", request.reference)
        DataRequest.objects.filter(pk=request_id).update(gathering_error=str(exc)[:500])
        raise
    gathered = {
        "reference": request.reference,
        "person": request.customer.full_name,
        "gathered_at": timezone.now().isoformat(),
        "parts": parts,
    }
    name = default_storage.save(
        f"data-packs/{secrets.token_hex(16)}.json",
        ContentFile(json.dumps(gathered, ensure_ascii=False).encode()),
    )
    with transaction.atomic():
        locked = DataRequest.objects.select_for_update().get(pk=request_id)
        if locked.status != S.GATHERING:
            default_storage.delete(name)
            return False
        old = locked.gathered.name
        locked.gathered.name = name
        locked.gathered_at = timezone.now()
        locked.save(update_fields=["gathered", "gathered_at"])
        _move(locked, S.IN_REVIEW, actor=None, note="Gathered; ready for review.")
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    return True


@transaction.atomic
def redaction_add(
    *, request: DataRequest, actor: User, kind: str, target: str, reason: str
) -> Redaction:
    """Remove words (another person's name) or withhold a whole record from the pack, with the
    reason, before it is released."""
    if request.status != S.IN_REVIEW:
        raise RequestRefused("Redact while the pack is being reviewed.")
    if request.release_started_at is not None:
        raise RequestRefused("The pack is being released: nothing more can be removed.")
    target = target.strip()
    reason = reason.strip()
    if not target or not reason:
        raise RequestRefused("Say what to remove and why.")
    if kind == RedactionKind.TEXT and len(target) < 3:
        raise RequestRefused("Words to remove must be at least 3 characters long.")
    if kind == RedactionKind.RECORD and target not in selectors.gathered_record_keys(request):
        raise RequestRefused("No record in the pack has that key.")
    if Redaction.objects.filter(request=request, kind=kind, target=target).exists():
        raise RequestRefused("That is already removed.")
    redaction = Redaction.objects.create(
        request=request, kind=kind, target=target, reason=reason, by=actor, at=timezone.now()
    )
    case_add_note(
        case=request,
        actor=actor,
        note=f"Redaction: {redaction.get_kind_display()}: {target}. {reason}",
        visible_to_customer=False,
    )
    return redaction


def _new_link(request: DataRequest, actor: User, now: dt.datetime) -> PackLink:
    return PackLink.objects.create(
        request=request,
        token=secrets.token_urlsafe(32),
        issued_at=now,
        issued_by=actor,
        expires_at=now + dt.timedelta(days=PACK_LINK_DAYS),
    )


@transaction.atomic
def pack_release_start(*, request: DataRequest, actor: User) -> None:
    """The officer releases the reviewed pack: it is built in the background (the PDF of a long
    history takes minutes, longer than a page may take) and released when built. No redaction
    can be added from now on, so the pack released is the pack reviewed."""
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != S.IN_REVIEW or not locked.gathered:
        raise RequestRefused("Only a gathered and reviewed pack can be released.")
    if locked.release_started_at is not None:
        raise RequestRefused("The pack is already being released.")
    now = timezone.now()
    DataRequest.objects.filter(pk=request.pk).update(release_started_at=now)
    request.release_started_at = now
    case_add_note(
        case=request,
        actor=actor,
        note="Released for building; the person is told when the pack is ready.",
        visible_to_customer=False,
    )
    from dataprotection.tasks import release_pack

    request_id, actor_id = request.pk, actor.pk
    transaction.on_commit(lambda: release_pack.delay(request_id, actor_id))


def pack_release_built(*, request_id: int, actor_id: int) -> bool:
    """The background half of a release: build and release the pack the officer released.
    Returns False if there is nothing to release (a second delivery of the task)."""
    request = DataRequest.objects.select_related("customer").filter(pk=request_id).first()
    if request is None or request.status != S.IN_REVIEW or request.release_started_at is None:
        return False
    pack_release(request=request, actor=User.objects.get(pk=actor_id))
    return True


def pack_release(*, request: DataRequest, actor: User) -> PackLink:
    """Build the pack (the gathered data with every redaction applied), release it to the
    person through the portal and meet the clock. The pack is built before the transaction
    that releases it, so no lock is held while it is built."""
    if request.status != S.IN_REVIEW or not request.gathered:
        raise RequestRefused("Only a gathered and reviewed pack can be released.")
    gathered = selectors.gathered_data(request)
    redactions = list(request.redactions.all())
    content = packs.build_zip(request=request, gathered=gathered, redactions=redactions)
    with transaction.atomic():
        return _release(request, actor=actor, content=content, redactions=len(redactions))


def _release(request: DataRequest, *, actor: User, content: bytes, redactions: int) -> PackLink:
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != S.IN_REVIEW:
        raise RequestRefused("Only a gathered and reviewed pack can be released.")
    old = request.pack.name
    request.pack.save(f"{request.reference}.zip", ContentFile(content), save=False)
    now = timezone.now()
    request.released_at = now
    request.save(update_fields=["pack", "released_at"])
    if old:
        transaction.on_commit(lambda: default_storage.delete(old))
    _move(
        request,
        S.RELEASED,
        actor=actor,
        note=f"Released with {redactions} redaction(s).",
        closes=True,
    )
    deadline_meet(case=request, code=CLOCK_FOR_KIND[RequestKind.SUBJECT_ACCESS], met_at=now)
    link = _new_link(request, actor, now)
    _tell(
        request,
        subject=f"Your data is ready: {request.reference}",
        body=(
            "The copy of the data we hold about you is ready. Sign in and open Your data to "
            f"download it. The link works once, until {london_date(link.expires_at)}."
        ),
        key="released",
    )
    return link


@transaction.atomic
def pack_link_issue(*, request: DataRequest, actor: User) -> PackLink:
    """A fresh link for a released pack (the first expired or was used); earlier links that are
    still unused stop working."""
    if request.status != S.RELEASED or not request.pack:
        raise RequestRefused("Only a released pack has a download link.")
    now = timezone.now()
    PackLink.objects.filter(request=request, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    link = _new_link(request, actor, now)
    _tell(
        request,
        subject=f"A new link to your data: {request.reference}",
        body=f"Sign in and open Your data to download it, until {london_date(link.expires_at)}.",
        key=f"link:{link.pk}",
    )
    return link


class LinkRefused(Exception):
    """The link was used, has expired, or is not this person's."""


@transaction.atomic
def pack_link_use(*, link: PackLink, user: User) -> None:
    """Spend the link: once, before it expires, by the person the pack was released to. A
    conditional update, so two downloads at once cannot both succeed."""
    now = timezone.now()
    spent = PackLink.objects.filter(pk=link.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, used_by=user
    )
    if spent != 1:
        raise LinkRefused("This link has been used or has expired.")
    request = link.request
    case_add_note(
        case=request, actor=user, note="The pack was downloaded.", visible_to_customer=True
    )


# --- corrections, erasure, complaints --------------------------------------------------------


@transaction.atomic
def complaint_acknowledge(*, request: DataRequest, actor: User, note: str) -> None:
    """Acknowledge a data-protection complaint (within 30 days), meeting its clock."""
    if request.kind != RequestKind.COMPLAINT or request.acknowledged_at is not None:
        raise RequestRefused("Only an unacknowledged data-protection complaint is acknowledged.")
    now = timezone.now()
    _move(request, S.ACKNOWLEDGED, actor=actor, note=note)
    DataRequest.objects.filter(pk=request.pk).update(acknowledged_at=now)
    request.acknowledged_at = now
    deadline_meet(case=request, code=CLOCK_FOR_KIND[RequestKind.COMPLAINT], met_at=now)
    _tell(
        request,
        subject=f"We have your complaint: {request.reference}",
        body=(
            f"Our data protection officer has your complaint {request.reference} and is looking "
            f"into it. {note}"
        ),
        key="acknowledged",
    )


@transaction.atomic
def request_answer(*, request: DataRequest, actor: User, answer: str) -> None:
    """Answer a correction, erasure or complaint, close it and meet its clock. An answer to a
    complaint always ends with the person's right to go to the ICO."""
    if request.kind == RequestKind.SUBJECT_ACCESS:
        raise RequestRefused("A subject access request is answered by releasing its pack.")
    if request.kind == RequestKind.COMPLAINT and request.acknowledged_at is None:
        raise RequestRefused("Acknowledge the complaint first.")
    if request.status == S.AWAITING_IDENTITY:
        raise RequestRefused("We are waiting for proof of the person's identity.")
    answer = answer.strip()
    if request.kind == RequestKind.COMPLAINT and ICO_RIGHT not in answer:
        answer = f"{answer}\n\n{ICO_RIGHT}"
    now = timezone.now()
    _move(request, S.ANSWERED, actor=actor, note=answer, closes=True)
    DataRequest.objects.filter(pk=request.pk).update(answer=answer, answered_at=now)
    request.answer, request.answered_at = answer, now
    if request.kind != RequestKind.COMPLAINT:
        deadline_meet(case=request, code=CLOCK_FOR_KIND[RequestKind(request.kind)], met_at=now)
    _tell(
        request,
        subject=f"Our answer: {request.reference}",
        body=answer,
        key="answered",
    )


__all__ = [
    "ICO_RIGHT",
    "InvalidTransition",
    "LinkRefused",
    "RequestRefused",
]
