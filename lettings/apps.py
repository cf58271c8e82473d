from django.apps import AppConfig


class LettingsConfig(AppConfig):
    name = "lettings"
    verbose_name = "Letting homes and moving"
