"""The demo seeds an estate with a published inspection, and running it again changes nothing."""

from __future__ import annotations

from neighbourhoods.demo import seed
from neighbourhoods.models import CommunalService, Inspection, InspectionScore, Partner
from portal.demo import seed_people_and_homes


def _counts():
    return (
        Inspection.objects.filter(published_at__isnull=False).count(),
        InspectionScore.objects.count(),
        CommunalService.objects.count(),
        Partner.objects.count(),
    )


def test_the_demo_seed_is_idempotent(db):
    demo = seed_people_and_homes()
    seed(demo)
    counts = _counts()
    seed(demo)
    assert _counts() == counts == (1, 6, 2, 3)
