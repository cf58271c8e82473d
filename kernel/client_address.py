"""The address of the person at the other end, behind the production proxy.

Behind a load balancer every request arrives from the proxy's address, so limits counted by
``REMOTE_ADDR`` would count everyone together: one person's mistakes would refuse everybody,
and nobody could be told apart. Each trusted proxy appends the address it received the request
from to ``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` proxies in front of us, the entry
that many places from the right is the client as the outermost proxy saw it. Entries further
left were written by the client and are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address_from(forwarded_for: str | None, trusted_proxy_count: int) -> str | None:
    """The client address named by our own proxies in ``forwarded_for``, or None when the
    header cannot have come through all of them (or names no valid address)."""
    if trusted_proxy_count <= 0 or not forwarded_for:
        return None
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < trusted_proxy_count:
        return None
    candidate = hops[-trusted_proxy_count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class TrustedProxyClientAddressMiddleware:
    """Sets ``REMOTE_ADDR`` to the real client address, so that every limit (allauth's and
    ours) and every log counts people, not the proxy. First in the middleware list."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = client_address_from(
            request.META.get("HTTP_X_FORWARDED_FOR"), settings.TRUSTED_PROXY_COUNT
        )
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
