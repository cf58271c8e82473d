from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("compliments-and-comments/", views.feedback_new, name="feedback"),
    path("manage/performance/", views.performance, name="performance"),
    path("manage/annual-report/", views.annual_report, name="annual_report"),
    path("manage/<reference:reference>/evidence-pack/", views.evidence_pack, name="evidence_pack"),
    path(
        "manage/<reference:reference>/evidence-pack.csv",
        views.evidence_pack_csv,
        name="evidence_pack_csv",
    ),
    path("<reference:reference>/", views.complaint_detail, name="detail"),
    path("<reference:reference>/final-review/", views.complaint_escalate_view, name="escalate"),
    path(
        "<reference:reference>/not-satisfied/", views.complaint_not_satisfied, name="not_satisfied"
    ),
    path("<reference:reference>/rate/", views.complaint_rate_view, name="rate"),
    path("<reference:reference>/letters/<id:letter_id>/", views.letter_detail, name="letter"),
    path(
        "<reference:reference>/letters/<id:letter_id>/print/",
        views.letter_print,
        name="letter_print",
    ),
]
