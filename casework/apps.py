from django.apps import AppConfig

from sla import hooks
from tenancy import hooks as tenancy_hooks


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # The clock engine knows nothing of cases; it calls back here with the deadlines its
        # sweep has just marked, inside the sweep's transaction.
        from casework.services import case_deadlines_breached, case_deadlines_due_soon

        hooks.register_breach_handler(case_deadlines_breached)
        hooks.register_warning_handler(case_deadlines_due_soon)

        # Staff reads of a customer's confidential notes go to the same read log as reads of
        # confidential cases; the customer pages, a layer below, call back here.
        from casework.access import log_notes_read

        tenancy_hooks.register_notes_read_handler(log_notes_read)
