from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import resolve_url

from kernel.roles import staff_queue_url_name


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
        return super().get_login_redirect_url(request)
