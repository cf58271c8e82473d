"""Gas, electrical, fire, water, asbestos and lift checks, certificates and PEEPs: the compliance register."""

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    verbose_name = "Keeping you safe"

    def ready(self) -> None:
        from casework.access import register_case_model
        from kernel.roles import Role
        from safety.models import ReportStatus, SafetyReport
        from safety.services import safety_deadlines_breached
        from safety.steps import register as register_steps
        from sla import hooks

        register_case_model(SafetyReport, staff_roles={Role.COMPLIANCE}, statuses=ReportStatus)
        register_steps()
        # The checks' clocks are not on cases: the compliance team hears of missed ones here.
        hooks.register_breach_handler(safety_deadlines_breached)
