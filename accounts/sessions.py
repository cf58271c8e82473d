"""Whether a sign-in is still live, for connections that outlive the request that opened them
(the live chat's WebSockets).

A socket is opened with the browser's session and must end with it: after signing out (on this
tab or another, or when an administrator ends the session or the password changes) an open tab
must neither send nor receive. The sign-out pushes an event that closes the sockets at once;
every socket also asks ``session_still_signed_in`` before it sends or posts anything, so a
missed push (the channel layer down) cannot keep a signed-out socket alive.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils.crypto import constant_time_compare

from accounts.models import User

logger = logging.getLogger(__name__)

SESSION_ENDED_EVENT = "session.ended"


def session_group(session_key: str) -> str:
    """The channel group of the sockets opened with one session. Hashed: the session key is a
    bearer secret and group names are visible to whoever reads the channel layer."""
    digest = hashlib.sha256(session_key.encode()).hexdigest()[:40]
    return f"accounts.session.{digest}"


def session_still_signed_in(session_key: str | None, user) -> bool:
    """Whether the session ``session_key`` still signs in ``user``, read afresh from the session
    store (the same tests Django applies to every request: the user, the backend, the password
    hash, and that the account is active)."""
    if not session_key or not getattr(user, "is_authenticated", False):
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    if str(store.get(SESSION_KEY)) != str(user.pk):
        return False
    if store.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return False
    current = User.objects.filter(pk=user.pk, is_active=True).first()
    session_hash = store.get(HASH_SESSION_KEY)
    return bool(
        current is not None
        and session_hash
        and constant_time_compare(session_hash, current.get_session_auth_hash())
    )


def announce_session_ended(session_key: str | None) -> None:
    """Tell the sockets opened with this session to close. Best effort: a socket that misses
    it finds the session gone before it next sends or receives."""
    if not session_key:
        return
    try:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(
                session_group(session_key), {"type": SESSION_ENDED_EVENT}
            )
    except Exception:  # the layer down must not stop anyone signing out
        logger.warning("Could not tell open sockets that a session ended.", exc_info=True)


def announces_session_end(logout_view: Callable) -> Callable:
    """Wrap a sign-out view that does not go through the account adapter (the admin's) so
    that it too closes the sockets of the session it ends."""

    @wraps(logout_view)
    def wrapped(request, *args, **kwargs):
        session_key = request.session.session_key
        response = logout_view(request, *args, **kwargs)
        if session_key and not request.user.is_authenticated:
            announce_session_ended(session_key)
        return response

    return wrapped
