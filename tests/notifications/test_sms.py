"""Text message backends. The HTTP one is tested against a local server: no network."""

from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from notifications.sms import (
    ConsoleSmsBackend,
    HttpSmsBackend,
    MemorySmsBackend,
    SmsDeliveryError,
    SmsMessage,
    get_sms_backend,
)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A client that gave up (the timeout test) leaves a broken pipe: expected, not news.
        pass


class FakeProvider:
    """A local SMS provider that records each request and answers with a chosen status."""

    def __init__(self, status: int = 202, reply: bytes = b'{"id": "abc"}', delay: float = 0):
        self.status = status
        self.reply = reply
        self.delay = delay
        self.requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                provider.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                if provider.delay:
                    threading.Event().wait(provider.delay)
                self.send_response(provider.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(provider.reply)

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/messages"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_http_backend_posts_json_with_a_bearer_token():
    with FakeProvider() as provider:
        backend = HttpSmsBackend(url=provider.url, token="s3cret", sender="Riverside")
        backend.send(to="07700 900456", body="Your repair is booked.")

    [request] = provider.requests
    assert request["path"] == "/v1/messages"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {
        "to": "07700 900456",
        "from": "Riverside",
        "body": "Your repair is booked.",
    }


def test_http_backend_reads_its_settings(settings):
    with FakeProvider() as provider:
        settings.SMS_BACKEND = "notifications.sms.HttpSmsBackend"
        settings.SMS_HTTP_URL = provider.url
        settings.SMS_HTTP_TOKEN = "from-settings"
        settings.SMS_SENDER = "RHomes"
        get_sms_backend().send(to="07700 900456", body="Hello")

    [request] = provider.requests
    assert request["headers"]["Authorization"] == "Bearer from-settings"
    assert request["json"]["from"] == "RHomes"


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_http_backend_raises_when_the_provider_refuses(status):
    with FakeProvider(status=status, reply=b'{"error": "no"}') as provider:
        backend = HttpSmsBackend(url=provider.url, token="s3cret")
        with pytest.raises(SmsDeliveryError, match=f"answered {status}"):
            backend.send(to="07700 900456", body="Hello")
    assert len(provider.requests) == 1


def test_http_backend_raises_on_an_unexpected_success_code_outside_2xx():
    # 1xx/3xx are not acceptance either; urllib turns an unfollowed 304 into an HTTPError.
    with FakeProvider(status=304, reply=b"") as provider:
        backend = HttpSmsBackend(url=provider.url, token="s3cret")
        with pytest.raises(SmsDeliveryError, match="answered 304"):
            backend.send(to="07700 900456", body="Hello")


def test_http_backend_gives_up_on_a_hung_provider():
    with FakeProvider(delay=2) as provider:
        backend = HttpSmsBackend(url=provider.url, token="s3cret", timeout=0.2)
        with pytest.raises(SmsDeliveryError, match="unreachable"):
            backend.send(to="07700 900456", body="Hello")


def test_http_backend_raises_when_nobody_answers():
    with FakeProvider() as provider:
        url = provider.url
    backend = HttpSmsBackend(url=url, token="s3cret", timeout=1)

    with pytest.raises(SmsDeliveryError, match="unreachable"):
        backend.send(to="07700 900456", body="Hello")


@pytest.mark.parametrize(
    ("url", "token"),
    [("", "s3cret"), ("file:///etc/passwd", "s3cret"), ("https://sms.example/v1", "")],
    ids=["no-url", "not-http", "no-token"],
)
def test_http_backend_refuses_incomplete_settings(url, token):
    with pytest.raises(ImproperlyConfigured):
        HttpSmsBackend(url=url, token=token)


def test_memory_backend_keeps_each_text():
    MemorySmsBackend(sender="Riverside").send(to="07700 900456", body="Hello")

    assert MemorySmsBackend.outbox == [
        SmsMessage(to="07700 900456", sender="Riverside", body="Hello")
    ]


def test_console_backend_writes_the_text():
    stream = io.StringIO()

    ConsoleSmsBackend(sender="Riverside", stream=stream).send(to="07700 900456", body="Hello")

    assert "SMS from Riverside to 07700 900456:\nHello\n" in stream.getvalue()


def test_backend_is_chosen_by_setting(settings):
    settings.SMS_BACKEND = "notifications.sms.ConsoleSmsBackend"

    assert isinstance(get_sms_backend(), ConsoleSmsBackend)
