from django.urls import URLPattern

app_name = "rent"

urlpatterns: list[URLPattern] = []
