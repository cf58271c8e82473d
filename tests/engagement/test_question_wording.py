"""The perception survey shows the regulator's questions and answer scales word for word.

The expected words are written out here by hand (the regulation notes, section (b), and the
Tenant Survey Requirements), not read from ``engagement.questions``, so a change to a question's
wording or to an answer's label fails here.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests.engagement.factories import SurveyInvitationFactory, SurveyResponseFactory

pytestmark = pytest.mark.django_db

DURING = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)
L = settings.ORGANISATION["name"]

REGULATOR_QUESTIONS = {
    "tp01": f"Taking everything into account, how satisfied or dissatisfied are you with the "
    f"service provided by {L}?",
    "had_repair": f"Has {L} carried out a repair to your home in the last 12 months?",
    "tp02": f"How satisfied or dissatisfied are you with the overall repairs service from {L} "
    "over the last 12 months?",
    "tp03": "How satisfied or dissatisfied are you with the time taken to complete your most "
    "recent repair after you reported it?",
    "tp04": f"How satisfied or dissatisfied are you that {L} provides a home that is well "
    "maintained?",
    "tp05": "Thinking about the condition of the property or building you live in, how satisfied "
    f"or dissatisfied are you that {L} provides a home that is safe?",
    "tp06": f"How satisfied or dissatisfied are you that {L} listens to your views and acts upon "
    "them?",
    "tp07": f"How satisfied or dissatisfied are you that {L} keeps you informed about things that "
    "matter to you?",
    "tp08": f'To what extent do you agree or disagree with the following: "{L} treats me fairly '
    'and with respect"?',
    "made_complaint": f"Have you made a complaint to {L} in the last 12 months?",
    "tp09": f"How satisfied or dissatisfied are you with {L}'s approach to complaints handling?",
    "has_communal_areas": "Do you live in a building with communal areas, either inside or "
    f"outside, that {L} is responsible for maintaining?",
    "tp10": f"How satisfied or dissatisfied are you that {L} keeps these communal areas clean and "
    "well maintained?",
    "tp11": f"How satisfied or dissatisfied are you that {L} makes a positive contribution to "
    "your neighbourhood?",
    "tp12": f"How satisfied or dissatisfied are you with {L}'s approach to handling anti-social "
    "behaviour?",
}
SATISFACTION = [
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
]
AGREEMENT = [
    "Strongly agree",
    "Tend to agree",
    "Neither agree nor disagree",
    "Tend to disagree",
    "Strongly disagree",
]
NOT_APPLICABLE = "Not applicable or don't know"


def _fieldsets(page: str) -> dict[str, tuple[str, list[str]]]:
    """Each radio question on the page: its legend and its options' labels, in order."""
    found = {}
    for fieldset in re.findall(r"<fieldset.*?</fieldset>", page, re.S):
        names = re.findall(r'<input[^>]*type="radio"[^>]*name="([^"]+)"', fieldset)
        if not names:
            continue
        legend = re.search(r"<legend[^>]*>(.*?)</legend>", fieldset, re.S)
        labels = re.findall(r"<label[^>]*>(.*?)</label>", fieldset, re.S)

        def text(markup: str) -> str:
            return " ".join(html.unescape(re.sub(r"<[^>]+>", "", markup)).split())

        found[names[0]] = (text(legend.group(1)) if legend else "", [text(x) for x in labels])
    return found


@time_machine.travel(DURING)
def test_each_question_is_shown_in_the_regulators_words_with_its_scale(client, tenant_a):
    invitation = SurveyInvitationFactory(customer=tenant_a)
    client.force_login(tenant_a.user)
    page = client.get(reverse("engagement:survey", kwargs={"survey_id": invitation.survey.pk}))
    shown = _fieldsets(page.content.decode())

    assert list(shown) == list(REGULATOR_QUESTIONS)
    for field, words in REGULATOR_QUESTIONS.items():
        assert shown[field][0] == words, field
    for field in ["tp01", "tp02", "tp03", "tp04", "tp05", "tp06", "tp07", "tp09", "tp10"]:
        assert shown[field][1] == SATISFACTION, field
    assert shown["tp08"][1] == AGREEMENT
    # "Don't know" is offered only where the requirements allow it, and last.
    assert shown["tp11"][1] == [*SATISFACTION, NOT_APPLICABLE]
    assert shown["tp12"][1] == [*SATISFACTION, NOT_APPLICABLE]
    assert shown["had_repair"][1] == ["Yes", "No"]
    assert shown["made_complaint"][1] == ["Yes", "No"]
    assert shown["has_communal_areas"][1] == ["Yes", "No", "Don't know"]


@time_machine.travel(DURING)
def test_a_filtered_question_says_who_answers_it_beside_the_question(client, tenant_a):
    invitation = SurveyInvitationFactory(customer=tenant_a)
    client.force_login(tenant_a.user)
    page = client.get(reverse("engagement:survey", kwargs={"survey_id": invitation.survey.pk}))
    body = " ".join(html.unescape(page.content.decode()).split())
    assert body.count("Answer this only if you answered yes to the question before it.") == 4
    assert "If you answered yes:" not in body


def test_the_results_page_names_each_measure_as_the_regulator_does(client, manager):
    SurveyResponseFactory(tp03="fairly_satisfied", had_repair="yes")
    client.force_login(manager)
    page = client.get(reverse("engagement:perception_results"))
    body = " ".join(html.unescape(page.content.decode()).split())
    assert "TP03 Satisfaction with the time taken to complete the most recent repair" in body
    assert "TP08 Agreement that the landlord treats tenants fairly and with respect" in body
    assert (
        "TP12 Satisfaction with the landlord's approach to handling anti-social behaviour" in body
    )
