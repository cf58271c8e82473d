"""Subject access, corrections, retention and erasure, and the record of who read what."""

from django.apps import AppConfig


class DataprotectionConfig(AppConfig):
    name = "dataprotection"
    verbose_name = "Your data"

    def ready(self) -> None:
        from casework.access import register_case_model
        from dataprotection.models import DataRequest, RequestStatus
        from dataprotection.steps import register as register_steps
        from kernel.roles import Role

        # Only the person who asked sees a request, not their household (it may be about a
        # partner); only the data-protection team works and sees them, not managers.
        register_case_model(
            DataRequest,
            staff_roles={Role.DATA_PROTECTION},
            detail_url_name="dataprotection:request_detail",
            statuses=RequestStatus,
            private_to_requester=True,
            role_holders_only=True,
            log_reads=True,
        )
        register_steps()
