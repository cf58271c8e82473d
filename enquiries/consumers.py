"""WebSocket side of the web chat (Django Channels).

One socket per open chat page. The customer of the household and the customer services advisers
may connect; anyone else is refused before the handshake completes. A message sent on the socket
goes through the same service as the form (``services.chat_post_message``): it is committed
first and then pushed to everyone on the chat, the sender included, so what each side sees is
what the database holds. A message the service refuses comes back as an error for that message
only, and the browser shows it as not sent.

A socket lives only as long as the sign-in that opened it (``accounts.sessions``): signing out
closes it, and it sends and posts nothing once the session has ended.
"""

from __future__ import annotations

import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.sessions import session_group, session_still_signed_in
from enquiries import realtime, selectors, services
from enquiries.models import ChatSession
from kernel.access import staff_entry_allowed
from kernel.roles import Role
from tenancy.selectors import customer_for_user

# Close codes in the application range (4000-4999): the browser falls back to polling, whose
# responses say what is wrong.
CLOSE_NOT_ALLOWED = 4403
# The session that opened the socket has ended (signed out): the page then shows the sign-in.
CLOSE_SIGNED_OUT = 4401


def _session_key(scope) -> str | None:
    session = scope.get("session")
    return getattr(session, "session_key", None) if session is not None else None


class SessionBoundConsumer(AsyncJsonWebsocketConsumer):
    """A socket that ends with the sign-in that opened it."""

    session_key: str | None = None
    session_joined = False

    async def join_session(self) -> bool:
        """At connect: whether the session is signed in; if so, listen for its end."""
        key = _session_key(self.scope)
        self.session_key = key
        if key is None or not await self.still_signed_in():
            return False
        await self.channel_layer.group_add(session_group(key), self.channel_name)
        self.session_joined = True
        return True

    async def leave_session(self) -> None:
        if self.session_joined and self.session_key:
            await self.channel_layer.group_discard(
                session_group(self.session_key), self.channel_name
            )
            self.session_joined = False

    async def still_signed_in(self) -> bool:
        return await database_sync_to_async(session_still_signed_in)(
            self.session_key, self.scope.get("user")
        )

    async def close_if_signed_out(self) -> bool:
        """Close the socket if its session has ended; whether it did."""
        if await self.still_signed_in():
            return False
        await self.close(code=CLOSE_SIGNED_OUT)
        return True

    async def session_ended(self, event):
        await self.close(code=CLOSE_SIGNED_OUT)


def _is_adviser(user) -> bool:
    # The one staff check: a password alone must not read a live chat as it is typed.
    return staff_entry_allowed(user, [Role.CUSTOMER_SERVICES])


def _chat_for(user, reference: str) -> ChatSession | None:
    """The chat if this user may follow it, else None (the same rules as the pages)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        if customer_for_user(user) is not None:
            return selectors.access_chat_for_customer(user, reference)
        if _is_adviser(user):
            return selectors.access_chat_for_staff(user, reference)
    except Http404:
        return None
    return None


def _post(user, chat_id: int, body: str, token: str | None) -> list[str]:
    """Post through the service; the errors to show against the message, if any."""
    try:
        client_token = uuid.UUID(str(token)) if token else None
    except ValueError:
        client_token = None
    chat = ChatSession.objects.select_related("customer").get(pk=chat_id)
    try:
        services.chat_post_message(chat=chat, author=user, body=body, client_token=client_token)
    except ValidationError as exc:
        return list(exc.messages)
    except PermissionError as exc:
        return [str(exc)]
    return []


def _state(chat_id: int) -> dict:
    chat = ChatSession.objects.select_related("assignee").get(pk=chat_id)
    return selectors.chat_state_payload(chat)


class ChatConsumer(SessionBoundConsumer):
    chat_id: int | None = None
    group: str | None = None

    async def connect(self):
        reference = self.scope["url_route"]["kwargs"]["reference"]
        chat = await database_sync_to_async(_chat_for)(self.scope["user"], reference)
        if chat is None or not await self.join_session():
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        self.chat_id = chat.pk
        self.group = realtime.chat_group(chat.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.leave_session()

    async def receive_json(self, content, **kwargs):
        if await self.close_if_signed_out():
            return
        if not isinstance(content, dict) or content.get("type") != "message":
            return
        token = content.get("client_token")
        body = content.get("body")
        if not isinstance(body, str):
            body = ""
        errors = await database_sync_to_async(_post)(self.scope["user"], self.chat_id, body, token)
        if errors:
            await self.send_json({"type": "error", "client_token": token, "errors": errors})

    async def chat_message(self, event):
        if await self.close_if_signed_out():
            return
        await self.send_json({"type": "message", "message": event["message"]})

    async def chat_state(self, event):
        if await self.close_if_signed_out():
            return
        state = await database_sync_to_async(_state)(self.chat_id)
        await self.send_json({"type": "state", "state": state})


class ChatQueueConsumer(SessionBoundConsumer):
    """Tells the advisers' queue page that the queue changed; the page then fetches it."""

    joined = False

    async def connect(self):
        if (
            not await database_sync_to_async(_is_adviser)(self.scope["user"])
            or not await self.join_session()
        ):
            await self.close(code=CLOSE_NOT_ALLOWED)
            return
        await self.channel_layer.group_add(realtime.QUEUE_GROUP, self.channel_name)
        self.joined = True
        await self.accept()

    async def disconnect(self, code):
        if self.joined:
            await self.channel_layer.group_discard(realtime.QUEUE_GROUP, self.channel_name)
        await self.leave_session()

    async def receive_json(self, content, **kwargs):
        return  # the queue socket only listens

    async def queue_changed(self, event):
        if await self.close_if_signed_out():
            return
        await self.send_json({"type": "queue.changed"})
