"""The outbox for staff: read-only, with one action, "Retry now", for messages that failed.

Nobody edits a message: it is the record of what we told a customer. Sensitive messages
(domestic abuse, hate crime) are shown only to the ASB team, and each read of one is logged.
"""

from __future__ import annotations

import logging

from django.contrib import admin, messages

from kernel.roles import Role, user_has_any_role
from notifications.models import WITHHELD, Message, MessageStatus
from notifications.services import message_retry

audit_log = logging.getLogger("portal.audit")


MESSAGE_READERS = (Role.CUSTOMER_SERVICES, Role.MANAGER, Role.ASB)
MESSAGE_RETRIERS = (Role.CUSTOMER_SERVICES, Role.MANAGER)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "channel",
        "status",
        "subject",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "is_sensitive", "large_print"]
    search_fields = [
        "subject",
        "to_address",
        "customer__first_name",
        "customer__last_name",
        "staff_user__email",
        "idempotency_key",
    ]
    list_select_related = ["customer", "staff_user"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
    actions = ["retry_now"]
    fieldsets = [
        (
            "Recipient",
            {"fields": ["customer", "staff_user", "outside_recipient", "channel", "to_address"]},
        ),
        ("Message", {"fields": ["subject", "body", "is_sensitive", "large_print"]}),
        (
            "Delivery",
            {
                "fields": [
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "claimed_at",
                    "sent_at",
                    "last_error",
                    "delivery_note",
                ]
            },
        ),
        ("Record", {"fields": ["idempotency_key", "created_at", "about_type", "about_id"]}),
    ]

    @admin.display(description="To", ordering="customer__last_name")
    def recipient(self, obj: Message) -> str:
        if obj.customer is not None:
            return obj.customer.full_name
        if obj.staff_user is not None:
            return obj.staff_user.email
        return obj.outside_recipient

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if user_has_any_role(request.user, [Role.ASB]):
            return queryset
        # A withheld message would tell them its recipient asked for a safe contact.
        return queryset.filter(is_sensitive=False).exclude(WITHHELD)

    def get_readonly_fields(self, request, obj=None):
        return [field for fieldset in self.fieldsets for field in fieldset[1]["fields"]]

    def has_add_permission(self, request) -> bool:
        # Messages are written by the services that report events, never by hand.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # Roles are groups without model permissions: the admin asks the role.
    def has_module_permission(self, request) -> bool:
        return request.user.is_staff and user_has_any_role(request.user, MESSAGE_READERS)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_staff and user_has_any_role(request.user, MESSAGE_READERS)

    def has_retry_permission(self, request) -> bool:
        return request.user.is_staff and user_has_any_role(request.user, MESSAGE_RETRIERS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        message = getattr(response, "context_data", {}).get("original")
        if message is not None and message.is_sensitive:
            audit_log.info("Staff user %s read sensitive message %s.", request.user.pk, message.pk)
        return response

    @admin.action(description="Retry now (failed messages only)", permissions=["retry"])
    def retry_now(self, request, queryset):
        failed_ids = list(queryset.filter(status=MessageStatus.FAILED).values_list("pk", flat=True))
        retried = sum(message_retry(message_id=pk, by=request.user) for pk in failed_ids)
        if retried:
            self.message_user(
                request,
                f"{retried} message(s) put back in the queue to send now.",
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                "None of the chosen messages had failed; nothing changed.",
                messages.WARNING,
            )
