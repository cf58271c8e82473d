"""Demo requests about the demo tenant's data: a copy of their data gathered and waiting for
the officer's review, and an answered correction. Safe to run again (fixed idempotency keys;
each step is taken only if the request has not reached it)."""

from __future__ import annotations

import uuid

from casework.models import Team
from dataprotection import services
from dataprotection.models import DataRequest, RequestKind, RequestStatus
from kernel.roles import Role


def _key(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://demo.riverside-homes.example/{name}")


def seed(demo) -> None:
    officer = demo.staff[Role.DATA_PROTECTION]
    team = services.data_protection_team()
    Team.objects.filter(pk=team.pk, lead__isnull=True).update(lead=officer)

    copy = services.request_make(
        customer=demo.tenant,
        kind=RequestKind.SUBJECT_ACCESS,
        details="Please send me a copy of everything you hold about me.",
        idempotency_key=_key("dp-subject-access"),
    )
    if copy.status == RequestStatus.RECEIVED:
        services.identity_confirm(
            request=copy, actor=officer, how="Signed in with a confirmed email address."
        )
        copy = DataRequest.objects.get(pk=copy.pk)
        services.gathering_start(request=copy, actor=officer)
        # The demo loads in one transaction, so the gathering task would run after it; the
        # worker's work is done here instead.
        services.pack_gather(request_id=copy.pk)

    correction = services.request_make(
        customer=demo.tenant,
        kind=RequestKind.CORRECTION,
        details="You have my middle name spelt wrong on letters.",
        idempotency_key=_key("dp-correction"),
    )
    if correction.status == RequestStatus.RECEIVED:
        services.request_answer(
            request=correction,
            actor=officer,
            answer="Thank you. We have corrected the spelling on our records and letters.",
        )
