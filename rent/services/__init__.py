"""Every write to the rent accounts, split by capability: the ledger and arrears
(``ledger``), the charges run (``charges``), payments files (``payments``), Direct Debit
(``direct_debits``), rent change notices (``notices``), the income team's work on arrears
(``arrears``), the tenant's requests for help (``support``) and leaseholders' service charge
costs (``service_charges``)."""

from rent.services.arrears import (
    arrangement_make,
    arrangements_check,
    arrears_contact_record,
    arrears_money_advice_refer,
    recovery_action_plan,
)
from rent.services.charges import charges_post_due
from rent.services.direct_debits import (
    BankDetailsRefused,
    direct_debit_cancel,
    direct_debit_set_up,
)
from rent.services.ledger import (
    RentRuleBroken,
    account_open,
    arrears_review,
    household_access_set,
    ledger_post,
)
from rent.services.notices import rent_change_schedule
from rent.services.payments import ImportResult, payments_import, suspense_allocate
from rent.services.service_charges import service_charge_cost_bill
from rent.services.support import support_request_make

__all__ = [
    "BankDetailsRefused",
    "ImportResult",
    "RentRuleBroken",
    "account_open",
    "arrangement_make",
    "arrangements_check",
    "arrears_contact_record",
    "arrears_money_advice_refer",
    "arrears_review",
    "charges_post_due",
    "direct_debit_cancel",
    "direct_debit_set_up",
    "household_access_set",
    "ledger_post",
    "payments_import",
    "recovery_action_plan",
    "rent_change_schedule",
    "service_charge_cost_bill",
    "support_request_make",
    "suspense_allocate",
]
