from django.urls import path

from dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("", views.your_data, name="your_data"),
    path("ask/", views.request_new, name="request_new"),
    path("who-has-looked-at-my-records/", views.who_has_looked, name="who_has_looked"),
    path("manage/<reference:reference>/review/", views.staff_review, name="staff_review"),
    path("requests/<reference:reference>/", views.request_detail, name="request_detail"),
    path("released/<reference:reference>/", views.released_detail, name="released_detail"),
    path("released/<reference:reference>/download/", views.pack_download, name="pack_download"),
]
