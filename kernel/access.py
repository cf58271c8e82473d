"""Who may see each view. Every view declares it; a view that does not is refused.

Declarations are decorators that set ``view.access`` and enforce it:

- ``@public``: anyone, signed in or not;
- ``@customer_required``: a signed-in customer linked to a household (staff are refused: they
  work through the admin, where every read is scoped by role);
- ``@staff_required(Role.REPAIRS, ...)``: signed-in staff holding one of the roles, with an
  authenticator app set up (they are sent to set one up first, as for the admin).

``DenyByDefaultMiddleware`` answers 403 for any view without a declaration (outside the admin
and allauth, which protect themselves), and ``tests/portal/test_url_access.py`` walks the URL
conf so that such a view fails the build before it can reach a user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.mfa.models import Authenticator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from kernel.roles import Role, user_has_any_role

ACCESS_ATTRIBUTE = "access"


def has_authenticator_app(user) -> bool:
    """Whether ``user`` has set up an authenticator app: allauth then asks for its code at
    every sign-in. Staff must have one before any page that shows other people's records."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


# The page a member of staff asked for when they were sent to set up an authenticator app. The
# set-up ends on allauth's recovery codes page, which links back to it
# (templates/mfa/recovery_codes/index.html), so the set-up does not lose where they were going.
PAGE_AFTER_AUTHENTICATOR_SETUP = "page_after_authenticator_setup"


def redirect_to_authenticator_setup(request):
    path = request.get_full_path()
    if request.method == "GET" and path.startswith("/") and not path.startswith("//"):
        request.session[PAGE_AFTER_AUTHENTICATOR_SETUP] = path
    return redirect("mfa_activate_totp")


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


def customer_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request.user, "customer", None) is None:
            raise PermissionDenied("This page is for customers.")
        return view(request, *args, **kwargs)

    return _declare(wrapped, "customer")


def staff_required(*roles: Role) -> Callable[[Callable], Callable]:
    if not roles:
        raise ValueError("staff_required needs at least one role.")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.is_staff or not user_has_any_role(request.user, roles):
                raise PermissionDenied("Your role does not include this page.")
            if not has_authenticator_app(request.user):
                # As for the admin: a stolen password alone must not open other people's cases.
                return redirect_to_authenticator_setup(request)
            return view(request, *args, **kwargs)

        return _declare(wrapped, "staff:" + ",".join(sorted(r.value for r in roles)))

    return decorator


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
