from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import Role, user_has_any_role


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
    return {"org": settings.ORGANISATION, "is_manager": SimpleLazyObject(is_manager)}
