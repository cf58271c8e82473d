from django.apps import AppConfig


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = "Repairs and hazards"

    def ready(self) -> None:
        from casework.access import register_case_model
        from kernel.roles import Role
        from repairs.models import Repair, RepairStatus
        from repairs.steps import register as register_steps

        # Customer services raise repairs for customers who phone, so they see the queue too.
        register_case_model(
            Repair,
            staff_roles={Role.REPAIRS, Role.CUSTOMER_SERVICES},
            detail_url_name="repairs:detail",
            statuses=RepairStatus,
        )
        register_steps()
