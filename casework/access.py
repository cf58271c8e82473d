"""Who may see a case: the registry of case models, the customer and staff checks, and the
audit of staff reads of sensitive cases.

A customer sees the cases of their own household, except sensitive ones (domestic abuse, hate
crime), which only the person who reported them sees: another member of the household may be
the person they are afraid of. Staff see the case models their role works on; sensitive models
only the ASB team, and every such read is written down.

One rule for staff reads: ``staff_cases`` / ``staff_can_see``. The case pages, the admin queues
and the case file download all ask it, so whoever may read a case may read its files and nobody
else may.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, SensitiveCaseRead, Team
from kernel.access import ACCESS_ATTRIBUTE, StaffEntry, staff_entry, staff_entry_allowed
from kernel.roles import Role, user_roles
from tenancy.models import Customer
from tenancy.selectors import customer_for_user

audit_log = logging.getLogger("portal.audit")


@dataclass(frozen=True)
class CaseModelEntry:
    model: type[Case]
    staff_roles: frozenset[Role]
    referred_to_roles: frozenset[Role]
    sensitive: bool
    detail_url_name: str | None
    statuses: type[models.TextChoices] | None
    private_to_requester: bool = False
    role_holders_only: bool = False
    log_reads: bool = False

    @property
    def reads_logged(self) -> bool:
        """Whether every staff read of a case of this model is written to the read log, which
        the customer can ask about: sensitive cases, and those registered ``log_reads``."""
        return self.sensitive or self.log_reads

    @property
    def requester_only(self) -> bool:
        """Whether a customer sees only the cases they made themselves, not their household's:
        sensitive cases, and those registered ``private_to_requester``."""
        return self.sensitive or self.private_to_requester

    @property
    def prefix(self) -> str:
        return self.model.REFERENCE_PREFIX

    def status_label(self, status: str) -> str:
        if self.statuses is not None and status in self.statuses.values:
            return str(self.statuses(status).label)
        return status.replace("_", " ").capitalize()

    def url_for(self, reference: str) -> str:
        if self.detail_url_name:
            return reverse(self.detail_url_name, kwargs={"reference": reference})
        return reverse("casework:case_detail", kwargs={"reference": reference})


_registry: dict[str, CaseModelEntry] = {}


def register_case_model(
    model: type[Case],
    *,
    staff_roles: set[Role],
    referred_to_roles: set[Role] | None = None,
    detail_url_name: str | None = None,
    sensitive: bool = False,
    statuses: type[models.TextChoices] | None = None,
    private_to_requester: bool = False,
    role_holders_only: bool = False,
    log_reads: bool = False,
) -> CaseModelEntry:
    """Make a case model reachable by reference, listable for the household and scoped in the
    admin. Call it from the service app's ``AppConfig.ready()``. Registering the same model again
    replaces its entry; a second model with the same prefix is a configuration error.

    ``staff_roles`` work the whole queue. ``referred_to_roles`` are the teams cases are passed
    to: they see the queue in the admin but only the cases passed to their team.

    ``private_to_requester``: customers see only the cases they made, as for sensitive ones,
    without the sensitive models' staff rules (a request about one's own data).

    ``role_holders_only``: staff see the cases only if they hold one of ``staff_roles``: not
    managers, not superusers without the role, not a team a case is passed to (a request about
    one's own data is for the data-protection team alone).

    ``log_reads``: every staff read of a case is logged, as for a sensitive one, without the
    sensitive models' staff rules (a request about one's own data holds what the person told
    us to prove who they are and the whole of their record)."""
    if not staff_roles:
        raise ImproperlyConfigured(f"{model.__name__} needs at least one staff role.")
    prefix = model.REFERENCE_PREFIX
    existing = _registry.get(prefix)
    if existing is not None and existing.model is not model:
        raise ImproperlyConfigured(
            f"Reference prefix {prefix} is used by both {existing.model.__name__} and "
            f"{model.__name__}."
        )
    entry = CaseModelEntry(
        model=model,
        staff_roles=frozenset(Role(r) for r in staff_roles),
        referred_to_roles=frozenset(Role(r) for r in referred_to_roles or ()),
        sensitive=sensitive or model.SENSITIVE,
        detail_url_name=detail_url_name,
        statuses=statuses,
        private_to_requester=private_to_requester,
        role_holders_only=role_holders_only,
        log_reads=log_reads,
    )
    _registry[prefix] = entry
    return entry


def registered_case_models() -> list[CaseModelEntry]:
    return list(_registry.values())


def entry_for_model(model: type[Case]) -> CaseModelEntry | None:
    entry = _registry.get(getattr(model, "REFERENCE_PREFIX", ""))
    return entry if entry is not None and entry.model is model else None


def entry_for_reference(reference: str) -> CaseModelEntry | None:
    prefix, _, rest = reference.partition("-")
    return _registry.get(prefix) if rest else None


def case_allows_no_household(model: type[Case]) -> bool:
    """Whether a case of ``model`` may be opened for a customer with no household (an
    applicant): the model declares its ``tenancy`` optional (docs/decisions/0030)."""
    return bool(model._meta.get_field("tenancy").null)


def case_is_sensitive(case: Case) -> bool:
    entry = entry_for_model(type(case))
    return entry.sensitive if entry is not None else type(case).SENSITIVE


def _normalise(reference: str) -> str:
    return reference.strip().upper()


def access_case_for_customer(user, reference: str) -> Case:
    """The case with this reference if the signed-in customer may see it, else 404.

    The answer is the same for a case that does not exist and one in another household, so a
    reference cannot be probed.
    """
    customer = customer_for_user(user)
    reference = _normalise(reference)
    entry = entry_for_reference(reference)
    if customer is None or entry is None:
        raise Http404
    # A household's cases are the household's; an applicant with no household sees only the
    # cases they opened (never every case without a household).
    own = (
        Q(tenancy_id=customer.tenancy_id)
        if customer.tenancy_id is not None
        else Q(customer_id=customer.pk)
    )
    case = (
        entry.model._default_manager.select_related("customer", "tenancy")
        .filter(own, reference=reference)
        .first()
    )
    if case is None or (entry.requester_only and case.customer_id != customer.pk):
        raise Http404
    return case


def staff_can_see_model(user, model: type[Case]) -> bool:
    """Whether this member of staff works the whole queue of this case model: they hold one of
    its registered roles, or are a manager or superuser.

    Sensitive models: holders of the ASB role only (not managers, not superusers without the
    role), because the law and the victim expect the fewest possible readers. Models registered
    ``role_holders_only``: holders of one of their roles only, for the same reason.
    """
    if not _is_working_staff(user):
        return False
    entry = entry_for_model(model)
    if entry is None:
        return False
    roles = user_roles(user)
    if entry.sensitive:
        return Role.ASB in roles
    if entry.role_holders_only:
        return bool(roles & entry.staff_roles)
    return user.is_superuser or Role.MANAGER in roles or bool(roles & entry.staff_roles)


def staff_may_be_referred(user, model: type[Case]) -> bool:
    """Whether this member of staff is in a team cases of ``model`` are passed to (a queue of
    their own to list, holding only what was passed to them). No query beyond the roles."""
    entry = entry_for_model(model)
    if entry is None or entry.sensitive or entry.role_holders_only or not _is_working_staff(user):
        return False
    return bool(user_roles(user) & entry.referred_to_roles)


def _is_working_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


def _passed_to_my_team(user, model: type[Case]) -> Q | None:
    """Cases of a non-sensitive model passed to a team whose role the user holds (an enquiry
    referred to the repairs team), as a filter; None when there can be none."""
    entry = entry_for_model(model)
    if entry is None or entry.sensitive or entry.role_holders_only or not _is_working_staff(user):
        return None
    roles = user_roles(user)
    if not roles:
        return None
    # By team id, so the filter walks the case table's team index, not a join.
    return Q(team_id__in=Team.objects.filter(role__in=[r.value for r in roles]).values("pk"))


def staff_cases(
    user, model: type[Case], queryset: models.QuerySet | None = None
) -> models.QuerySet:
    """The cases of ``model`` (from ``queryset`` if given) this member of staff may see: the
    whole queue (see ``staff_can_see_model``) or only those passed to one of their teams."""
    cases = queryset if queryset is not None else model._default_manager.all()
    if staff_can_see_model(user, model):
        return cases
    passed = _passed_to_my_team(user, model)
    return cases.filter(passed) if passed is not None else cases.none()


def staff_can_see(user, case: Case) -> bool:
    """Whether this member of staff may read this case: they work the model's queue, or the
    case has been passed to a team whose role they hold."""
    if staff_can_see_model(user, type(case)):
        return True
    if _passed_to_my_team(user, type(case)) is None or case.team_id is None:
        return False
    return Team.objects.filter(pk=case.team_id, role__in=user_roles(user)).exists()


def staff_visible_content_type_ids(user) -> list[int]:
    """Content types of every registered case model whose whole queue this member of staff
    works (the event log in the admin is limited to these)."""
    models_seen = [e.model for e in _registry.values() if staff_can_see_model(user, e.model)]
    if not models_seen:
        return []
    return [ct.pk for ct in ContentType.objects.get_for_models(*models_seen).values()]


@transaction.atomic
def log_sensitive_read(*, user, case: Case, path: str) -> SensitiveCaseRead:
    """Record that a member of staff opened a sensitive case, in the database and the audit log."""
    read = SensitiveCaseRead.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        read_at=timezone.now(),
        path=path[:300],
    )
    audit_log.info(
        "sensitive case read: user=%s case=%s path=%s", user.pk, case.reference, read.path
    )
    return read


@transaction.atomic
def log_notes_read(*, user, customer: Customer, path: str) -> SensitiveCaseRead:
    """Record that a member of staff was shown a customer's vulnerability or safe-contact
    notes: a read of the customer record itself, in the same log as the reads of confidential
    cases, so the person's "who has looked" answer holds both."""
    read = SensitiveCaseRead.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(Customer),
        object_id=customer.pk,
        read_at=timezone.now(),
        path=path[:300],
    )
    audit_log.info(
        "confidential notes read: user=%s customer=%s path=%s", user.pk, customer.pk, read.path
    )
    return read


def access_case_for_reader(user, reference: str, *, path: str) -> tuple[Case, bool]:
    """The case for a signed-in customer of the household or a member of staff whose role allows
    it, with whether the reader is staff. Staff reads of sensitive cases are logged. 404 for
    anyone else, so staff without the role learn nothing about the case either."""
    if customer_for_user(user) is not None:
        try:
            return access_case_for_customer(user, reference), False
        except Http404:
            if not user.is_staff:
                raise
    reference = _normalise(reference)
    entry = entry_for_reference(reference)
    # The one staff check (authenticator included) before any staff read of a case.
    if entry is None or not staff_entry_allowed(user):
        raise Http404
    case = staff_cases(user, entry.model).filter(reference=reference).first()
    if case is None:
        raise Http404
    if entry.reads_logged:
        log_sensitive_read(user=user, case=case, path=path)
    return case, True


def case_reader_required(view: Callable) -> Callable:
    """Access declaration for views that serve a case to its household or to staff: the view must
    then call ``access_case_for_reader``, which decides for the one case asked for."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if (
            customer_for_user(request.user) is None
            and staff_entry(request.user) is StaffEntry.NEEDS_AUTHENTICATOR
        ):
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    setattr(wrapped, ACCESS_ATTRIBUTE, "customer-or-staff")
    return wrapped
