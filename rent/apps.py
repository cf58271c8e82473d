from django.apps import AppConfig


class RentConfig(AppConfig):
    name = "rent"
    verbose_name = "Rent and service charges"
