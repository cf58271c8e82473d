from django.apps import AppConfig
from django.urls import register_converter

from kernel.url_parameters import CONVERTERS


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        # Before any URL conf is read: every app's urls.py names these converters.
        for name, converter in CONVERTERS.items():
            register_converter(converter, name)
