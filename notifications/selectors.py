from django.db.models import QuerySet

from notifications.models import Message


def messages_for_customer(customer) -> QuerySet[Message]:
    """Every message we have sent (or are sending) to this person, newest first."""
    return Message.objects.filter(customer=customer).order_by("-created_at", "-id")
