from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        from casework.access import register_case_model
        from complaints.models import Complaint, ComplaintStatus
        from complaints.services import quick_resolutions_overdue
        from complaints.steps import register as register_steps
        from kernel.roles import Role
        from sla import hooks

        register_case_model(
            Complaint,
            staff_roles={Role.COMPLAINTS},
            detail_url_name="complaints:detail",
            statuses=ComplaintStatus,
        )
        register_steps()
        # A Quick Resolution not put right in its 2 working days continues as formal the moment
        # the sweep finds its clock run out (and on the first sweep after any downtime).
        hooks.register_breach_handler(quick_resolutions_overdue)
