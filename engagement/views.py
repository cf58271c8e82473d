"""Customer and public pages for news and the perception survey; the manager's TP01-TP12 page.
News and surveys are set up by staff in the admin (``admin.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engagement import selectors
from engagement.forms import (
    CASE_SURVEY_QUESTION,
    CaseSurveyForm,
    ConsultationResponseForm,
    FollowUpForm,
    InvolvementForm,
    PerceptionSurveyForm,
)
from engagement.models import Activity, CaseSurvey, SurveyResponse
from engagement.services import (
    AlreadyAnswered,
    EngagementRuleBroken,
    FollowUp,
    case_survey_answer,
    case_survey_follow_up,
    consultation_respond,
    involvement_register,
    survey_comment_follow_up,
    survey_response_submit,
)
from kernel.access import customer_required, public, staff_required
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from repairs.handover import repair_item_choices, repair_location_choices
from tenancy.selectors import access_customer_household

# Who reviews survey answers and results: the managers, and customer services, who take up
# comments with the people who agreed to be contacted.
SURVEY_REVIEWERS = (Role.MANAGER, Role.CUSTOMER_SERVICES)


def signed_in_customer(request):
    """The customer behind a public page's request, or None for a visitor or staff."""
    if not request.user.is_authenticated:
        return None
    return getattr(request.user, "customer", None)


@public
@require_GET
def news_list(request):
    customer = signed_in_customer(request)
    items = selectors.news_published_for(customer)[:50]
    return render(request, "engagement/news_list.html", {"items": items})


@public
@require_GET
def news_detail(request, item_id: int):
    item = selectors.access_news_item(signed_in_customer(request), item_id)
    return render(request, "engagement/news_detail.html", {"item": item})


@customer_required
@require_GET
def involvement_home(request):
    customer = access_customer_household(request.user)
    context = {
        "surveys": selectors.surveys_open_for_customer(customer),
        "case_surveys": selectors.case_surveys_open_for_customer(customer),
    }
    return render(request, "engagement/involvement_home.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def case_survey(request, survey_id: int):
    customer = access_customer_household(request.user)
    survey = selectors.access_case_survey(customer, survey_id)
    if survey.answered_at is not None:
        return render(request, "engagement/case_survey_done.html", {"survey": survey})
    form = CaseSurveyForm(request.POST or None, kind=survey.kind)
    if request.method == "POST" and form.is_valid():
        try:
            case_survey_answer(
                survey=survey,
                customer=customer,
                satisfaction=form.cleaned_data["satisfaction"],
                comments=form.cleaned_data["comments"],
                consent_to_follow_up=form.cleaned_data["consent_to_follow_up"],
            )
        except AlreadyAnswered:
            return render(request, "engagement/case_survey_done.html", {"survey": survey})
        except EngagementRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Thank you. Your answer has been sent.")
            return redirect("engagement:home")
    context = {"survey": survey, "form": form, "question": CASE_SURVEY_QUESTION[survey.kind]}
    return render(request, "engagement/case_survey_form.html", context)


def _survey_review_context(year):
    return {
        "year": year,
        "years": reporting_years_offered(timezone.localdate()),
        "figures": selectors.case_survey_figures(year),
        "comments": selectors.comments_to_review(year),
        "item_groups": [c for c in repair_item_choices() if isinstance(c[1], list | tuple)],
        "location_choices": repair_location_choices(),
    }


@staff_required(*SURVEY_REVIEWERS)
@require_GET
def case_survey_results(request):
    year = reporting_year_chosen(request.GET.get("year"), today=timezone.localdate())
    return render(request, "engagement/case_survey_results.html", _survey_review_context(year))


def _follow_up(request, *, source: str, pk: int):
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("engagement:case_survey_results")
    follow_up = FollowUp(
        into=form.cleaned_data["into"],
        item_code=form.cleaned_data["item_code"],
        location=form.cleaned_data["location"],
    )
    try:
        if source == "case":
            survey = get_object_or_404(CaseSurvey, pk=pk)
            reference = case_survey_follow_up(
                survey=survey, follow_up=follow_up, actor=request.user
            )
        else:
            response = get_object_or_404(SurveyResponse, pk=pk)
            reference = survey_comment_follow_up(
                response=response, follow_up=follow_up, actor=request.user
            )
    except EngagementRuleBroken as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(request, f"Opened {reference} from the comment.")
    return redirect("engagement:case_survey_results")


@staff_required(*SURVEY_REVIEWERS)
@require_POST
def case_survey_comment_follow_up(request, survey_id: int):
    return _follow_up(request, source="case", pk=survey_id)


@staff_required(*SURVEY_REVIEWERS)
@require_POST
def perception_comment_follow_up(request, response_id: int):
    return _follow_up(request, source="perception", pk=response_id)


@customer_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_id: int):
    customer = access_customer_household(request.user)
    survey = selectors.access_survey(customer, survey_id)
    if selectors.has_answered(customer, survey):
        return render(request, "engagement/survey_done.html", {"survey": survey})
    today = timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        return render(request, "engagement/survey_closed.html", {"survey": survey})
    form = PerceptionSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_response_submit(
                survey=survey,
                customer=customer,
                answers=form.answers(),
                comments=form.cleaned_data["comments"],
                consent_to_follow_up=form.cleaned_data["consent_to_follow_up"],
            )
        except AlreadyAnswered:
            return render(request, "engagement/survey_done.html", {"survey": survey})
        except EngagementRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Thank you. Your answers have been sent.")
            return redirect("engagement:home")
    return render(request, "engagement/survey_form.html", {"survey": survey, "form": form})


@staff_required(Role.MANAGER)
@require_GET
def perception_results(request):
    year = reporting_year_chosen(request.GET.get("year"), today=timezone.localdate())
    context = {
        "year": year,
        "years": reporting_years_offered(timezone.localdate()),
        "figures": selectors.perception_measures(year),
        "reach": selectors.survey_reach(year),
        "surveys": selectors.surveys_for_year(year),
    }
    return render(request, "engagement/perception_results.html", context)


@customer_required
@require_GET
def consultation_list(request):
    customer = access_customer_household(request.user)
    context = {"consultations": selectors.consultations_for_customer(customer)}
    return render(request, "engagement/consultation_list.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def consultation_detail(request, consultation_id: int):
    customer = access_customer_household(request.user)
    consultation = selectors.access_consultation(customer, consultation_id)
    form = ConsultationResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation_respond(
                consultation=consultation, customer=customer, view=form.cleaned_data["view"]
            )
        except EngagementRuleBroken as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, "Thank you. We have your view.")
            return redirect("engagement:consultation", consultation_id=consultation.pk)
    today = timezone.localdate()
    context = {
        "consultation": consultation,
        "form": form,
        "is_open": consultation.opens_on <= today <= consultation.closes_on,
        "response": selectors.consultation_response_of(customer, consultation),
    }
    return render(request, "engagement/consultation_detail.html", context)


@public
@require_GET
def you_said_we_did(request):
    context = {"entries": selectors.you_said_we_did_published()}
    return render(request, "engagement/you_said_we_did.html", context)


@customer_required
@require_http_methods(["GET", "POST"])
def get_involved(request):
    customer = access_customer_household(request.user)
    form = InvolvementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        involvement_register(
            customer=customer,
            activities=data["activities"],
            disability=data["disability"],
            ethnic_group=data["ethnic_group"],
        )
        messages.success(request, "Thank you. We will be in touch about getting involved.")
        return redirect("engagement:get_involved")
    interests = [a.label for a in Activity if a.value in selectors.interests_of(customer)]
    context = {"form": form, "interests": interests}
    return render(request, "engagement/get_involved.html", context)


@staff_required(Role.MANAGER, Role.CUSTOMER_SERVICES)
@require_GET
def involvement_dashboard(request):
    context = {
        "representation": selectors.involvement_representation(timezone.localdate()),
        "equality": selectors.equality_answers_of_involved(),
    }
    return render(request, "engagement/involvement_dashboard.html", context)
