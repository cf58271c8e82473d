"""The chat's WebSocket side (Django Channels): who may connect, messages pushed to both sides
once stored, errors for one message only, and the advisers' queue told of changes.

Needs ``channels`` installed (the web process serves WebSockets through Daphne).
"""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.db import connections

from enquiries import services
from enquiries.consumers import CLOSE_NOT_ALLOWED
from enquiries.models import ChatMessage
from enquiries.routing import websocket_urlpatterns
from tests.enquiries.factories import WithSignedInSession, start_chat

# The consumers read the database from their own threads and push after commit, so these tests
# commit for real; the data migrations' rows are restored after each.
pytestmark = pytest.mark.django_db(transaction=True)

ROUTER = WithSignedInSession(URLRouter(websocket_urlpatterns))


@pytest.fixture(autouse=True)
def _in_memory_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def _run(coroutine_function):
    """Run a scenario on a fresh event loop in a thread of its own: a browser test earlier in
    the same worker leaves Playwright's loop running in this thread, where asgiref refuses to
    start another."""

    async def scenario_then_close_connections():
        try:
            return await coroutine_function()
        finally:
            # The consumers' database thread must not keep the test database open after us.
            await database_sync_to_async(connections.close_all)()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, scenario_then_close_connections()).result()


def _socket(path: str, user) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(ROUTER, path)
    communicator.scope["user"] = user
    return communicator


def test_the_customer_sends_a_message_and_both_sides_receive_it(tenant_a, adviser, monday):
    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    token = str(uuid.uuid4())
    path = f"/ws/chat/{chat.reference}/"

    async def scenario():
        customer, staff = _socket(path, tenant_a.user), _socket(path, adviser)
        assert (await customer.connect())[0] and (await staff.connect())[0]
        await customer.send_json_to({"type": "message", "body": "<b>Hi</b>", "client_token": token})
        seen_by_customer = await customer.receive_json_from(timeout=2)
        seen_by_adviser = await staff.receive_json_from(timeout=2)
        await customer.disconnect()
        await staff.disconnect()
        return seen_by_customer, seen_by_adviser

    seen_by_customer, seen_by_adviser = _run(scenario)

    assert seen_by_customer == seen_by_adviser
    assert seen_by_customer["type"] == "message"
    assert seen_by_customer["message"]["body"] == "<b>Hi</b>"
    assert seen_by_customer["message"]["client_token"] == token
    assert ChatMessage.objects.filter(chat=chat, body="<b>Hi</b>").count() == 1


def test_a_message_sent_twice_with_its_token_is_stored_once(tenant_a, monday):
    chat = start_chat(tenant_a)
    token = str(uuid.uuid4())

    async def scenario():
        customer = _socket(f"/ws/chat/{chat.reference}/", tenant_a.user)
        await customer.connect()
        for _ in range(2):
            await customer.send_json_to(
                {"type": "message", "body": "Hello?", "client_token": token}
            )
        first = await customer.receive_json_from(timeout=2)
        assert await customer.receive_nothing(timeout=0.3)
        await customer.disconnect()
        return first

    first = _run(scenario)

    assert first["message"]["body"] == "Hello?"
    assert ChatMessage.objects.filter(chat=chat, body="Hello?").count() == 1


def test_a_refused_message_comes_back_as_an_error_for_that_message(tenant_a, monday):
    chat = start_chat(tenant_a)
    token = str(uuid.uuid4())

    async def scenario():
        customer = _socket(f"/ws/chat/{chat.reference}/", tenant_a.user)
        await customer.connect()
        await customer.send_json_to({"type": "message", "body": "   ", "client_token": token})
        reply = await customer.receive_json_from(timeout=2)
        await customer.disconnect()
        return reply

    reply = _run(scenario)

    assert reply == {"type": "error", "client_token": token, "errors": ["Enter a message"]}
    assert ChatMessage.objects.filter(chat=chat).count() == 1


def test_picking_up_tells_the_customer_the_advisers_first_name(tenant_a, adviser, monday):
    chat = start_chat(tenant_a)

    async def scenario():
        customer = _socket(f"/ws/chat/{chat.reference}/", tenant_a.user)
        await customer.connect()

        await database_sync_to_async(services.chat_pick_up)(chat=chat, adviser=adviser)
        events = [await customer.receive_json_from(timeout=2) for _ in range(2)]
        await customer.disconnect()
        return events

    events = _run(scenario)

    by_type = {event["type"]: event for event in events}
    assert by_type["message"]["message"]["body"] == "You are chatting with Priya."
    assert by_type["state"]["state"]["adviser"] == "Priya"
    assert by_type["state"]["state"]["status"] == "active"


@pytest.mark.parametrize("who", ["other_household", "repairs_officer", "anonymous"])
def test_nobody_else_can_open_the_chats_socket(tenant_a, tenant_b, repairs_officer, monday, who):
    from django.contrib.auth.models import AnonymousUser

    chat = start_chat(tenant_a)
    user = {
        "other_household": tenant_b.user,
        "repairs_officer": repairs_officer,
        "anonymous": AnonymousUser(),
    }[who]

    async def scenario():
        socket = _socket(f"/ws/chat/{chat.reference}/", user)
        return await socket.connect()

    connected, code = _run(scenario)

    assert connected is False
    assert code == CLOSE_NOT_ALLOWED


def test_the_advisers_queue_hears_of_a_new_chat(tenant_a, adviser, monday):
    async def scenario():
        queue = _socket("/ws/chat/queue/", adviser)
        assert (await queue.connect())[0]

        await database_sync_to_async(start_chat)(tenant_a)
        event = await queue.receive_json_from(timeout=2)
        await queue.disconnect()
        return event

    assert _run(scenario) == {"type": "queue.changed"}


def test_customers_cannot_listen_to_the_queue(tenant_a, monday):
    async def scenario():
        return await _socket("/ws/chat/queue/", tenant_a.user).connect()

    assert _run(scenario) == (False, CLOSE_NOT_ALLOWED)


def test_the_signed_in_session_opens_the_socket_through_the_auth_stack(client, tenant_a, monday):
    chat = start_chat(tenant_a)
    client.force_login(tenant_a.user)
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    app = AllowedHostsOriginValidator(AuthMiddlewareStack(ROUTER))

    async def scenario(origin: bytes):
        socket = WebsocketCommunicator(
            app,
            f"/ws/chat/{chat.reference}/",
            headers=[(b"cookie", cookie.encode()), (b"origin", origin)],
        )
        result = await socket.connect()
        await socket.disconnect()
        return result

    assert _run(lambda: scenario(b"http://testserver"))[0] is True
    assert _run(lambda: scenario(b"http://evil.example"))[0] is False


def test_the_portals_asgi_application_routes_the_chat_socket(client, tenant_a, monday):
    from portal.asgi import application

    chat = start_chat(tenant_a)
    client.force_login(tenant_a.user)
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"

    async def scenario():
        socket = WebsocketCommunicator(
            application,
            f"/ws/chat/{chat.reference}/",
            headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")],
        )
        result = await socket.connect()
        await socket.disconnect()
        return result

    assert _run(scenario)[0] is True


def _socket_with_cookie(client, path: str) -> WebsocketCommunicator:
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    return WebsocketCommunicator(
        AllowedHostsOriginValidator(AuthMiddlewareStack(ROUTER)),
        path,
        headers=[(b"cookie", cookie.encode()), (b"origin", b"http://testserver")],
    )


def test_signing_out_closes_the_open_chat_socket(client, tenant_a, monday):
    from django.urls import reverse

    from enquiries.consumers import CLOSE_SIGNED_OUT

    chat = start_chat(tenant_a)
    client.force_login(tenant_a.user)
    socket = _socket_with_cookie(client, f"/ws/chat/{chat.reference}/")

    async def scenario():
        assert (await socket.connect())[0]
        await database_sync_to_async(client.post)(reverse("account_logout"))
        closed = await socket.receive_output(timeout=2)
        await socket.send_json_to({"type": "message", "body": "Still here?"})
        await socket.wait()
        return closed

    closed = _run(scenario)

    assert closed == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}
    assert not ChatMessage.objects.filter(chat=chat, body="Still here?").exists()


def test_a_socket_whose_session_ended_unseen_neither_sends_nor_receives(
    client, tenant_a, adviser, monday
):
    """The sign-out push can be missed (the channel layer down, the session ended by an
    administrator): the socket then finds the session gone before it posts or shows anything."""
    from enquiries.consumers import CLOSE_SIGNED_OUT

    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    client.force_login(tenant_a.user)
    # Ended behind the socket's back, in every store (the cache as well as the database).
    session = client.session
    path = f"/ws/chat/{chat.reference}/"
    customer = _socket_with_cookie(client, path)
    staff = _socket(path, adviser)

    async def scenario():
        assert (await customer.connect())[0] and (await staff.connect())[0]
        await database_sync_to_async(session.delete)()
        await customer.send_json_to({"type": "message", "body": "After sign-out"})
        refused = await customer.receive_output(timeout=2)
        return refused

    refused = _run(scenario)

    assert refused == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}
    assert not ChatMessage.objects.filter(chat=chat, body="After sign-out").exists()


def test_a_signed_out_socket_is_not_sent_the_chat(client, tenant_a, adviser, monday):
    from enquiries.consumers import CLOSE_SIGNED_OUT

    chat = start_chat(tenant_a)
    services.chat_pick_up(chat=chat, adviser=adviser)
    client.force_login(tenant_a.user)
    session = client.session
    customer = _socket_with_cookie(client, f"/ws/chat/{chat.reference}/")

    async def scenario():
        assert (await customer.connect())[0]
        await database_sync_to_async(session.delete)()
        await database_sync_to_async(services.chat_post_message)(
            chat=chat, author=adviser, body="Your account number is 12345"
        )
        return await customer.receive_output(timeout=2)

    assert _run(scenario) == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}


def test_signing_out_of_the_admin_closes_the_advisers_socket(client, tenant_a, adviser, monday):
    from django.urls import reverse

    from enquiries.consumers import CLOSE_SIGNED_OUT

    chat = start_chat(tenant_a)
    client.force_login(adviser)
    socket = _socket_with_cookie(client, f"/ws/chat/{chat.reference}/")

    async def scenario():
        assert (await socket.connect())[0]
        await database_sync_to_async(client.post)(reverse("admin:logout"))
        return await socket.receive_output(timeout=2)

    assert _run(scenario) == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}
