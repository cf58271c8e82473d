"""What the Keeping in Touch pages share: who may work them, the draft an enquiry picks up."""

from __future__ import annotations

from kernel.roles import Role

# Every team can be referred an enquiry and answer it; managers see everything.
ENQUIRY_STAFF_ROLES = (
    Role.CUSTOMER_SERVICES,
    Role.REPAIRS,
    Role.COMPLAINTS,
    Role.ASB,
    Role.LETTINGS,
    Role.INCOME,
    Role.COMPLIANCE,
    Role.MANAGER,
)
# Officers of every team visit homes.
VISIT_STAFF_ROLES = ENQUIRY_STAFF_ROLES
DRAFT_SESSION_KEY = "enquiries:draft"
