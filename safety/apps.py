"""Gas, electrical, fire, water, asbestos and lift checks, certificates and PEEPs: the compliance register."""

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "Keeping you safe"

    def ready(self) -> None:
        from safety.services import safety_deadlines_breached
        from sla import hooks

        # The checks' clocks are not on cases: the compliance team hears of missed ones here.
        hooks.register_breach_handler(safety_deadlines_breached)
