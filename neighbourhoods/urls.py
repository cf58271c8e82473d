from django.urls import path

from neighbourhoods import views

app_name = "neighbourhoods"
urlpatterns = [
    path("", views.neighbourhood_home, name="home"),
    path("inspections/<id:inspection_id>/", views.inspection_detail, name="inspection"),
    path(
        "inspections/<id:inspection_id>/score/",
        views.resident_inspection_scoring,
        name="inspection_score",
    ),
    path(
        "estates/<id:estate_id>/resident-inspector/",
        views.inspector_sign_up,
        name="inspector_sign_up",
    ),
]
urlpatterns += [
    path(
        "manage/inspections/<id:inspection_id>/score/",
        views.staff_inspection_scoring,
        name="staff_inspection_scoring",
    ),
    path(
        "manage/scores/<id:score_id>/repair/", views.staff_raise_repair, name="staff_raise_repair"
    ),
]
urlpatterns += [
    path("report/", views.report_new, name="report_new"),
    path("reports/<reference:reference>/", views.report_detail, name="report_detail"),
]
