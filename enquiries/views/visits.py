"""Home visit pages: the customer's list and the staff pages that book and record a visit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from casework.services import InvalidTransition
from enquiries import selectors, services
from enquiries.forms import (
    VisitBookForm,
    VisitCancelForm,
    VisitCompleteForm,
    VisitLateForm,
    VisitNoAccessForm,
)
from enquiries.models import VisitStatus
from enquiries.views._common import VISIT_STAFF_ROLES
from kernel.access import customer_required, staff_required
from kernel.roles import Role, user_roles
from kernel.url_parameters import reference_from_query
from tenancy.selectors import access_customer_household


@customer_required
@require_GET
def visit_list(request):
    customer = access_customer_household(request.user)
    visits = list(selectors.home_visits_for_household(customer)[:50])
    now = timezone.now()
    return render(
        request,
        "enquiries/visit_list.html",
        {
            "upcoming": [
                v
                for v in visits
                if v.ends_at >= now and v.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE)
            ][::-1],
            "past": [
                v
                for v in visits
                if not (
                    v.ends_at >= now and v.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE)
                )
            ],
        },
    )


def _officers():
    return User.objects.filter(is_staff=True, is_active=True).order_by("first_name", "last_name")


@staff_required(*VISIT_STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def staff_visit_book(request, customer_id: int):
    customer = selectors.access_customer_for_staff(customer_id)
    enquiry = None
    if request.GET.get("enquiry"):
        reference = reference_from_query(request.GET["enquiry"])
        if reference is None:
            raise Http404
        enquiry = selectors.access_enquiry_for_staff(request.user, reference)
    if request.method == "POST":
        form = VisitBookForm(request.POST, officers=_officers())
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_book(
                    customer=customer,
                    officer=data["officer"],
                    purpose=data["purpose"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    booked_by=request.user,
                    enquiry=enquiry,
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as refusal:
                form.add_error("starts_at", refusal)
            else:
                messages.success(request, "Visit booked. The customer has been told.")
                return redirect("enquiries:staff_visit", pk=visit.pk)
    else:
        form = VisitBookForm(officers=_officers(), initial={"officer": request.user.pk})
    return render(
        request,
        "enquiries/staff/visit_book.html",
        {"form": form, "customer": customer, "enquiry": enquiry},
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_GET
def staff_visit_list(request):
    roles = user_roles(request.user)
    everyone = request.user.is_superuser or bool(roles & {Role.CUSTOMER_SERVICES, Role.MANAGER})
    return render(
        request,
        "enquiries/staff/visit_list.html",
        {
            "visits": selectors.visits_for_staff(request.user, everyone=everyone),
            "everyone": everyone,
        },
    )


def _visit_page(request, visit, status=200, **forms):
    return render(
        request,
        "enquiries/staff/visit.html",
        {
            "visit": visit,
            "is_open": visit.status in (VisitStatus.BOOKED, VisitStatus.RUNNING_LATE),
            "late_form": forms.get("late_form") or VisitLateForm(),
            "no_access_form": forms.get("no_access_form") or VisitNoAccessForm(),
            "complete_form": forms.get("complete_form") or VisitCompleteForm(),
            "cancel_form": forms.get("cancel_form") or VisitCancelForm(),
            "form": next(iter(forms.values()), None),
        },
        status=status,
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_GET
def staff_visit(request, pk: int):
    return _visit_page(request, selectors.access_visit_for_staff(request.user, pk))


def _visit_action(request, pk: int, form_class, form_name: str, act, done: str):
    visit = selectors.access_visit_for_staff(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(visit, form.cleaned_data)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect("enquiries:staff_visit", pk=visit.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("enquiries:staff_visit", pk=visit.pk)
    return _visit_page(request, visit, **{form_name: form})


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_late(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitLateForm,
        "late_form",
        lambda visit, data: services.visit_running_late(
            visit=visit, expected_at=data["expected_at"], actor=request.user
        ),
        "The customer has been told you are running late.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_no_access(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitNoAccessForm,
        "no_access_form",
        lambda visit, data: services.visit_no_access(
            visit=visit, actor=request.user, notes=data["notes"]
        ),
        "Recorded: no one in, card left. The customer has been sent a message.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_complete(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitCompleteForm,
        "complete_form",
        lambda visit, data: services.visit_complete(
            visit=visit,
            actor=request.user,
            identification_shown=data["identification_shown"] == "yes",
            notes=data["notes"],
        ),
        "Visit recorded.",
    )


@staff_required(*VISIT_STAFF_ROLES)
@require_POST
def staff_visit_cancel(request, pk: int):
    return _visit_action(
        request,
        pk,
        VisitCancelForm,
        "cancel_form",
        lambda visit, data: services.visit_cancel(
            visit=visit, actor=request.user, reason=data["reason"]
        ),
        "Visit cancelled. The customer has been told.",
    )
