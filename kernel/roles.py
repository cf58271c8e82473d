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
