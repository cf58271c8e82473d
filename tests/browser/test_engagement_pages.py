"""axe-core on every resident involvement page and the public news pages (0 violations at
WCAG 2.2 AA), with and without form errors, and the survey answered without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import CaseSurvey, SurveyResponse
from repairs.models import Repair
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.engagement.factories import (
    ConsultationFactory,
    NewsItemFactory,
    SurveyFactory,
    SurveyInvitationFactory,
)
from tests.factories import CustomerWithLoginFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


@pytest.fixture
def involvement(tenant):
    today = timezone.localdate()
    survey = SurveyFactory(
        first_year=today.year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )
    SurveyInvitationFactory(survey=survey, customer=tenant)
    consultation = ConsultationFactory(
        opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=30)
    )
    news = NewsItemFactory(title="Estate fun day")
    return {"survey": survey, "consultation": consultation, "news": news}


def test_public_news_pages_are_accessible(page, live_server, involvement):
    for url in [
        "/",
        reverse("engagement:news_list"),
        reverse("engagement:news_detail", args=[involvement["news"].pk]),
        reverse("engagement:you_said_we_did"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


def test_every_involvement_page_is_accessible(page, live_server, tenant, involvement):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    for url in [
        reverse("engagement:home"),
        reverse("engagement:survey", args=[involvement["survey"].pk]),
        reverse("engagement:consultations"),
        reverse("engagement:consultation", args=[involvement["consultation"].pk]),
        reverse("engagement:get_involved"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)


@pytest.mark.parametrize(
    ("page_name", "button"),
    [
        ("survey", "Send your answers"),
        ("consultation", "Send your view"),
        ("get_involved", "Register my interest"),
    ],
)
def test_a_form_with_its_errors_is_accessible(
    page, live_server, tenant, involvement, page_name, button
):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    args = [involvement[page_name].pk] if page_name in involvement else []
    page.goto(reverse(f"engagement:{page_name}", args=args))
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_the_survey_answered_without_javascript(
    page_without_javascript, live_server, tenant, involvement
):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("engagement:survey", args=[involvement["survey"].pk]))
    for field, value in [
        ("tp01", "fairly_satisfied"),
        ("had_repair", "no"),
        ("tp04", "very_satisfied"),
        ("tp05", "very_satisfied"),
        ("tp06", "neither"),
        ("tp07", "fairly_satisfied"),
        ("tp08", "strongly_agree"),
        ("made_complaint", "no"),
        ("has_communal_areas", "no"),
        ("tp11", "not_applicable"),
        ("tp12", "neither"),
    ]:
        page.locator(f"input[name='{field}'][value='{value}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_text("Thank you. Your answers have been sent.")).to_be_visible()
    response = SurveyResponse.objects.get(customer=tenant)
    assert (response.tp01, response.tp02, response.tp11) == (
        "fairly_satisfied",
        "",
        "not_applicable",
    )


@pytest.fixture
def case_survey(tenant):
    return CaseSurvey.objects.create(
        kind="repair",
        customer=tenant,
        case_type=ContentType.objects.get_for_model(Repair),
        case_id=1,
        invited_at=timezone.now(),
    )


def test_how_did_we_do_is_accessible_with_and_without_errors(
    page, live_server, tenant, case_survey
):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    response = page.goto(reverse("engagement:case_survey", args=[case_survey.pk]))
    assert response.status == 200
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_how_did_we_do_answered_without_javascript(
    page_without_javascript, live_server, tenant, case_survey
):
    page = page_without_javascript
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("engagement:case_survey", args=[case_survey.pk]))
    page.locator("input[name='satisfaction'][value='fairly_satisfied']").check()
    page.get_by_label("Is there anything else you would like to tell us? (optional)").fill(
        "Quick and tidy."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_text("Thank you. Your answer has been sent.")).to_be_visible()
    case_survey.refresh_from_db()
    assert (case_survey.satisfaction, case_survey.comments) == (
        "fairly_satisfied",
        "Quick and tidy.",
    )
