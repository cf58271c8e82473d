"""Reads cached until what they read changes: a generation per scope.

A page read on every request (the home page's news and the estate's latest inspection) keeps
its answer in the cache under a key of its own, beside the scope's current generation. One
``get_many`` fetches both: the answer is used only if it was computed in the current
generation. A write that changes what the scope reads calls ``generation_bump``, at once and
again when its transaction commits (a reader between the two may have stored the old answer
under the new generation; the second bump retires it). ``timeout`` bounds what no bump covers
(a home moved to another block): the answer is recomputed at least that often.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


def _generation_key(scope: str) -> str:
    return f"generation:{scope}"


def generation_cached(*, scope: str, key: str, compute: Callable[[], T], timeout: int) -> T:
    """``compute()``'s answer for ``key`` in ``scope``, from the cache while the scope's
    generation is unchanged and ``timeout`` seconds have not passed."""
    generation_key, value_key = _generation_key(scope), f"{scope}:{key}"
    found = cache.get_many([generation_key, value_key])
    generation = found.get(generation_key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, None)
        generation = cache.get(generation_key)
    stored = found.get(value_key)
    if stored is not None and generation is not None and stored[0] == generation:
        return stored[1]
    value = compute()
    if generation is not None:
        cache.set(value_key, (generation, value), timeout)
    return value


def generation_bump(scope: str) -> None:
    """Retire every answer cached in ``scope``: now, and when the caller's transaction commits."""

    def bump() -> None:
        cache.set(_generation_key(scope), uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)
