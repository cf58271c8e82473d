from django.urls import path

from tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("your-details/", views.your_details, name="your_details"),
]
