from django.urls import path

from asb import views

app_name = "asb"
urlpatterns = [
    path("", views.start, name="start"),
    path("report/", views.report_new, name="new"),
    path("report-without-signing-in/", views.report_anonymous, name="anonymous"),
    path("report-without-signing-in/sent/", views.anonymous_sent, name="anonymous_sent"),
    path("your-reports/", views.case_list, name="list"),
    path("manage/measures/", views.measures, name="measures"),
    path("<reference:reference>/", views.case_detail, name="detail"),
    path("<reference:reference>/diary/", views.diary_new, name="diary"),
    path("<reference:reference>/closing/", views.close_consent, name="close"),
    path("<reference:reference>/how-we-did/", views.satisfaction, name="satisfaction"),
]
