"""ASB reports for tests, made through the real services so their clocks and events are the
ones production would write."""

from __future__ import annotations

from asb.models import AsbCase, AsbKind, IncidentPlace
from asb.services import Incident, SafeContactAnswers, asb_report

SAFE_BY_PHONE_ONLY = SafeContactAnswers(
    safe_phone="07700 900 982", may_leave_message=False, safe_times="Weekdays 10 to 12"
)
SAFE_EVERY_WAY = SafeContactAnswers(
    safe_phone="07700 900 982",
    may_email=True,
    may_text=True,
    may_write=True,
    may_use_portal=True,
)


def report(customer, kind: str = AsbKind.ASB, *, safe=SAFE_EVERY_WAY, **overrides) -> AsbCase:
    fields = {
        "kind": kind,
        "place": IncidentPlace.BLOCK,
        "details": "Loud music every night after midnight.",
        "category": "noise" if kind == AsbKind.ASB else "",
        "other_party_address": "Flat 9, the same block",
    }
    fields.update(overrides)
    return asb_report(customer=customer, incident=Incident(**fields), safe_contact=safe)
