"""The demo seed makes a pack waiting for review and an answered correction, and running it
again changes nothing."""

from __future__ import annotations

from dataprotection.demo import seed
from dataprotection.models import DataRequest, RequestStatus
from portal.demo import seed_people_and_homes
from sla.models import Deadline


def test_the_demo_seed_is_idempotent(db):
    demo = seed_people_and_homes()
    seed(demo)
    counts = (DataRequest.objects.count(), Deadline.objects.count())
    seed(demo)
    assert (DataRequest.objects.count(), Deadline.objects.count()) == counts
    assert set(DataRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.IN_REVIEW,
        RequestStatus.ANSWERED,
    }
