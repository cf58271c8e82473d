from django.urls import path

from safety import views

app_name = "safety"
urlpatterns = [
    path("", views.your_safety, name="your_safety"),
    path("certificates/<id:record_id>/", views.certificate_download, name="certificate"),
    path("manage/", views.overdue, name="overdue"),
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
