"""The demo seed makes a report at each stage, and running it again changes nothing."""

from __future__ import annotations

from asb.demo import seed
from asb.models import AnonymousReport, AsbAction, AsbCase
from casework.models import CaseEvent
from portal.demo import seed_people_and_homes


def test_the_demo_seed_is_idempotent(db):
    demo = seed_people_and_homes()
    seed(demo)
    counts = (
        AsbCase.objects.count(),
        AsbAction.objects.count(),
        AnonymousReport.objects.count(),
        CaseEvent.objects.count(),
    )
    assert counts[:3] == (2, 1, 1)
    seed(demo)
    assert (
        AsbCase.objects.count(),
        AsbAction.objects.count(),
        AnonymousReport.objects.count(),
        CaseEvent.objects.count(),
    ) == counts
