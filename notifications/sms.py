"""Text message backends, chosen by ``settings.SMS_BACKEND`` (a dotted path).

A backend has one method, ``send(*, to, body)``, which returns when the provider has accepted the
text and raises ``SmsDeliveryError`` (or any exception) when it has not. Retrying is not the
backend's job: the outbox row keeps the attempts and the next try time.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    """The provider did not accept the text message."""


@dataclass(frozen=True)
class SmsMessage:
    to: str
    sender: str
    body: str


class BaseSmsBackend:
    def __init__(self, *, sender: str | None = None) -> None:
        self.sender: str = sender if sender is not None else str(settings.SMS_SENDER or "")

    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each text to standard output, like Django's console email backend."""

    def __init__(self, *, sender: str | None = None, stream=None) -> None:
        super().__init__(sender=sender)
        self.stream = stream or sys.stdout

    def send(self, *, to: str, body: str) -> None:
        self.stream.write(f"SMS from {self.sender} to {to}:\n{body}\n{'-' * 79}\n")
        self.stream.flush()


class MemorySmsBackend(BaseSmsBackend):
    """Keeps every text in ``MemorySmsBackend.outbox`` for the tests to read (and to clear)."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append(SmsMessage(to=to, sender=self.sender, body=body))


class HttpSmsBackend(BaseSmsBackend):
    """POSTs ``{"to", "from", "body"}`` as JSON with a bearer token to ``settings.SMS_HTTP_URL``.

    Any answer other than 2xx, a refused connection or a timeout raises, so the outbox retries.
    """

    def __init__(
        self,
        *,
        url: str | None = None,
        token: str | None = None,
        sender: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(sender=sender)
        self.url: str = url if url is not None else str(settings.SMS_HTTP_URL or "")
        self.token: str = token if token is not None else str(settings.SMS_HTTP_TOKEN or "")
        self.timeout = timeout
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http(s) URL for HttpSmsBackend.")
        if not self.token:
            raise ImproperlyConfigured("SMS_HTTP_TOKEN must be set for HttpSmsBackend.")

    def send(self, *, to: str, body: str) -> None:
        payload = json.dumps({"to": to, "from": self.sender, "body": body}).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
        try:
            # The timeout keeps a hung provider from holding a claimed message past its lease.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                detail = response.read(500)
        except urllib.error.HTTPError as exc:
            # The provider's own words help staff, but never the token or the whole reply.
            raise SmsDeliveryError(
                f"SMS provider answered {exc.code}: {exc.read(300).decode(errors='replace')}"
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"SMS provider unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsDeliveryError(
                f"SMS provider answered {status}: {detail.decode(errors='replace')}"
            )


def get_sms_backend() -> BaseSmsBackend:
    backend_class = import_string(str(settings.SMS_BACKEND))
    return backend_class()
