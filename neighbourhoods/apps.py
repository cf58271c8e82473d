from django.apps import AppConfig


class NeighbourhoodsConfig(AppConfig):
    name = "neighbourhoods"
    verbose_name = "Neighbourhoods"

    def ready(self) -> None:
        from casework.access import register_case_model
        from kernel.roles import Role
        from neighbourhoods.models import NeighbourhoodReport, ReportStatus
        from neighbourhoods.steps import register as register_steps

        # Customer services run the neighbourhood service (as they hear estate feedback).
        register_case_model(
            NeighbourhoodReport,
            staff_roles={Role.CUSTOMER_SERVICES},
            detail_url_name="neighbourhoods:report_detail",
            statuses=ReportStatus,
        )
        register_steps()
