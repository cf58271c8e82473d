"""Authentication backends: Django's and allauth's, loading the customer record with the user.

Every customer page needs the signed-in person's customer record (whose household they see),
and the user is read on every request: joining the two makes that one query instead of two.
Staff have no customer record; ``user.customer`` then raises as before (``customer_for_user``
answers None).
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class _WithCustomer:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("customer").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class PortalModelBackend(_WithCustomer, ModelBackend):
    """Django's email-and-password backend (``force_login``, the admin)."""


class PortalAuthenticationBackend(_WithCustomer, AuthenticationBackend):
    """allauth's backend, which the portal's sign-in page uses."""
