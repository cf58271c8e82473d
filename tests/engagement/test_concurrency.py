"""Answers arriving at once, on real database connections: every one is counted in the tallies
TP01-TP12 are read from, and one person's two sends at once keep one set of answers. Needs
PostgreSQL: SQLite has one writer at a time, so there is no race."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from engagement.models import PerceptionTally, SurveyResponse
from engagement.services import AlreadyAnswered, survey_response_submit
from tests.engagement.factories import SurveyFactory, SurveyInvitationFactory


def _race(targets) -> list[BaseException]:
    start = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(target):
        try:
            start.wait()
            target()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _open_survey():
    today = timezone.localdate()
    return SurveyFactory(first_year=today.year, opens_on=today, closes_on=today)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_answers_sent_at_once_by_different_people_are_all_counted(require_postgres):
    assert connection.vendor == "postgresql"
    survey = _open_survey()
    people = [SurveyInvitationFactory(survey=survey).customer for _ in range(4)]

    errors = _race(
        [
            (
                lambda c=c: survey_response_submit(
                    survey=survey, customer=c, answers={"tp01": "very_satisfied"}
                )
            )
            for c in people
        ]
    )

    assert errors == []
    tally = PerceptionTally.objects.get(survey=survey, question="TP01")
    assert tally.responses == 4


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_persons_two_sends_at_once_keep_one_set_of_answers(require_postgres):
    assert connection.vendor == "postgresql"
    survey = _open_survey()
    person = SurveyInvitationFactory(survey=survey).customer

    errors = _race(
        [
            lambda: survey_response_submit(
                survey=survey, customer=person, answers={"tp01": "very_satisfied"}
            ),
            lambda: survey_response_submit(
                survey=survey, customer=person, answers={"tp01": "very_dissatisfied"}
            ),
        ]
    )

    assert len(errors) == 1 and isinstance(errors[0], AlreadyAnswered)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert (
        sum(PerceptionTally.objects.filter(survey=survey).values_list("responses", flat=True)) == 1
    )
