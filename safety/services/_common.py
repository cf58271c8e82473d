"""What the register's writes share: the refusal they raise, a day as a moment, the household
living in a home, the compliance team's lead and the link to a home's safety page."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from casework.models import Team
from kernel.formatting import LONDON
from kernel.roles import Role
from tenancy.models import Customer, HouseholdRole, Property

if TYPE_CHECKING:
    from accounts.models import User


class SafetyRefused(Exception):
    """A write the rules do not allow; ``problems`` says why, one line each. Nothing written."""

    def __init__(self, *problems: str) -> None:
        super().__init__(" ".join(problems))
        self.problems = list(problems)


def _midday(day: dt.date) -> dt.datetime:
    # A check's day as a moment: midday London time is that day whatever the clocks do.
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)


def _local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def _household_contact(home: Property | None) -> Customer | None:
    """The lead tenant of the household living in ``home`` now, if any (a void has none, nor a
    block)."""
    if home is None:
        return None
    today = timezone.localdate()
    return (
        Customer.objects.filter(
            tenancy__property=home,
            household_role__in=[
                HouseholdRole.LEAD_TENANT,
                HouseholdRole.JOINT_TENANT,
                HouseholdRole.LEASEHOLDER,
                HouseholdRole.SHARED_OWNER,
            ],
        )
        .filter(Q(tenancy__end_date__isnull=True) | Q(tenancy__end_date__gte=today))
        .select_related("tenancy")
        .order_by("household_role", "pk")
        .first()
    )


def _compliance_lead() -> User | None:
    team = Team.objects.filter(role=Role.COMPLIANCE).select_related("lead").first()
    lead = team.lead if team is not None else None
    return lead if lead is not None and lead.is_active and lead.email else None


def _safety_page_link() -> str:
    return reverse("safety:your_safety")
