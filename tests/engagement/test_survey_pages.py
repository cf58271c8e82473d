"""Answering the perception survey in the portal: once per person, only when invited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import reverse

from complaints.models import Complaint
from engagement.models import SurveyInvitation, SurveyResponse
from engagement.services import (
    AlreadyAnswered,
    EngagementRuleBroken,
    perception_tallies_rebuild,
    survey_comment_raise_complaint,
    survey_response_submit,
    survey_sample,
)
from tests.engagement.factories import SurveyFactory, SurveyInvitationFactory, SurveyResponseFactory
from tests.factories import CustomerFactory, PropertyFactory, TenancyFactory

pytestmark = pytest.mark.django_db

DURING = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)

FULL_ANSWERS = {
    "tp01": "fairly_satisfied",
    "had_repair": "yes",
    "tp02": "very_satisfied",
    "tp03": "neither",
    "tp04": "fairly_satisfied",
    "tp05": "very_satisfied",
    "tp06": "fairly_dissatisfied",
    "tp07": "fairly_satisfied",
    "tp08": "tend_to_agree",
    "made_complaint": "no",
    "has_communal_areas": "no",
    "tp11": "not_applicable",
    "tp12": "very_satisfied",
}


@pytest.fixture
def invitation(tenant_a):
    return SurveyInvitationFactory(customer=tenant_a)


def _url(survey):
    return reverse("engagement:survey", kwargs={"survey_id": survey.pk})


@time_machine.travel(DURING)
def test_invited_tenant_answers_once_and_is_thanked(client_a, invitation, tenant_a):
    page = client_a.get(_url(invitation.survey))
    assert page.status_code == 200
    assert "Taking everything into account" in page.content.decode()

    response = client_a.post(_url(invitation.survey), FULL_ANSWERS)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(customer=tenant_a)
    assert (saved.tp01, saved.tp02, saved.tp09, saved.tp10, saved.tp11) == (
        "fairly_satisfied",
        "very_satisfied",
        "",
        "",
        "not_applicable",
    )
    assert saved.stock_class == "lcra" and saved.method == "portal"

    again = client_a.post(_url(invitation.survey), FULL_ANSWERS)
    assert "You have answered this survey" in again.content.decode()
    assert SurveyResponse.objects.count() == 1


@time_machine.travel(DURING)
def test_a_missing_answer_is_shown_with_the_answers_kept(client_a, invitation):
    answers = FULL_ANSWERS | {"tp01": "", "tp02": ""}
    page = client_a.post(_url(invitation.survey), answers)
    body = page.content.decode()
    assert page.status_code == 200
    assert "There is a problem" in body and "Select an answer" in body
    compact = " ".join(body.split())
    assert 'value="tend_to_agree" checked="checked"' in compact
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(DURING)
def test_a_filtered_answer_from_someone_filtered_out_is_not_kept(client_a, invitation, tenant_a):
    client_a.post(_url(invitation.survey), FULL_ANSWERS | {"had_repair": "no"})
    saved = SurveyResponse.objects.get(customer=tenant_a)
    assert (saved.had_repair, saved.tp02, saved.tp03) == ("no", "", "")


@time_machine.travel(DURING)
def test_a_tenant_not_invited_gets_404(client, tenant_b, invitation):
    client.force_login(tenant_b.user)
    assert client.get(_url(invitation.survey)).status_code == 404
    assert client.post(_url(invitation.survey), FULL_ANSWERS).status_code == 404
    assert SurveyResponse.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, invitation):
    response = client.get(_url(invitation.survey))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_staff_are_refused(client, manager, invitation):
    client.force_login(manager)
    assert client.get(_url(invitation.survey)).status_code == 403


@time_machine.travel(DURING)
def test_wrong_method_is_rejected(client_a, invitation):
    assert client_a.put(_url(invitation.survey)).status_code == 405


@time_machine.travel(dt.datetime(2027, 1, 5, 12, 0, tzinfo=dt.UTC))
def test_a_closed_survey_says_so_and_takes_nothing(client, tenant_a, invitation):
    client.force_login(tenant_a.user)
    page = client.post(_url(invitation.survey), FULL_ANSWERS)
    assert "This survey is closed" in page.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_the_database_refuses_a_second_set_of_answers_from_one_person(tenant_a):
    first = SurveyResponseFactory(customer=tenant_a)
    with pytest.raises(IntegrityError):
        SurveyResponseFactory(customer=tenant_a, survey=first.survey)


@time_machine.travel(DURING)
def test_the_service_refuses_a_second_set_whatever_the_channel(invitation, tenant_a, manager):
    survey_response_submit(survey=invitation.survey, customer=tenant_a, answers={"tp01": "neither"})
    with pytest.raises(AlreadyAnswered):
        survey_response_submit(
            survey=invitation.survey,
            customer=tenant_a,
            answers={"tp01": "very_satisfied"},
            method="telephone",
            actor=manager,
        )
    assert SurveyResponse.objects.get().tp01 == "neither"


@time_machine.travel(DURING)
def test_an_answer_outside_the_options_is_refused(invitation, tenant_a):
    with pytest.raises(EngagementRuleBroken):
        survey_response_submit(
            survey=invitation.survey, customer=tenant_a, answers={"tp01": "not_applicable"}
        )
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(DURING)
def test_a_comment_becomes_a_complaint_only_with_consent(invitation, tenant_a, manager):
    response = survey_response_submit(
        survey=invitation.survey,
        customer=tenant_a,
        answers={"tp01": "very_dissatisfied"},
        comments="The lift has been broken for a month.",
    )
    with pytest.raises(EngagementRuleBroken):
        survey_comment_raise_complaint(response=response, actor=manager)
    assert Complaint.objects.count() == 0

    response.consent_to_follow_up = True
    response.save()
    reference = survey_comment_raise_complaint(response=response, actor=manager)
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.customer == tenant_a
    assert "lift" in complaint.details
    with pytest.raises(EngagementRuleBroken):
        survey_comment_raise_complaint(response=response, actor=manager)
    assert Complaint.objects.count() == 1


def test_sampling_invites_each_stock_class_apart_and_never_twice(db):
    for tenure in ["general_needs"] * 5 + ["shared_ownership"] * 3 + ["leasehold"] * 2:
        CustomerFactory(tenancy=TenancyFactory(property=PropertyFactory(tenure=tenure)))
    survey = SurveyFactory()
    assert survey_sample(survey=survey, per_stock_class={"lcra": 3, "lcho": 10}, seed=1) == 6
    classes = sorted(SurveyInvitation.objects.values_list("stock_class", flat=True))
    assert classes == ["lcho"] * 3 + ["lcra"] * 3
    assert survey_sample(survey=survey, per_stock_class={"lcra": 5}, seed=2) == 2
    assert SurveyInvitation.objects.count() == 8
    with pytest.raises(EngagementRuleBroken):
        survey_sample(survey=survey, per_stock_class={"not_low_cost": 1})


@time_machine.travel(DURING)
def test_have_your_say_lists_open_surveys_not_yet_answered(client_a, invitation, tenant_a):
    page = client_a.get(reverse("engagement:home"))
    assert invitation.survey.title in page.content.decode()
    assert reverse("complaints:feedback") in page.content.decode()
    survey_response_submit(survey=invitation.survey, customer=tenant_a, answers={"tp01": "neither"})
    assert invitation.survey.title not in client_a.get(reverse("engagement:home")).content.decode()


def test_results_page_is_for_managers(client, manager, repairs_officer):
    url = reverse("engagement:perception_results") + "?year=2026"
    assert client.get(url).status_code == 302
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = SurveyResponseFactory(tp01="very_satisfied")
    perception_tallies_rebuild(survey=response.survey)
    page = client.get(url)
    assert page.status_code == 200
    assert "TP01 Overall satisfaction" in page.content.decode()
    assert "100.0%" in page.content.decode()
    assert client.post(url).status_code == 405
