"""Direct Debit backends, chosen by ``settings.DIRECT_DEBIT_BACKEND`` (a dotted path).

A backend has two methods, each called inside the transaction that records what the tenant
asked for: ``lodge(request)`` hands a new instruction to the payment provider (or writes it for
the provider's file) and returns the provider's reference; ``cancel(request)`` tells the
provider to stop collecting under an instruction. Either raises ``DirectDebitLodgeError`` if
the provider refuses, in which case nothing is recorded and the tenant is asked to try again. The full account number is in the
``DirectDebitRequest`` only; the portal keeps its last two digits.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string


class DirectDebitLodgeError(Exception):
    """The provider did not accept the instruction."""


@dataclass(frozen=True)
class DirectDebitRequest:
    tenancy_reference: str
    account_holder: str
    sort_code: str
    account_number: str = field(repr=False)
    collection_day: int
    replaces: str = ""


@dataclass(frozen=True)
class DirectDebitCancellation:
    tenancy_reference: str
    provider_reference: str


class BaseDirectDebitBackend:
    def lodge(self, request: DirectDebitRequest) -> str:
        raise NotImplementedError

    def cancel(self, request: DirectDebitCancellation) -> None:
        raise NotImplementedError


class ConsoleDirectDebitBackend(BaseDirectDebitBackend):
    """Writes each instruction to standard output, with the account number masked: a console
    in development is still a log someone may read."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout

    def lodge(self, request: DirectDebitRequest) -> str:
        reference = f"DD-{request.tenancy_reference}"
        self.stream.write(
            f"Direct Debit instruction {reference}: {request.account_holder}, sort code "
            f"{request.sort_code}, account ******{request.account_number[-2:]}, collected on "
            f"day {request.collection_day}"
            + (f", replacing {request.replaces}" if request.replaces else "")
            + f"\n{'-' * 79}\n"
        )
        self.stream.flush()
        return reference

    def cancel(self, request: DirectDebitCancellation) -> None:
        self.stream.write(
            f"Direct Debit instruction {request.provider_reference} for "
            f"{request.tenancy_reference}: cancel\n{'-' * 79}\n"
        )
        self.stream.flush()


class MemoryDirectDebitBackend(BaseDirectDebitBackend):
    """Keeps every request in ``lodged`` and ``cancelled`` for the tests to read (and to
    clear)."""

    lodged: ClassVar[list[DirectDebitRequest]] = []
    cancelled: ClassVar[list[DirectDebitCancellation]] = []
    fail_next: ClassVar[bool] = False

    def lodge(self, request: DirectDebitRequest) -> str:
        if MemoryDirectDebitBackend.fail_next:
            MemoryDirectDebitBackend.fail_next = False
            raise DirectDebitLodgeError("The provider refused the instruction.")
        self.lodged.append(request)
        return f"MEM-{len(self.lodged)}"

    def cancel(self, request: DirectDebitCancellation) -> None:
        if MemoryDirectDebitBackend.fail_next:
            MemoryDirectDebitBackend.fail_next = False
            raise DirectDebitLodgeError("The provider did not take the cancellation.")
        self.cancelled.append(request)


def direct_debit_backend() -> BaseDirectDebitBackend:
    return import_string(settings.DIRECT_DEBIT_BACKEND)()
