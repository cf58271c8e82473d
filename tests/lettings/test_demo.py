"""The demo seed makes an advertised home with interest and an exchange; running it again
changes nothing."""

from __future__ import annotations

from lettings.demo import seed
from lettings.models import Advert, Application, MutualExchange, Void
from portal.demo import seed_people_and_homes
from sla.models import Deadline


def _counts():
    return (
        Void.objects.count(),
        Advert.objects.count(),
        Application.objects.count(),
        MutualExchange.objects.count(),
        Deadline.objects.count(),
    )


def test_the_demo_seed_is_idempotent(db):
    demo = seed_people_and_homes()
    seed(demo)
    counts = _counts()
    seed(demo)
    assert _counts() == counts
    assert counts[:4] == (1, 1, 1, 1)
    assert Void.objects.get().is_signed_off
