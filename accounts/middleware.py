from django.urls import reverse

from kernel.access import has_authenticator_app, redirect_to_authenticator_setup


class StaffMustEnrolMfaMiddleware:
    """Staff must set up an authenticator app before they can open the admin (and, through
    ``kernel.access.staff_required``, any other staff page).

    The admin shows every household's records; a stolen password alone must not open it. Once
    an authenticator exists, allauth asks for its code at every sign-in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not has_authenticator_app(user)
        ):
            return redirect_to_authenticator_setup(request)
        return self.get_response(request)
