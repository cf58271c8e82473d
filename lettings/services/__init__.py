"""Writes for letting homes and moving. One service per action, each one transaction: the
record, its timeline event, its clocks and its messages commit together or not at all.

The clocks (sla catalogue, "Lettings, moving in and exchanges"):

- ``lettings.offer.notify``: 7 calendar days from the advert closing. It is started on the
  selected applicant's case when they are told, from the moment the advert closed, and met in
  the same transaction; until then the lettings queue shows the closed advert due by the same
  rule (``selectors.offer_due_at``).
- ``lettings.viewing.notice``: a constraint, never started. A viewing is refused unless the
  written notice, sent as it is booked, gives at least that many hours.
- ``lettings.settling_in_visit``: 6 weeks from the first day of the new tenancy, on the new
  household's settling-in case; met when the visit is recorded.
- ``exchange.decision``: 42 calendar days from the mutual exchange application; met by the
  decision. Missing it escalates through the sweep like any other breach.
"""

from __future__ import annotations

from lettings.services._common import (
    APPLICATION_TRANSITIONS,
    EXCHANGE_DECISION,
    EXCHANGE_DECISIONS,
    EXCHANGE_TRANSITIONS,
    LETTINGS_TEAM_NAME,
    OFFER_NOTIFY,
    SETTLING_IN_TRANSITIONS,
    SETTLING_IN_VISIT,
    E,
    LettingRefused,
    S,
    lettings_team,
)
from lettings.services.adverts import (
    advert_publish,
    advert_withdraw,
    adverts_close_due,
)
from lettings.services.applications import (
    advert_import_priorities,
    advert_shortlist,
    application_accept,
    application_assess,
    application_book_viewing,
    application_express_interest,
    application_offer,
    application_record_priority,
    application_refuse,
    application_request_rent,
    application_sign_up,
    application_submit_form,
    application_url,
)
from lettings.services.exchanges import (
    exchange_apply,
    exchange_decide,
    exchange_record_checks,
    exchange_url,
)
from lettings.services.moving_in import (
    settling_in_book_visit,
    settling_in_record_satisfaction,
    settling_in_record_visit,
    settling_in_upload_signed_agreement,
)
from lettings.services.voids import (
    void_open_from_tenancy_end,
    void_raise_repair,
    void_record_check,
    void_sign_off,
)

__all__ = [
    "APPLICATION_TRANSITIONS",
    "E",
    "EXCHANGE_DECISION",
    "EXCHANGE_DECISIONS",
    "EXCHANGE_TRANSITIONS",
    "LETTINGS_TEAM_NAME",
    "LettingRefused",
    "OFFER_NOTIFY",
    "S",
    "SETTLING_IN_TRANSITIONS",
    "SETTLING_IN_VISIT",
    "advert_import_priorities",
    "advert_publish",
    "advert_shortlist",
    "advert_withdraw",
    "adverts_close_due",
    "application_accept",
    "application_assess",
    "application_book_viewing",
    "application_express_interest",
    "application_offer",
    "application_record_priority",
    "application_refuse",
    "application_request_rent",
    "application_sign_up",
    "application_submit_form",
    "application_url",
    "exchange_apply",
    "exchange_decide",
    "exchange_record_checks",
    "exchange_url",
    "lettings_team",
    "settling_in_book_visit",
    "settling_in_record_satisfaction",
    "settling_in_record_visit",
    "settling_in_upload_signed_agreement",
    "void_open_from_tenancy_end",
    "void_raise_repair",
    "void_record_check",
    "void_sign_off",
]
