"""Pushing chat events to open browsers through the Channels layer.

The database is the truth: every message is committed before it is pushed, and a browser that
misses a push (socket down, layer down, Channels not installed) finds the message on its next
poll. So a failed push is logged and forgotten, never raised into the request that wrote it.
"""

from __future__ import annotations

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_GROUP = "enquiries.chat.queue"


def chat_group(chat_id: int) -> str:
    return f"enquiries.chat.{chat_id}"


def _channel_layer():
    try:
        from channels.layers import get_channel_layer
    except ImportError:
        return None
    try:
        return get_channel_layer()
    except Exception:  # a misconfigured layer must not break the chat; polling still works
        logger.warning("The channel layer could not be loaded.", exc_info=True)
        return None


def _send(group: str, event: dict) -> None:
    layer = _channel_layer()
    if layer is None:
        return
    from asgiref.sync import async_to_sync

    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # Redis down: the browsers' polling picks the message up
        logger.warning("Could not push to %s; browsers will poll.", group, exc_info=True)


def push_chat_message_on_commit(chat_id: int, payload: dict) -> None:
    """``payload`` is the message as both sides show it (``selectors.chat_message_payload``)."""
    transaction.on_commit(
        lambda: _send(chat_group(chat_id), {"type": "chat.message", "message": payload})
    )


def push_chat_state_on_commit(chat_id: int) -> None:
    """The chat's status or adviser changed: both sides and the staff queue refresh."""

    def push() -> None:
        _send(chat_group(chat_id), {"type": "chat.state", "chat_id": chat_id})
        _send(QUEUE_GROUP, {"type": "queue.changed"})

    transaction.on_commit(push)
