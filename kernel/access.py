"""Who may see each view. Every view declares it; a view that does not is refused.

Declarations are decorators that set ``view.access`` and enforce it:

- ``@public``: anyone, signed in or not;
- ``@customer_required``: a signed-in customer linked to a household (staff are refused: they
  work through the admin, where every read is scoped by role);
- ``@customer_required(current_tenancy=True)``: the same, for pages that start new service for
  the home; a former tenant is told what they can still do;
- ``@applicant_required``: a signed-in customer with or without a household (an applicant who
  has never been a tenant), for the pages of applying for a home, their messages and their
  contact details only (docs/decisions/0030);
- ``@staff_required(Role.REPAIRS, ...)``: signed-in staff holding one of the roles, with an
  authenticator app set up (they are sent to set one up first, as for the admin).

Every staff door (these views, the case file download, the chat sockets, the exports and the
admin site) asks the one question ``staff_entry(user, roles)``: a password alone never opens
another person's records.

``DenyByDefaultMiddleware`` answers 403 for any view without a declaration (outside the admin
and allauth, which protect themselves), and ``tests/portal/test_url_access.py`` walks the URL
conf so that such a view fails the build before it can reach a user.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from kernel.roles import Role, user_has_any_role

ACCESS_ATTRIBUTE = "access"


def has_authenticator_app(user) -> bool:
    """Whether ``user`` has set up an authenticator app: allauth then asks for its code at
    every sign-in. Staff must have one before any page that shows other people's records.

    A staff request meets several doors (the admin middleware, the admin site, the view), so a
    yes is remembered on the user object, which lives for one request; a no is asked again, as
    it turns into a yes during the set-up itself."""
    if getattr(user, "_portal_has_authenticator", False):
        return True
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    if found:
        user._portal_has_authenticator = True
    return found


# The page a member of staff asked for when they were sent to set up an authenticator app. The
# set-up ends on allauth's recovery codes page, which links back to it
# (templates/mfa/recovery_codes/index.html), so the set-up does not lose where they were going.
PAGE_AFTER_AUTHENTICATOR_SETUP = "page_after_authenticator_setup"


def redirect_to_authenticator_setup(request):
    path = request.get_full_path()
    if request.method == "GET" and path.startswith("/") and not path.startswith("//"):
        request.session[PAGE_AFTER_AUTHENTICATOR_SETUP] = path
    return redirect("mfa_activate_totp")


class StaffEntry(enum.Enum):
    """The answer at a staff door, so each door can say why it stays shut."""

    ALLOWED = "allowed"
    NOT_SIGNED_IN = "not signed in"
    NOT_STAFF = "not staff with the role"
    NEEDS_AUTHENTICATOR = "needs an authenticator app"


def staff_entry(user, roles: Iterable[Role] | None = None) -> StaffEntry:
    """Whether ``user`` may pass a staff door: signed in, active, staff, holding one of
    ``roles`` (any staff when None: the admin scopes each page by role itself) and with an
    authenticator app set up. The one staff check; every staff entry point asks it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return StaffEntry.NOT_SIGNED_IN
    if not user.is_active or not user.is_staff:
        return StaffEntry.NOT_STAFF
    if roles is not None and not user_has_any_role(user, roles):
        return StaffEntry.NOT_STAFF
    if not has_authenticator_app(user):
        return StaffEntry.NEEDS_AUTHENTICATOR
    return StaffEntry.ALLOWED


def staff_entry_allowed(user, roles: Iterable[Role] | None = None) -> bool:
    return staff_entry(user, roles) is StaffEntry.ALLOWED


# Views from these packages enforce their own access rules.
SELF_PROTECTING_MODULES = (
    "django.contrib.admin",
    "allauth",
    "django.contrib.staticfiles",
    "django.views.static",
    "import_export",
)


def _declare(view: Callable, access: str) -> Callable:
    setattr(view, ACCESS_ATTRIBUTE, access)
    return view


def public(view: Callable) -> Callable:
    return _declare(view, "public")


# Shown to a customer whose tenancy has ended when they open a page that starts new service for
# the home they left (docs/decisions/0009-what-a-former-tenant-may-do.md).
FORMER_TENANT_TEMPLATE = "tenancy/former_tenant.html"


# Shown to an applicant with no household when they open a household's page (rent, repairs,
# safety, a household's cases): what they can use instead (docs/decisions/0030).
NO_HOUSEHOLD_TEMPLATE = "tenancy/no_household.html"


def _signed_in_customer(request):
    """The signed-in customer, or the answer that refuses the request: the sign-in page for
    someone not signed in, 403 for a login that is not a customer's (staff)."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    customer = getattr(request.user, "customer", None)
    if customer is None:
        raise PermissionDenied("This page is for customers.")
    return customer, None


def applicant_required(view: Callable) -> Callable:
    """``@applicant_required``: any customer, with a household or without one (an applicant).
    The pages of applying for a home, and the few every person we know may use (messages, how
    we contact them); a household's own records stay behind ``@customer_required``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _customer, refusal = _signed_in_customer(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return _declare(wrapped, "applicant")


def customer_required(view: Callable | None = None, *, current_tenancy: bool = False) -> Callable:
    """``@customer_required``: any customer linked to a household, former tenants included
    (their old cases, complaints, messages and details stay theirs). An applicant with no
    household gets a page saying what they can use instead, and nothing is written.

    ``@customer_required(current_tenancy=True)``: pages that start new service for the home
    (report a repair, book, ask for a call back...); a customer whose tenancy has ended gets a
    page saying so and what they can still do, and nothing is written."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            customer, refusal = _signed_in_customer(request)
            if refusal is not None:
                return refusal
            # ``has_household`` and ``has_left_home`` are the tenancy app's rules (kernel
            # imports no app).
            if not customer.has_household:
                return render(request, NO_HOUSEHOLD_TEMPLATE, {"customer": customer}, status=403)
            if current_tenancy and customer.has_left_home:
                return render(request, FORMER_TENANT_TEMPLATE, {"customer": customer}, status=403)
            return view(request, *args, **kwargs)

        return _declare(wrapped, "customer:current-tenancy" if current_tenancy else "customer")

    return decorator(view) if view is not None else decorator


def staff_required(*roles: Role) -> Callable[[Callable], Callable]:
    if not roles:
        raise ValueError("staff_required needs at least one role.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            entry = staff_entry(request.user, roles)
            if entry is StaffEntry.NOT_SIGNED_IN:
                return redirect_to_login(request.get_full_path())
            if entry is StaffEntry.NOT_STAFF:
                raise PermissionDenied("Your role does not include this page.")
            if entry is StaffEntry.NEEDS_AUTHENTICATOR:
                # As for the admin: a stolen password alone must not open other people's cases.
                return redirect_to_authenticator_setup(request)
            return view(request, *args, **kwargs)

        return _declare(wrapped, "staff:" + ",".join(sorted(r.value for r in roles)))

    return decorator


def admin_site_has_permission(request) -> bool:
    """The admin site's own door (``AdminSite.has_permission``): the one staff check, so the
    admin is shut to a password alone even where no middleware sends staff to enrol."""
    return staff_entry_allowed(request.user)


# Every view mounted in these URL namespaces is wrapped by the admin site's own staff check.
SELF_PROTECTING_NAMESPACES = ("admin",)


def view_access(view: Callable, namespaces: tuple[str, ...] = ()) -> str | None:
    """The declared access of a resolved view callable, or None if it declares nothing."""
    declared = getattr(view, ACCESS_ATTRIBUTE, None)
    if declared is not None:
        return declared
    if namespaces and namespaces[0] in SELF_PROTECTING_NAMESPACES:
        return "self-protecting"
    module = getattr(view, "__module__", "") or ""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        module = view_class.__module__
    if module.startswith(SELF_PROTECTING_MODULES):
        return "self-protecting"
    return None


class DenyByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        namespaces = tuple(match.namespaces) if match else ()
        if view_access(view_func, namespaces) is None:
            raise PermissionDenied("This page has no access declaration.")
        return None
