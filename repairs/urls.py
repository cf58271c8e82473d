from django.urls import path

from repairs import views

app_name = "repairs"
urlpatterns = [
    path("", views.repair_list, name="list"),
    path("planned-improvements/", views.planned_works, name="planned_works"),
    path("report/", views.report_start, name="report_start"),
    path("report/emergency/", views.report_emergency, name="report_emergency"),
    path("report/gas/", views.report_gas, name="report_gas"),
    path("report/where/", views.report_where, name="report_where"),
    path("report/area/", views.report_area, name="report_area"),
    path("report/problem/", views.report_problem, name="report_problem"),
    path("report/advice/", views.report_advice, name="report_advice"),
    path("report/damp/where/", views.report_damp_rooms, name="report_damp_rooms"),
    path("report/damp/size/", views.report_damp_size, name="report_damp_size"),
    path("report/damp/household/", views.report_damp_people, name="report_damp_people"),
    path("report/details/", views.report_details, name="report_details"),
    path("report/photos/", views.report_photos, name="report_photos"),
    path(
        "report/photos/<id:photo_id>/remove/",
        views.report_photo_remove,
        name="report_photo_remove",
    ),
    path("report/appointment/", views.report_appointment, name="report_appointment"),
    path("report/check/", views.report_check, name="report_check"),
    path("report/sent/<reference:reference>/", views.report_sent, name="report_sent"),
    path("measures/", views.measures, name="measures"),
    path("<reference:reference>/", views.repair_detail, name="detail"),
    path("<reference:reference>/appointment/", views.repair_book, name="book"),
    path(
        "<reference:reference>/appointment/cancel/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("<reference:reference>/not-fixed/", views.not_fixed, name="not_fixed"),
    path("<reference:reference>/feedback/", views.feedback, name="feedback"),
    path("<reference:reference>/photos/", views.repair_add_photo, name="add_photo"),
]
