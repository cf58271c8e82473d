"""The staff site: Django's admin without the navigation sidebar.

The sidebar listed every queue and register an officer may open on every staff page. Working
out that list (each model's permissions, its links) and drawing it cost about a third of a
case's page and of a queue's. The same list is the admin's home page, one click away through
the breadcrumbs and the site's name on every page, and the staff pages link My work and Find a
customer at the top; so the list is worked out only where it is shown.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class PortalAdminSite(AdminSite):
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        # Every staff page's context names the list (``each_context``); only the home page and
        # an app's page read it, so it is worked out when read.
        parent = super()

        return SimpleLazyObject(lambda: parent.get_app_list(request, app_label))


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
