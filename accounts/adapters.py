from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url

from accounts.sessions import announce_session_ended
from kernel.roles import staff_queue_url_name
from tenancy.services import customer_use_confirmed_email


class PortalAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up with an email alone: customers prove who they are with their tenancy
    reference (accounts.views.register) and staff accounts are made by an administrator."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        # The association's name, not the host name allauth would use, so that a customer can
        # tell our emails from a phishing copy at a glance.
        return f"{settings.ORGANISATION['name']}: {subject.strip()}"

    def get_login_redirect_url(self, request) -> str:
        # Only when nobody asked for a page (a ``next`` wins). Staff go to their own queue: the
        # customers' home page would refuse them.
        if request.user.is_staff:
            return resolve_url(staff_queue_url_name(request.user))
        customer = getattr(request.user, "customer", None)
        if customer is not None and not customer.has_household:
            # An applicant has no home to show yet: their applications are what they came for.
            return resolve_url("lettings:application_list")
        return super().get_login_redirect_url(request)

    def confirm_email(self, request, email_address) -> bool:
        # The confirmed address becomes the customer's one address for every message, at
        # registration and at every change (ACCOUNT_CHANGE_EMAIL), and never before.
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            customer_use_confirmed_email(user_id=email_address.user_id, email=email_address.email)
        return confirmed

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed sign-ins per account ("key"), which lets anyone lock a person
        # out (staff included) with five wrong passwords. Counting per account and client
        # address keeps a guesser's failures their own; the per-address limit still holds them.
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def logout(self, request) -> None:
        # The session key is gone once Django has flushed it, so read it first.
        session_key = request.session.session_key
        super().logout(request)
        announce_session_ended(session_key)
