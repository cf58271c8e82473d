"""Pages for finding a home (public), applying and moving in (applicants and new tenants), a
mutual exchange (tenants), and the lettings team's queue and shortlist. Staff steps live in
the admin (``steps.py``).

Applicants are customer accounts: a tenant who wants to move, a former tenant, or a person who
has never had a home with us (no household, docs/decisions/0030). Every page of applying is
``@applicant_required`` and reads only the applicant's own applications. The move-in pack is
the new household's, so ``@customer_required``; applying for an exchange starts service for the
current home, so it is ``current_tenancy=True``.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from kernel.access import applicant_required, customer_required, public, staff_required
from kernel.pdf import render_pdf
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from kernel.url_parameters import page_number_from_query
from lettings import selectors
from lettings.forms import (
    ApplicationForm,
    ExchangeForm,
    InterestForm,
    OfferDecisionForm,
    SatisfactionForm,
    SignedAgreementForm,
    pence,
)
from lettings.models import AdvertStatus, ApplicationStatus
from lettings.services import (
    LettingRefused,
    application_accept,
    application_express_interest,
    application_refuse,
    application_submit_form,
    exchange_apply,
    settling_in_record_satisfaction,
    settling_in_upload_signed_agreement,
)
from tenancy.selectors import access_customer, access_customer_household

logger = logging.getLogger(__name__)


def _refused(form, exc: LettingRefused) -> None:
    form.add_error(None, str(exc))


# --------------------------------------------------------------------------------------------
# Public
# --------------------------------------------------------------------------------------------


@public
@require_GET
def finding_a_home(request):
    return render(request, "lettings/finding_a_home.html", {"schemes": selectors.schemes_public()})


@public
@require_GET
def advert_list(request):
    paginator = Paginator(selectors.adverts_open(), selectors.ADVERTS_PER_PAGE)
    page = paginator.get_page(page_number_from_query(request.GET.get("page")))
    return render(request, "lettings/advert_list.html", {"page": page, "adverts": page.object_list})


@public
@require_GET
def advert_detail(request, advert_id: int):
    advert = selectors.advert_public(advert_id)
    return render(request, "lettings/advert_detail.html", {"advert": advert})


# --------------------------------------------------------------------------------------------
# Applicants
# --------------------------------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def interest(request, advert_id: int):
    customer = access_customer(request.user)
    advert = selectors.advert_public(advert_id)
    form = InterestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_express_interest(
                customer=customer,
                advert=advert,
                needs_adapted_home=form.cleaned_data["needs_adapted_home"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except LettingRefused as exc:
            _refused(form, exc)
        else:
            messages.success(
                request, f"We have your interest. Your reference is {application.reference}."
            )
            return redirect("lettings:application_detail", reference=application.reference)
    return render(request, "lettings/interest.html", {"form": form, "advert": advert})


@applicant_required
@require_GET
def application_list(request):
    customer = access_customer(request.user)
    applications = selectors.applications_for_customer(customer)[:50]
    return render(request, "lettings/application_list.html", {"applications": applications})


@applicant_required
@require_GET
def application_detail(request, reference: str):
    customer = access_customer(request.user)
    application = selectors.access_application(customer, reference)
    return render(
        request,
        "lettings/application_detail.html",
        {
            "application": application,
            "next_steps": selectors.next_steps(application),
            "S": ApplicationStatus,
        },
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def application_form(request, reference: str):
    customer = access_customer(request.user)
    application = selectors.access_application(customer, reference)
    if application.status != ApplicationStatus.OFFERED:
        return redirect("lettings:application_detail", reference=application.reference)
    posted = request.method == "POST"
    form = ApplicationForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            application_submit_form(
                application=application,
                customer=customer,
                household_summary=data["household_summary"],
                weekly_income_pence=pence(data["weekly_income"]),
                support_needs=data["support_needs"],
                previous_addresses=data["previous_addresses"],
                consent_given=data["consent_given"],
                accepts_tenancy_terms=data["accepts_tenancy_terms"],
                evidence=data["evidence"],
            )
        except LettingRefused as exc:
            _refused(form, exc)
        except ValidationError as exc:
            form.add_error("evidence", exc)
        else:
            messages.success(request, "Thank you. We have your application form.")
            return redirect("lettings:application_detail", reference=application.reference)
    return render(
        request, "lettings/application_form.html", {"form": form, "application": application}
    )


@applicant_required
@require_http_methods(["GET", "POST"])
def application_decision(request, reference: str):
    customer = access_customer(request.user)
    application = selectors.access_application(customer, reference)
    if application.status != ApplicationStatus.VIEWING_BOOKED:
        return redirect("lettings:application_detail", reference=application.reference)
    form = OfferDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == OfferDecisionForm.ACCEPT:
                application_accept(application=application, actor=request.user)
                note = "You have accepted the offer. We will be in touch about your sign-up."
            else:
                application_refuse(
                    application=application, actor=request.user, reason=form.cleaned_data["reason"]
                )
                note = "You have refused the offer. Thank you for telling us why."
        except LettingRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, note)
            return redirect("lettings:application_detail", reference=application.reference)
    return render(
        request, "lettings/application_decision.html", {"form": form, "application": application}
    )


# --------------------------------------------------------------------------------------------
# Moving in
# --------------------------------------------------------------------------------------------


def _move_in_context(customer) -> dict:
    settling_in = selectors.access_move_in(customer)
    application = settling_in.application
    void = application.advert.void
    return {
        "customer": customer,
        "settling_in": settling_in,
        "application": application,
        "advert": application.advert,
        "void": void,
        "home": settling_in.property,
        "tenancy": settling_in.tenancy,
        "safety_records": selectors.safety_records_for_void(void),
        "next_steps": selectors.next_steps(settling_in),
    }


@customer_required
@require_GET
def move_in(request):
    customer = access_customer_household(request.user)
    context = _move_in_context(customer)
    context["form"] = SatisfactionForm()
    return render(request, "lettings/move_in.html", context)


def _signed_agreement_response(settling_in) -> FileResponse:
    try:
        stored = settling_in.signed_agreement.open("rb")
    except FileNotFoundError:
        logger.error("The signed agreement of %s is missing from storage.", settling_in.reference)
        raise Http404 from None
    # Always a download, with the type we checked by its bytes: never rendered in our origin.
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=f"signed-tenancy-agreement-{settling_in.tenancy.reference}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@customer_required
@require_GET
def move_in_agreement(request):
    """The tenancy agreement as signed, to the new household only; 404 until staff upload it
    (the pack says so)."""
    customer = access_customer_household(request.user)
    settling_in = selectors.access_move_in(customer)
    if not settling_in.has_signed_agreement:
        raise Http404
    return _signed_agreement_response(settling_in)


@customer_required
@require_GET
def move_in_agreement_draft(request):
    """The terms of the tenancy as a draft, unsigned, labelled so on every page."""
    customer = access_customer_household(request.user)
    context = _move_in_context(customer)
    pdf = render_pdf("lettings/tenancy_agreement.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="tenancy-agreement-{context["tenancy"].reference}-draft-unsigned.pdf"'
    )
    return response


@customer_required
@require_http_methods(["POST"])
def move_in_feedback(request):
    customer = access_customer_household(request.user)
    context = _move_in_context(customer)
    form = SatisfactionForm(request.POST)
    if form.is_valid():
        try:
            settling_in_record_satisfaction(
                settling_in=context["settling_in"],
                customer=customer,
                satisfaction=form.cleaned_data["satisfaction"],
                comment=form.cleaned_data["comment"],
            )
        except LettingRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, "Thank you for telling us about your new home.")
            return redirect("lettings:move_in")
    context["form"] = form
    return render(request, "lettings/move_in.html", context)


# --------------------------------------------------------------------------------------------
# Mutual exchange
# --------------------------------------------------------------------------------------------


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def exchange_new(request):
    customer = access_customer_household(request.user)
    form = ExchangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            exchange = exchange_apply(customer=customer, **form.cleaned_data)
        except LettingRefused as exc:
            _refused(form, exc)
        else:
            messages.success(
                request,
                f"We have your mutual exchange application. Your reference is "
                f"{exchange.reference}.",
            )
            return redirect("casework:case_detail", reference=exchange.reference)
    return render(request, "lettings/exchange_form.html", {"form": form})


# --------------------------------------------------------------------------------------------
# Staff
# --------------------------------------------------------------------------------------------


@staff_required(Role.LETTINGS)
@require_GET
def staff_queue(request):
    context = {
        "voids": selectors.voids_empty()[:50],
        "awaiting_offer": selectors.adverts_awaiting_offer(),
        "in_progress": selectors.applications_in_progress(),
    }
    return render(request, "lettings/staff_queue.html", context)


@staff_required(Role.LETTINGS)
@require_GET
def staff_shortlist(request, advert_id: int):
    advert = selectors.advert_for_staff(advert_id)
    context = {
        "advert": advert,
        "shortlist": selectors.shortlist_for_advert(advert),
        "offer_due_at": selectors.offer_due_at(advert),
        "closed": advert.status != AdvertStatus.OPEN,
    }
    return render(request, "lettings/staff_shortlist.html", context)


@staff_required(Role.LETTINGS)
@require_http_methods(["GET", "POST"])
def staff_signed_agreement(request, settling_in_id: int):
    settling_in = selectors.settling_in_for_staff(settling_in_id)
    posted = request.method == "POST"
    form = SignedAgreementForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            settling_in_upload_signed_agreement(
                settling_in=settling_in,
                uploaded_file=form.cleaned_data["agreement"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error("agreement", exc)
        else:
            messages.success(
                request, f"The signed agreement is in {settling_in.tenancy.reference}'s pack."
            )
            return redirect("admin:lettings_settlingin_change", settling_in.pk)
    return render(
        request,
        "lettings/staff_signed_agreement.html",
        {"form": form, "settling_in": settling_in},
    )


@staff_required(Role.LETTINGS)
@require_GET
def staff_signed_agreement_download(request, settling_in_id: int):
    settling_in = selectors.settling_in_for_staff(settling_in_id)
    if not settling_in.has_signed_agreement:
        raise Http404
    return _signed_agreement_response(settling_in)


@staff_required(Role.MANAGER, Role.LETTINGS)
@require_GET
def measures(request):
    today = timezone.localdate()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    return render(
        request,
        "lettings/measures.html",
        {
            "measures": selectors.lettings_measures(since=year.start_at, until=year.end_at),
            "year": year,
            "years": reporting_years_offered(today),
        },
    )
