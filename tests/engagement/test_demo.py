"""The demo seeds news, a survey the demo tenant can answer and a consultation; running it
again changes nothing."""

from __future__ import annotations

from engagement.demo import seed
from engagement.models import Consultation, NewsItem, SurveyInvitation, SurveyResponse, YouSaidWeDid
from engagement.selectors import surveys_open_for_customer
from portal.demo import seed_people_and_homes


def _counts():
    return (
        NewsItem.objects.filter(published_at__isnull=False).count(),
        SurveyInvitation.objects.count(),
        SurveyResponse.objects.count(),
        Consultation.objects.count(),
        YouSaidWeDid.objects.count(),
    )


def test_the_demo_seed_is_idempotent_and_invites_the_demo_tenant(db):
    demo = seed_people_and_homes()
    seed(demo)
    counts = _counts()
    seed(demo)
    assert _counts() == counts
    assert counts[0] == 2 and counts[2] == 2
    assert len(surveys_open_for_customer(demo.tenant)) == 1
