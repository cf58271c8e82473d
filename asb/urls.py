from django.urls import URLPattern

app_name = "asb"

urlpatterns: list[URLPattern] = []
