import functools

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from kernel.roles import Role, user_has_any_role

# The header and footer links of base.html, by the name the template uses.
_NAV = {
    "home": "portal:home",
    "your_home": "portal:your_home",
    "repairs": "repairs:list",
    "cases": "casework:case_list",
    "inbox": "notifications:inbox",
    "your_details": "tenancy:your_details",
    "applications": "lettings:application_list",
    "homes_to_let": "lettings:advert_list",
    "staff_queues": "admin:index",
    "contact_centre": "enquiries:staff_home",
    "performance": "performance:dashboard",
    "sign_out": "account_logout",
    "sign_in": "account_login",
    "register": "accounts:register",
    "accessibility": "portal:accessibility",
    "privacy": "portal:privacy",
}


@functools.cache
def _nav_urls() -> dict[str, str]:
    # The same on every page: reversed once per process, not a dozen times per request.
    return {key: reverse(name) for key, name in _NAV.items()}


def organisation(request):
    user = getattr(request, "user", None)

    def is_manager() -> bool:
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user_has_any_role(user, [Role.MANAGER])
        )

    # Lazy: only pages that show staff links ask, and the roles are read once per request.
    return {
        "org": settings.ORGANISATION,
        "is_manager": SimpleLazyObject(is_manager),
        "nav": _nav_urls(),
    }
