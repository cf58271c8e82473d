"""What every lettings service shares: the clocks' codes, the transitions, the team, how a
customer is told, and locking."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from casework.models import Case, Team
from casework.services import case_transition
from kernel.roles import Role
from lettings.models import (
    ApplicationStatus,
    ExchangeStatus,
    SettlingInStatus,
)
from notifications.services import notify_customer
from tenancy.models import Customer

OFFER_NOTIFY = "lettings.offer.notify"
SETTLING_IN_VISIT = "lettings.settling_in_visit"
EXCHANGE_DECISION = "exchange.decision"

S = ApplicationStatus

APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.INTERESTED: {S.SHORTLISTED, S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.SHORTLISTED: {S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.OFFERED: {S.FORM_SENT, S.REFUSED, S.WITHDRAWN},
    S.FORM_SENT: {S.ASSESSED, S.REFUSED, S.WITHDRAWN},
    S.ASSESSED: {S.VIEWING_BOOKED, S.REFUSED, S.WITHDRAWN},
    S.VIEWING_BOOKED: {S.VIEWING_BOOKED, S.ACCEPTED, S.REFUSED, S.WITHDRAWN},
    S.ACCEPTED: {S.SIGNED_UP, S.WITHDRAWN},
}
SETTLING_IN_TRANSITIONS: dict[str, set[str]] = {
    SettlingInStatus.MOVED_IN: {SettlingInStatus.VISITED},
}
E = ExchangeStatus
EXCHANGE_TRANSITIONS: dict[str, set[str]] = {
    E.RECEIVED: {E.CHECKS_DONE, E.WITHDRAWN},
    E.CHECKS_DONE: {E.CHECKS_DONE, E.CONSENTED, E.CONDITIONAL, E.REFUSED, E.WITHDRAWN},
}
EXCHANGE_DECISIONS = (E.CONSENTED, E.CONDITIONAL, E.REFUSED)

LETTINGS_TEAM_NAME = "Lettings"


class LettingRefused(Exception):
    """What the lettings rules do not allow. Nothing was written; the message says why."""


def lettings_team() -> Team | None:
    return Team.objects.filter(role=Role.LETTINGS).select_related("lead").order_by("name").first()


def _site(path: str) -> str:
    return settings.SITE_URL + path


def _tell(case: Case, customer: Customer, *, key: str, subject: str, body: str) -> None:
    notify_customer(
        customer=customer,
        subject=subject[:200],
        body=body,
        key=f"{case.REFERENCE_PREFIX.lower()}:{case.pk}:{key}",
        about=case,
    )


def _move(
    case: Case, to_status: str, allowed: dict, *, actor: User | None, note: str = "", closes=False
):
    case_transition(
        case=case, to_status=to_status, allowed=allowed, actor=actor, note=note, closes=closes
    )


def _lock(model, pk: int):
    return model._default_manager.select_for_update().get(pk=pk)
