"""Reports of anti-social behaviour, hate crime and domestic abuse: safe reporting, 24-hour clocks, action plans."""

from django.apps import AppConfig


class AsbConfig(AppConfig):
    name = "asb"
    verbose_name = "Anti-social behaviour, hate crime and domestic abuse"

    def ready(self) -> None:
        from asb.guards import check_message, hidden_in_portal, tell_officer
        from asb.models import AsbCase, AsbStatus
        from asb.services import anonymous_deadlines_breached, anonymous_deadlines_due_soon
        from asb.steps import register as register_steps
        from casework.access import register_case_model
        from kernel.roles import Role
        from notifications.guards import register_delivery_check, register_inbox_filter
        from sla import hooks

        # Every ASB case is sensitive, not only hate crime and domestic abuse: the reporter's
        # neighbours may share their household, and "deal with all reports confidentially"
        # is the promise (docs/decisions/0014).
        register_case_model(
            AsbCase,
            staff_roles={Role.ASB},
            detail_url_name="asb:detail",
            sensitive=True,
            statuses=AsbStatus,
        )
        register_steps()
        register_delivery_check("asb.safe_contact", check_message, on_withheld=tell_officer)
        register_inbox_filter("asb.safe_contact", hidden_in_portal)
        # A report made without signing in is no case: its clock is escalated here.
        hooks.register_breach_handler(anonymous_deadlines_breached)
        hooks.register_warning_handler(anonymous_deadlines_due_soon)
