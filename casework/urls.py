from django.urls import path

from casework import views

app_name = "casework"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<reference:reference>/", views.case_detail, name="case_detail"),
    path(
        "<reference:reference>/files/<id:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]
