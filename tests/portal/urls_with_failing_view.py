"""The real URL conf plus one view that fails, to see the 500 page as a customer would."""

from django.urls import path

from kernel.access import public
from portal.urls import *  # noqa: F403 - the handlers too, whatever the project sets
from portal.urls import urlpatterns as portal_urlpatterns


@public
def failing_view(request):
    raise RuntimeError("A deliberate failure for the 500 page test.")


urlpatterns = [*portal_urlpatterns, path("test-failure/", failing_view)]
