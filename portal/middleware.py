class NoStoreForSignedInMiddleware:
    """Signed-in pages hold personal data: no browser or proxy may keep a copy of them.

    A shared computer in a library must not show the next person a tenant's rent account from
    the back button.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
