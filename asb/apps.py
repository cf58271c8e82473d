from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "asb"
    verbose_name = "Anti-social behaviour, hate crime and domestic abuse"
