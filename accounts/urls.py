from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/create-login/", views.register_login, name="register_login"),
    path("register/check-your-email/", views.register_done, name="register_done"),
    path("register/to-apply-for-a-home/", views.register_applicant, name="register_applicant"),
]
