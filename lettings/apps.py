"""Empty homes, adverts, offers, viewings, sign-up, settling in and mutual exchanges."""

from django.apps import AppConfig


class LettingsConfig(AppConfig):
    name = "lettings"
    verbose_name = "Letting homes and moving"

    def ready(self) -> None:
        from casework.access import register_case_model
        from kernel.roles import Role
        from lettings.models import (
            Application,
            ApplicationStatus,
            ExchangeStatus,
            MutualExchange,
            SettlingIn,
            SettlingInStatus,
        )
        from lettings.steps import register as register_steps

        register_case_model(
            Application,
            staff_roles={Role.LETTINGS},
            detail_url_name="lettings:application_detail",
            statuses=ApplicationStatus,
        )
        register_case_model(SettlingIn, staff_roles={Role.LETTINGS}, statuses=SettlingInStatus)
        register_case_model(MutualExchange, staff_roles={Role.LETTINGS}, statuses=ExchangeStatus)
        register_steps()
