from django.urls import reverse

from kernel.access import StaffEntry, redirect_to_authenticator_setup, staff_entry


class StaffMustEnrolMfaMiddleware:
    """Staff must set up an authenticator app before they can open the admin (and, through
    ``kernel.access.staff_required``, any other staff page).

    The admin shows every household's records; a stolen password alone must not open it. Once
    an authenticator exists, allauth asks for its code at every sign-in. The admin site's
    ``has_permission`` asks the same check; this only sends staff to enrol rather than to a
    refusal.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path.startswith(reverse("admin:index"))
            and staff_entry(user) is StaffEntry.NEEDS_AUTHENTICATOR
        ):
            return redirect_to_authenticator_setup(request)
        return self.get_response(request)
