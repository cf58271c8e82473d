"""The rent account: ledger, charges run, payments, Direct Debit, change notices, arrears."""

from django.apps import AppConfig


class RentConfig(AppConfig):
    name = "rent"
    verbose_name = "Rent and service charges"

    def ready(self) -> None:
        from casework.access import register_case_model
        from kernel.roles import Role
        from rent.models import ArrearsCase, ArrearsStatus
        from rent.steps import register as register_steps

        # The income team works arrears; the tenant sees the case and every step planned.
        register_case_model(ArrearsCase, staff_roles={Role.INCOME}, statuses=ArrearsStatus)
        register_steps()
