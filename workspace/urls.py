from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("households/<id:tenancy_id>/", views.household, name="household"),
    path("find/", views.find_customer, name="find"),
]
