"""Requests about a person's data, walked through the real services so their clocks, events
and packs are the ones production would write."""

from __future__ import annotations

from casework.models import ReceivedBy
from dataprotection import services
from dataprotection.models import DataRequest, RequestKind
from kernel.roles import Role
from tests.factories import StaffFactory


def data_protection_officer(**kwargs):
    kwargs.setdefault("first_name", "Dana")
    kwargs.setdefault("last_name", "Officer")
    return StaffFactory(roles=[Role.DATA_PROTECTION], **kwargs)


def ask(customer, kind=RequestKind.SUBJECT_ACCESS, details="Please send me everything.", **kw):
    kw.setdefault("received_by", ReceivedBy.PORTAL)
    return services.request_make(customer=customer, kind=kind, details=details, **kw)


def fresh(request: DataRequest) -> DataRequest:
    return DataRequest.objects.select_related("customer").get(pk=request.pk)


def confirmed(customer, officer, **kw) -> DataRequest:
    request = ask(customer, **kw)
    services.identity_confirm(
        request=request, actor=officer, how="Signed in with a confirmed email."
    )
    return fresh(request)


def gathered(customer, officer, **kw) -> DataRequest:
    """A subject access request gathered and waiting for review. The gathering task is queued
    when the test's transaction would commit, which it never does: the worker's call is made
    here."""
    request = confirmed(customer, officer, **kw)
    services.gathering_start(request=request, actor=officer)
    services.pack_gather(request_id=request.pk)
    return fresh(request)


def released(customer, officer, **kw) -> DataRequest:
    request = gathered(customer, officer, **kw)
    services.pack_release(request=request, actor=officer)
    return fresh(request)


def requests_in_every_state(customer, officer) -> list[DataRequest]:
    """At least one request for every step the data-protection team can take."""
    waiting = ask(customer)
    services.identity_ask(request=waiting, actor=officer, note="Please send a photo of your ID.")
    complaint_acknowledged = ask(customer, kind=RequestKind.COMPLAINT, details="You lost my form.")
    services.complaint_acknowledge(
        request=complaint_acknowledged, actor=officer, note="We are looking into it."
    )
    return [
        ask(customer),
        fresh(waiting),
        confirmed(customer, officer),
        gathered(customer, officer),
        released(customer, officer),
        ask(customer, kind=RequestKind.CORRECTION, details="My date of birth is wrong."),
        ask(customer, kind=RequestKind.ERASURE, details="Erase my old chats."),
        ask(customer, kind=RequestKind.COMPLAINT, details="You sent my letter to a neighbour."),
        fresh(complaint_acknowledged),
    ]
