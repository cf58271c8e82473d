"""Staff roles. Each is a Django group (created by a data migration) named by its label."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


class Role(models.TextChoices):
    CUSTOMER_SERVICES = "customer_services", "Customer services"
    REPAIRS = "repairs", "Repairs"
    COMPLAINTS = "complaints", "Complaints"
    ASB = "asb", "ASB"
    LETTINGS = "lettings", "Lettings"
    INCOME = "income", "Income"
    COMPLIANCE = "compliance", "Compliance"
    MANAGER = "manager", "Manager"
    # The data-protection officer and their team: subject access packs and their redactions,
    # corrections, erasure and data-protection complaints. Not compliance (building safety)
    # nor customer services: a pack holds everything about a person.
    DATA_PROTECTION = "data_protection", "Data protection"


def role_group_names(roles: Iterable[Role]) -> set[str]:
    return {Role(r).label for r in roles}


def user_roles(user) -> set[Role]:
    """The roles of a user, read once per request object."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        by_label = {r.label: r for r in Role}
        names = user.groups.values_list("name", flat=True)
        cached = {by_label[n] for n in names if n in by_label}
        user._portal_roles = cached
    return cached


def user_has_any_role(user, roles: Iterable[Role]) -> bool:
    if user.is_superuser:
        return True
    return bool(user_roles(user) & set(roles))


# Where each role's work starts, most senior first: a manager who also works a queue lands on
# the dashboard. Every other role starts from My work, the one queue across every case type
# (the staff workspace), whatever case types its teams work or are passed. URL names rather
# than views, so that the kernel imports no app.
STAFF_QUEUE_URL_NAMES: tuple[tuple[Role, str], ...] = (
    (Role.MANAGER, "performance:dashboard"),
    (Role.CUSTOMER_SERVICES, "workspace:my_work"),
    (Role.REPAIRS, "workspace:my_work"),
    (Role.COMPLAINTS, "workspace:my_work"),
    (Role.ASB, "workspace:my_work"),
    (Role.LETTINGS, "workspace:my_work"),
    (Role.INCOME, "workspace:my_work"),
    (Role.COMPLIANCE, "workspace:my_work"),
    (Role.DATA_PROTECTION, "workspace:my_work"),
)


def staff_queue_url_name(user) -> str:
    """The URL name of the page a member of staff starts from: their role's queue, or the admin
    index for an administrator or a member of staff without a role."""
    if user.is_superuser:
        return "admin:index"
    roles = user_roles(user)
    for role, url_name in STAFF_QUEUE_URL_NAMES:
        if role in roles:
            return url_name
    return "admin:index"
