"""Two officers accepting two offers of one home at the same moment, on two real database
connections: one is accepted, the other refused with the message. Needs PostgreSQL: SQLite has
one writer at a time, so there is no race (the one-connection half is in
test_letting_journey.py)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from lettings import services
from lettings.models import Application, ApplicationStatus
from tests.factories import CustomerWithLoginFactory
from tests.lettings import factories as f


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_of_one_home_at_once_accept_one(require_postgres):
    assert connection.vendor == "postgresql"
    f.lettings_team()
    officer = f.lettings_officer()
    advert = f.advert_for(f.sign_off(f.empty_home(), officer))
    first = f.interest(CustomerWithLoginFactory(), advert)
    second = f.interest(CustomerWithLoginFactory(), advert)
    f.close_now(advert)
    # Both offers at the viewing stage: only a fault (or a race) could get two there.
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(
        status=ApplicationStatus.VIEWING_BOOKED
    )
    start = threading.Barrier(2)
    refusals: list[BaseException] = []

    def accept(application: Application) -> None:
        try:
            start.wait()
            services.application_accept(application=application, actor=officer)
        except BaseException as exc:  # noqa: BLE001 - checked below
            refusals.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(refusals) == 1
    assert isinstance(refusals[0], services.LettingRefused)
    assert "already been accepted" in str(refusals[0])
    statuses = sorted(Application.objects.filter(advert=advert).values_list("status", flat=True))
    assert statuses == [ApplicationStatus.ACCEPTED, ApplicationStatus.VIEWING_BOOKED]
