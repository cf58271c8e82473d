""" "How did we do?" after a repair, a complaint, an ASB case and a move-in: asked of the case's
own customer when the case is completed or closed, by the portal and their channel, answered
once, reported without names; a comment becomes a case only with the person's consent."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from asb.models import CloseReason, Risk
from asb.services import asb_acknowledge, asb_close, close_answer, close_ask
from asb.services import asb_team as team_for_asb
from complaints.models import Complaint, Outcome
from complaints.services import complaint_close
from engagement.models import CaseSurvey, SurveyResponse
from engagement.selectors import case_survey_figures
from engagement.services import (
    AlreadyAnswered,
    EngagementRuleBroken,
    FollowUp,
    case_survey_answer,
    case_survey_follow_up,
    survey_comment_follow_up,
)
from kernel.reporting import ReportingYear
from lettings.services import application_sign_up
from notifications.models import Message, MessageChannel, MessageStatus
from notifications.services import deliver_pending
from repairs.models import Repair
from repairs.services import (
    repair_cancel,
    repair_create,
    repair_record_completed,
    repair_reopen,
)
from tests.asb.factories import SafeContactAnswers
from tests.asb.factories import report as asb_report
from tests.complaints.factories import acknowledge, receive, respond
from tests.engagement.factories import SurveyResponseFactory
from tests.lettings import factories as lettings

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


def _repair(customer) -> Repair:
    return repair_create(
        customer=customer,
        item_code="kitchen.units",
        location="home",
        description="The cupboard door has come off its hinge.",
        idempotency_key=uuid.uuid4(),
    )


def _completed_repair(customer, officer) -> Repair:
    repair = _repair(customer)
    repair_record_completed(repair=repair, actor=officer, first_time_fix=True)
    return repair


def _survey_of(case) -> CaseSurvey:
    return CaseSurvey.objects.get(case_id=case.pk, case_type__model=type(case)._meta.model_name)


def _invitations_to(customer) -> list[Message]:
    return list(Message.objects.filter(customer=customer, idempotency_key__startswith="case-"))


# ---------------------------------------------------------------------------------------------
# Who is asked, when, and how
# ---------------------------------------------------------------------------------------------


def test_a_completed_repair_asks_its_reporter_and_nobody_else(
    tenant_a, joint_tenant_a, repairs_officer
):
    repair = _repair(tenant_a)
    assert not CaseSurvey.objects.exists()

    repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=True)

    survey = _survey_of(repair)
    assert (survey.kind, survey.customer, survey.answered_at) == ("repair", tenant_a, None)
    [message] = _invitations_to(tenant_a)
    assert message.subject == "How did we do?"
    assert repair.reference in message.body
    assert reverse("engagement:case_survey", kwargs={"survey_id": survey.pk}) in message.body
    assert _invitations_to(joint_tenant_a) == []


def test_a_cancelled_repair_asks_nothing(tenant_a, repairs_officer):
    repair = _repair(tenant_a)
    repair_cancel(repair=repair, actor=repairs_officer, reason="Reported twice")
    assert not CaseSurvey.objects.exists()
    assert _invitations_to(tenant_a) == []


def test_a_case_completed_twice_is_asked_about_once(tenant_a, repairs_officer):
    repair = _completed_repair(tenant_a, repairs_officer)
    repair_reopen(repair=repair, customer=tenant_a, actor=None, details="It came off again.")
    repair.refresh_from_db()
    repair_record_completed(repair=repair, actor=repairs_officer, first_time_fix=False)
    assert CaseSurvey.objects.count() == 1
    assert len(_invitations_to(tenant_a)) == 1


def test_a_closed_complaint_asks_how_we_handled_it(tenant_a, complaints_officer, frozen):
    complaint = receive(tenant_a)
    acknowledge(complaint, complaints_officer)
    frozen.move_to(WEDNESDAY + dt.timedelta(hours=5), tick=False)
    respond(complaint, complaints_officer, outcome=Outcome.NOT_UPHELD)
    complaint.refresh_from_db()
    assert not CaseSurvey.objects.exists()

    complaint_close(complaint=complaint, actor=complaints_officer)

    assert _survey_of(complaint).kind == "complaint"
    assert len(_invitations_to(tenant_a)) == 1


def test_signing_a_tenancy_asks_the_new_tenant_about_the_move(db):
    officer = lettings.lettings_officer()
    lettings.lettings_team()
    application = lettings.rent_requested(
        lettings.accepted(
            lettings.viewing_booked(
                lettings.assessed(
                    lettings.form_sent(lettings.offer_in_a_new_home(officer)), officer
                ),
                officer,
            ),
            officer,
        ),
        officer,
    )
    assert not CaseSurvey.objects.exists()

    application_sign_up(
        application=application,
        actor=officer,
        tenancy_start_date=dt.date(2026, 6, 15),
    )
    survey = _survey_of(application)
    assert (survey.kind, survey.customer_id) == ("move_in", application.customer_id)


@pytest.fixture
def asb_team(db, asb_officer):
    found = team_for_asb()
    found.lead = asb_officer
    found.save()
    return found


def _closed_asb_case(customer, officer, safe: SafeContactAnswers):
    case = asb_report(customer, safe=safe)
    asb_acknowledge(case=case, actor=officer, contacted_by="phone", risk=Risk.STANDARD)
    close_ask(case=case, actor=officer)
    close_answer(case=case, agrees=True)
    asb_close(case=case, actor=officer, reason=CloseReason.RESOLVED)
    return case


def test_a_closed_asb_case_asks_only_its_reporter_as_a_sensitive_message(
    tenant_a, joint_tenant_a, asb_officer, asb_team
):
    safe = SafeContactAnswers(
        safe_phone="07700 900 982", may_email=True, may_text=True, may_use_portal=True
    )
    case = _closed_asb_case(tenant_a, asb_officer, safe)

    survey = _survey_of(case)
    assert survey.kind == "asb" and survey.about_sensitive_case
    [message] = _invitations_to(tenant_a)
    assert message.is_sensitive
    assert _invitations_to(joint_tenant_a) == []
    assert not Message.objects.filter(customer=joint_tenant_a, subject="How did we do?").exists()


def test_the_asb_invitation_is_withheld_from_a_channel_the_reporter_said_is_unsafe(
    tenant_a, asb_officer, asb_team, mailoutbox
):
    tenant_a.email = "amina@example.com"
    tenant_a.preferred_channel = "email"
    tenant_a.save()
    # Texts only, to the safe number: no email, no letters, no portal messages.
    safe = SafeContactAnswers(safe_phone="07700 900 982", may_text=True)
    case = _closed_asb_case(tenant_a, asb_officer, safe)
    [message] = _invitations_to(tenant_a)
    assert message.channel == MessageChannel.EMAIL

    mailoutbox.clear()
    deliver_pending()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "Withheld" in message.last_error
    assert not [m for m in mailoutbox if "amina@example.com" in m.to]
    assert case.events.filter(note__icontains="How did we do?").exists()


# ---------------------------------------------------------------------------------------------
# Answering, once
# ---------------------------------------------------------------------------------------------


def _url(survey):
    return reverse("engagement:case_survey", kwargs={"survey_id": survey.pk})


def test_the_person_asked_answers_once_in_the_portal(client_a, tenant_a, repairs_officer):
    survey = _survey_of(_completed_repair(tenant_a, repairs_officer))
    home = client_a.get(reverse("engagement:home")).content.decode()
    assert _url(survey) in home

    page = client_a.get(_url(survey)).content.decode()
    assert "How satisfied or dissatisfied are you with how we dealt with your repair?" in page
    assert "Neither satisfied nor dissatisfied" in page
    response = client_a.post(
        _url(survey),
        {"satisfaction": "fairly_dissatisfied", "comments": "Late.", "consent_to_follow_up": "on"},
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.comments, survey.consent_to_follow_up) == (
        "fairly_dissatisfied",
        "Late.",
        True,
    )
    answered_at = survey.answered_at

    again = client_a.post(_url(survey), {"satisfaction": "very_satisfied"})
    assert "You have answered this question" in again.content.decode()
    survey.refresh_from_db()
    assert (survey.satisfaction, survey.answered_at) == ("fairly_dissatisfied", answered_at)
    assert _url(survey) not in client_a.get(reverse("engagement:home")).content.decode()


def test_the_service_refuses_a_second_answer(tenant_a, repairs_officer):
    survey = _survey_of(_completed_repair(tenant_a, repairs_officer))
    case_survey_answer(survey=survey, customer=tenant_a, satisfaction="very_satisfied")
    with pytest.raises(AlreadyAnswered):
        case_survey_answer(survey=survey, customer=tenant_a, satisfaction="very_dissatisfied")
    survey.refresh_from_db()
    assert survey.satisfaction == "very_satisfied"


@pytest.mark.parametrize("answer", ["", "not_applicable", "very_satisfied\x00", "9" * 40])
def test_an_answer_outside_the_scale_is_refused_and_nothing_kept(
    client_a, tenant_a, repairs_officer, answer
):
    survey = _survey_of(_completed_repair(tenant_a, repairs_officer))
    page = client_a.post(_url(survey), {"satisfaction": answer, "comments": "x"})
    assert page.status_code == 200
    assert "Select how satisfied or dissatisfied you are" in page.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None and survey.comments == ""


def test_a_household_member_cannot_see_or_answer_anothers_survey(
    client, tenant_a, joint_tenant_a, tenant_b, repairs_officer
):
    survey = _survey_of(_completed_repair(tenant_a, repairs_officer))
    for other in (joint_tenant_a, tenant_b):
        client.force_login(other.user)
        assert client.get(_url(survey)).status_code == 404
        assert client.post(_url(survey), {"satisfaction": "very_satisfied"}).status_code == 404
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_the_survey_page_refuses_visitors_staff_and_odd_requests(
    client, tenant_a, manager, repairs_officer
):
    survey = _survey_of(_completed_repair(tenant_a, repairs_officer))
    assert "/account/login/" in client.get(_url(survey))["Location"]
    client.force_login(manager)
    assert client.get(_url(survey)).status_code == 403
    client.force_login(tenant_a.user)
    assert client.put(_url(survey)).status_code == 405
    assert client.get("/get-involved/how-did-we-do/99999999999999999999/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Results, without names
# ---------------------------------------------------------------------------------------------


def _answered(customer, officer, answer, **kwargs) -> CaseSurvey:
    survey = _survey_of(_completed_repair(customer, officer))
    return case_survey_answer(survey=survey, customer=customer, satisfaction=answer, **kwargs)


def test_figures_count_those_who_answered_by_hand(tenant_a, tenant_b, repairs_officer):
    _answered(tenant_a, repairs_officer, "very_satisfied")
    _answered(tenant_b, repairs_officer, "fairly_satisfied")
    _answered(tenant_a, repairs_officer, "very_dissatisfied")
    _completed_repair(tenant_b, repairs_officer)  # asked, not answered

    figures = {f.kind: f for f in case_survey_figures(ReportingYear(2026))}
    repair = figures["repair"]
    # 2 of the 3 who answered were very or fairly satisfied: 66.7%; 3 of 4 asked answered.
    assert (repair.invited, repair.answered, repair.satisfied) == (4, 3, 2)
    assert str(repair.figure) == "66.7" and str(repair.response_rate) == "75.0"
    assert dict(repair.answers)["Very dissatisfied"] == 1
    assert figures["asb"].answered == 0 and figures["asb"].figure is None
    assert case_survey_figures(ReportingYear(2025))[0].invited == 0


def test_the_results_page_names_nobody(client, manager, tenant_a, repairs_officer):
    survey = _answered(tenant_a, repairs_officer, "fairly_satisfied", comments="Quick and tidy.")
    client.force_login(manager)
    page = client.get(reverse("engagement:case_survey_results")).content.decode()
    assert "Quick and tidy." in page
    assert tenant_a.first_name not in page and tenant_a.last_name not in page
    repair_reference = Repair.objects.get(pk=survey.case_id).reference
    assert repair_reference not in page


def test_the_results_page_is_for_managers_and_customer_services(
    client, repairs_officer, customer_services_officer, tenant_a
):
    url = reverse("engagement:case_survey_results")
    client.force_login(repairs_officer)
    assert client.get(url).status_code == 403
    client.force_login(customer_services_officer)
    assert client.get(url).status_code == 200
    assert client.get(url, {"year": "%00"}).status_code == 200
    assert client.post(url).status_code == 405


# ---------------------------------------------------------------------------------------------
# A comment becomes a case only with consent
# ---------------------------------------------------------------------------------------------

SAFETY = FollowUp("safety_concern", item_code="hazard.damp", location="home")


def test_without_consent_no_complaint_or_safety_concern_is_opened(
    tenant_a, repairs_officer, manager
):
    survey = _answered(tenant_a, repairs_officer, "very_dissatisfied", comments="Mould is back.")
    repairs_before = Repair.objects.count()
    for follow_up in (FollowUp("complaint"), SAFETY):
        with pytest.raises(EngagementRuleBroken, match="did not agree to be contacted"):
            case_survey_follow_up(survey=survey, follow_up=follow_up, actor=manager)
    assert Complaint.objects.count() == 0
    assert Repair.objects.count() == repairs_before
    survey.refresh_from_db()
    assert (survey.followed_up_as, survey.followed_up_reference) == ("", "")


def test_with_consent_staff_open_a_complaint_once(tenant_a, repairs_officer, manager):
    survey = _answered(
        tenant_a,
        repairs_officer,
        "very_dissatisfied",
        comments="Nobody came back to finish it.",
        consent_to_follow_up=True,
    )
    reference = case_survey_follow_up(survey=survey, follow_up=FollowUp("complaint"), actor=manager)
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.customer == tenant_a and complaint.service_area == "repairs"
    assert "finish it" in complaint.details
    with pytest.raises(EngagementRuleBroken, match="already been raised"):
        case_survey_follow_up(survey=survey, follow_up=SAFETY, actor=manager)
    assert Complaint.objects.count() == 1


def test_with_consent_staff_raise_a_safety_concern_as_a_repair(tenant_a, repairs_officer, manager):
    survey = _answered(
        tenant_a,
        repairs_officer,
        "fairly_dissatisfied",
        comments="The mould in the bedroom is back.",
        consent_to_follow_up=True,
    )
    reference = case_survey_follow_up(survey=survey, follow_up=SAFETY, actor=manager)
    concern = Repair.objects.get(reference=reference)
    assert concern.customer == tenant_a and "mould in the bedroom" in concern.description
    survey.refresh_from_db()
    assert (survey.followed_up_as, survey.followed_up_reference) == ("safety_concern", reference)


def test_a_comment_about_an_asb_case_is_never_opened_for_the_household(
    tenant_a, asb_officer, asb_team, manager
):
    case = _closed_asb_case(
        tenant_a, asb_officer, SafeContactAnswers(safe_phone="07700 900 982", may_use_portal=True)
    )
    survey = case_survey_answer(
        survey=_survey_of(case),
        customer=tenant_a,
        satisfaction="very_dissatisfied",
        comments="It is still going on.",
        consent_to_follow_up=True,
    )
    with pytest.raises(EngagementRuleBroken, match="ASB team"):
        case_survey_follow_up(survey=survey, follow_up=FollowUp("complaint"), actor=manager)
    assert Complaint.objects.count() == 0


def test_a_perception_survey_comment_becomes_a_safety_concern_only_with_consent(tenant_a, manager):
    response = SurveyResponseFactory(customer=tenant_a, tp05="very_dissatisfied")
    response.comments = "The communal door does not close, anyone can get in."
    response.save()
    repairs_before = Repair.objects.count()
    with pytest.raises(EngagementRuleBroken):
        survey_comment_follow_up(response=response, follow_up=SAFETY, actor=manager)
    assert Repair.objects.count() == repairs_before

    SurveyResponse.objects.filter(pk=response.pk).update(consent_to_follow_up=True)
    reference = survey_comment_follow_up(response=response, follow_up=SAFETY, actor=manager)
    assert Repair.objects.get(reference=reference).customer == tenant_a
    response.refresh_from_db()
    assert response.followed_up_reference == reference


def test_staff_follow_up_from_the_results_page(client, manager, tenant_a, repairs_officer):
    refused = _answered(tenant_a, repairs_officer, "very_dissatisfied", comments="Awful.")
    agreed = _answered(
        tenant_a, repairs_officer, "very_dissatisfied", comments="Rude.", consent_to_follow_up=True
    )
    client.force_login(manager)
    page = client.get(reverse("engagement:case_survey_results")).content.decode()
    assert reverse("engagement:case_survey_follow_up", kwargs={"survey_id": agreed.pk}) in page
    assert reverse("engagement:case_survey_follow_up", kwargs={"survey_id": refused.pk}) not in page

    refused_url = reverse("engagement:case_survey_follow_up", kwargs={"survey_id": refused.pk})
    answer = client.post(refused_url, {"into": "complaint"}, follow=True)
    assert "did not agree to be contacted" in answer.content.decode()
    assert Complaint.objects.count() == 0

    agreed_url = reverse("engagement:case_survey_follow_up", kwargs={"survey_id": agreed.pk})
    assert client.post(agreed_url, {"into": "nonsense\x00"}).status_code == 302
    assert client.post(agreed_url, {"into": "safety_concern"}).status_code == 302
    assert Complaint.objects.count() == 0
    answer = client.post(agreed_url, {"into": "complaint"}, follow=True)
    reference = Complaint.objects.get().reference
    assert f"Opened {reference}" in answer.content.decode()


def test_follow_up_is_refused_to_other_staff_and_to_customers(
    client, repairs_officer, tenant_a, client_a
):
    survey = _answered(
        tenant_a, repairs_officer, "very_dissatisfied", comments="Rude.", consent_to_follow_up=True
    )
    url = reverse("engagement:case_survey_follow_up", kwargs={"survey_id": survey.pk})
    assert client_a.post(url, {"into": "complaint"}).status_code == 403
    client.force_login(repairs_officer)
    assert client.post(url, {"into": "complaint"}).status_code == 403
    assert Complaint.objects.count() == 0


def test_the_question_about_an_asb_case_carries_the_quick_exit(
    client_a, tenant_a, asb_officer, asb_team, repairs_officer
):
    safe = SafeContactAnswers(safe_phone="07700 900 982", may_use_portal=True)
    asb_survey = _survey_of(_closed_asb_case(tenant_a, asb_officer, safe))
    repair_survey = _survey_of(_completed_repair(tenant_a, repairs_officer))

    asked = client_a.get(_url(asb_survey)).content.decode()
    assert "Leave this site" in asked and "quick-exit.js" in asked
    client_a.post(_url(asb_survey), {"satisfaction": "very_satisfied"})
    answered = client_a.post(_url(asb_survey), {"satisfaction": "very_satisfied"})
    assert "You have answered this question" in answered.content.decode()
    assert "Leave this site" in answered.content.decode()
    assert "Leave this site" not in client_a.get(_url(repair_survey)).content.decode()
