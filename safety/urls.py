from django.urls import path

from safety import views
from safety.models import ReportKind

app_name = "safety"
urlpatterns = [
    path("", views.your_safety, name="your_safety"),
    path("certificates/<id:record_id>/", views.certificate_download, name="certificate"),
    path("report-a-fire/", views.report_new, {"kind": ReportKind.FIRE}, name="report_fire"),
    path(
        "report-items-in-shared-areas/",
        views.report_new,
        {"kind": ReportKind.COMMUNAL_ITEMS},
        name="report_items",
    ),
    path(
        "ask-to-alter-your-home/",
        views.report_new,
        {"kind": ReportKind.ALTERATION},
        name="ask_alteration",
    ),
    path("checks/<id:check_id>/visit/", views.visit_book, name="visit_book"),
    path("evacuation-plan/", views.evacuation_plan, name="evacuation_plan"),
    path(
        "evacuation-plan/withdraw/",
        views.evacuation_plan_withdraw,
        name="evacuation_plan_withdraw",
    ),
    path("manage/", views.overdue, name="overdue"),
    path("manage/evacuation-plans/", views.peeps, name="peeps"),
    path("manage/evacuation-plans/<id:peep_id>/", views.peep_detail, name="peep"),
    path("manage/measures/", views.measures, name="measures"),
    path("manage/import/", views.import_records, name="import"),
    path("manage/checks/<id:check_id>/", views.check_detail, name="check"),
    path("manage/checks/<id:check_id>/record/", views.record_new, name="record_new"),
    path("manage/checks/<id:check_id>/no-access/", views.access_attempt_new, name="access_attempt"),
    path("manage/remedial/<id:remedial_id>/done/", views.remedial_done, name="remedial_done"),
    path(
        "manage/certificates/<id:record_id>/",
        views.staff_certificate_download,
        name="staff_certificate",
    ),
]
