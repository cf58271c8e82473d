"""Customer registration: prove who you are with facts only the household knows; or, to apply
for a home without ever having been one of our tenants, an applicant's account."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.email_verification import send_verification_email_for_user
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import ApplicantSignUpForm, CreateLoginForm, FindYourTenancyForm
from accounts.services import (
    EmailInUse,
    RegistrationRefused,
    applicant_register,
    customer_register,
    registration_attempt_allowed,
)
from kernel.access import public
from tenancy.models import Customer
from tenancy.selectors import customer_find_for_registration

SESSION_KEY = "registration_customer_id"
NOT_MATCHED = (
    "We could not match those details to a tenancy without an account. Check them against "
    "your tenancy agreement, or call us and we will help."
)
TOO_MANY = "You have tried too many times. Wait an hour and try again, or call us and we will help."


def _client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


@public
@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    # An empty POST must still be validated, so that it shows the error summary.
    form = FindYourTenancyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not registration_attempt_allowed(client_key=_client_key(request)):
            form.add_error(None, TOO_MANY)
        else:
            customer = customer_find_for_registration(**form.cleaned_data)
            if customer is None:
                form.add_error(None, NOT_MATCHED)
            else:
                request.session[SESSION_KEY] = customer.pk
                return redirect("accounts:register_login")
    return render(request, "accounts/register.html", {"form": form})


@public
@require_http_methods(["GET", "POST"])
def register_login(request):
    customer_id = request.session.get(SESSION_KEY)
    customer = (
        Customer.objects.filter(pk=customer_id, user__isnull=True).first() if customer_id else None
    )
    if customer is None:
        return redirect("accounts:register")
    form = CreateLoginForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = customer_register(customer=customer, **form.cleaned_data)
        except EmailInUse as refusal:
            # The page must not say the address has an account (that would let anyone who
            # passed step one test addresses), so the owner of the address hears it instead.
            get_adapter(request).send_account_already_exists_mail(refusal.email)
        except RegistrationRefused:
            # Someone else in the household linked this record a moment ago.
            del request.session[SESSION_KEY]
            return redirect("accounts:register")
        else:
            send_verification_email_for_user(request, user)
        del request.session[SESSION_KEY]
        return redirect("accounts:register_done")
    return render(request, "accounts/register_login.html", {"form": form, "customer": customer})


@public
@require_http_methods(["GET", "POST"])
def register_applicant(request):
    """An account to apply for a home, for someone who has never been one of our tenants
    (docs/decisions/0030): the same limit on attempts, the same email confirmation and the same
    silence about an address already in use as a tenant's registration."""
    if request.user.is_authenticated:
        return redirect("lettings:application_list")
    form = ApplicantSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not registration_attempt_allowed(client_key=_client_key(request)):
            form.add_error(None, TOO_MANY)
        else:
            try:
                user = applicant_register(**form.cleaned_data)
            except EmailInUse as refusal:
                # As at register_login: the owner of the address hears it, not the keyboard.
                get_adapter(request).send_account_already_exists_mail(refusal.email)
            else:
                send_verification_email_for_user(request, user)
            return redirect("accounts:register_done")
    return render(request, "accounts/register_applicant.html", {"form": form})


@public
@require_http_methods(["GET"])
def register_done(request):
    return render(request, "accounts/register_done.html")
