"""Walking the URL conf: every route with its view, and a concrete path for each, for tests that
check a rule holds on every page."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def walk(patterns, prefix="", namespaces=()):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback, namespaces


def concrete_path(route: str, values: dict[str, str]) -> str:
    """A path for a route, with each parameter filled in (by name where a test gives one)."""

    def fill(match: re.Match) -> str:
        if match.group("name") in values:
            return values[match.group("name")]
        return "1" if match.group("kind") in ("int", "id") else "ENQ-2026-000001"

    path = _CONVERTER.sub(fill, route)
    path = _REGEX_GROUP.sub("1", path).replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path
