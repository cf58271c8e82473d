"""WebSocket routes, mounted by ``portal/asgi.py`` under its ``websocket`` protocol."""

from django.urls import path

from enquiries import consumers

websocket_urlpatterns = [
    # Before the chat route, which would otherwise take "queue" as a reference.
    path("ws/chat/queue/", consumers.ChatQueueConsumer.as_asgi()),
    path("ws/chat/<str:reference>/", consumers.ChatConsumer.as_asgi()),
]
