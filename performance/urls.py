app_name = "performance"
urlpatterns: list = []
