from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.sessions import announces_session_end
from kernel.access import admin_site_has_permission
from portal import views

admin.site.site_header = "Homes portal: staff"
admin.site.site_title = "Homes portal staff"
admin.site.index_title = "Queues and records"
# Staff sign in through allauth, so the admin gets rate limits and TOTP like every other door.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
# The admin asks the same staff check as every other staff door (authenticator included).
admin.site.has_permission = admin_site_has_permission  # type: ignore[method-assign]
# Signing out of the admin closes the staff's chat sockets too, as signing out anywhere does.
admin.site.logout = announces_session_end(admin.site.logout)  # type: ignore[method-assign]

portal_patterns = (
    [
        path("", views.home, name="home"),
        path("your-home/", views.your_home, name="your_home"),
        path("accessibility/", views.accessibility, name="accessibility"),
        path("privacy/", views.privacy, name="privacy"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("healthz", views.healthz, name="healthz"),
    path("", include("tenancy.urls")),
    path("account/", include("accounts.urls")),
    path("account/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
    path("cases/", include("casework.urls")),
    path("contact-us/", include("enquiries.urls")),
    path("repairs/", include("repairs.urls")),
    path("complaints/", include("complaints.urls")),
    path("anti-social-behaviour/", include("asb.urls")),
    path("your-homes-safety/", include("safety.urls")),
    path("rent/", include("rent.urls")),
    path("moving-home/", include("lettings.urls")),
    path("your-neighbourhood/", include("neighbourhoods.urls")),
    path("get-involved/", include("engagement.urls")),
    path("your-data/", include("dataprotection.urls")),
    path("performance/", include("performance.urls")),
    # Before the admin's own URLs, whose catch-all would answer for these.
    path("admin/workspace/", include("workspace.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"
