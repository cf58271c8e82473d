"""Deny by default: every view in the URL conf must declare who may see it."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kernel.access import view_access


def _walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback, namespaces


def test_every_view_declares_its_access():
    undeclared = [
        route
        for route, view, namespaces in _walk(get_resolver().url_patterns)
        if view_access(view, namespaces) is None
    ]
    assert undeclared == []


def test_the_walk_sees_the_portal_views():
    routes = {
        route: view_access(view, namespaces)
        for route, view, namespaces in _walk(get_resolver().url_patterns)
    }
    assert routes["your-home/"] == "customer"
    assert routes["healthz"] == "public"


def test_an_undeclared_view_is_refused(rf, settings):
    from django.http import HttpResponse

    from kernel.access import DenyByDefaultMiddleware

    def undeclared(request):
        return HttpResponse("secret")

    middleware = DenyByDefaultMiddleware(lambda request: HttpResponse("ok"))
    with pytest.raises(Exception) as excinfo:
        middleware.process_view(rf.get("/"), undeclared, (), {})
    assert excinfo.type.__name__ == "PermissionDenied"
