"""Reads about people who sign in."""

from __future__ import annotations

from allauth.mfa.models import Authenticator


def has_authenticator_app(user) -> bool:
    """Whether ``user`` has set up an authenticator app: allauth then asks for its code at
    every sign-in. Staff must have one before any page that shows other people's records."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
