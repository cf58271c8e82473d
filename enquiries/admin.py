"""Staff queues for Keeping in Touch: enquiries (customer services, and each specialist team
for what is referred to it), web chats and call backs, soonest due first; home visits and the
imported call figures to look up.

Work on a case (acknowledge, answer, refer, record a call) is done on its staff page, linked
from each row, whose forms call the services: the admin shows and sorts, it does not change
status or clocks.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from casework.admin import CaseAdminMixin
from enquiries.models import CallBack, CallStatistic, ChatSession, Enquiry, HomeVisit
from kernel.roles import Role, user_roles


@admin.register(Enquiry)
class EnquiryAdmin(CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "topic", "received_by", "work")
    list_filter = (
        *CaseAdminMixin.list_filter,
        "topic",
        "received_by",
        "at_home_visit",
        "resolved_at_first_contact",
    )
    # The customer's words and our answer are records: they change only through the enquiry
    # services, which write the timeline. Staff may re-file the topic and pass the case on.
    readonly_fields = (
        *CaseAdminMixin.readonly_fields,
        "received_by",
        "subject",
        "details",
        "resolved_at_first_contact",
        "answer",
        # Referral tells the customer who has their enquiry: it is done on the enquiry's
        # staff page (enquiry_refer), not by editing the team here.
        "team",
        "at_home_visit",
        "logged_by",
        "acknowledged_at",
        "contacted_back_at",
        "answered_at",
        "complaint_offered_at",
        "complaint_choice",
        "work",
    )
    fieldsets = (
        (None, {"fields": ("reference", "status", "customer", "tenancy", "property")}),
        (
            "Enquiry",
            {
                "fields": (
                    "topic",
                    "subject",
                    "details",
                    "received_by",
                    "resolved_at_first_contact",
                    "answer",
                )
            },
        ),
        ("Queue", {"fields": ("team", "assignee", "opened_at", "next_due_at", "closed_at")}),
        (
            "Milestones",
            {
                "fields": (
                    "at_home_visit",
                    "logged_by",
                    "acknowledged_at",
                    "contacted_back_at",
                    "answered_at",
                    "complaint_offered_at",
                    "complaint_choice",
                    "work",
                )
            },
        ),
    )

    @admin.display(description="Work on it")
    def work(self, obj) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">Open the enquiry page</a>',
            reverse("enquiries:staff_enquiry", args=[obj.reference]),
        )


@admin.register(ChatSession)
class ChatSessionAdmin(CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "picked_up_at", "work")
    readonly_fields = (*CaseAdminMixin.readonly_fields, "team", "picked_up_at", "work")
    fieldsets = (
        (None, {"fields": ("reference", "status", "customer", "tenancy", "property", "work")}),
        (
            "Queue",
            {
                "fields": (
                    "team",
                    "assignee",
                    "opened_at",
                    "picked_up_at",
                    "next_due_at",
                    "closed_at",
                )
            },
        ),
    )

    @admin.display(description="Transcript")
    def work(self, obj) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">Open the chat</a>', reverse("enquiries:staff_chat", args=[obj.reference])
        )


@admin.register(CallBack)
class CallBackAdmin(CaseAdminMixin, admin.ModelAdmin):
    list_display = (
        *CaseAdminMixin.list_display,
        "phone",
        "preferred_date",
        "preferred_time",
        "attempts",
        "work",
    )
    list_filter = (*CaseAdminMixin.list_filter, "outcome")
    readonly_fields = (
        *CaseAdminMixin.readonly_fields,
        "team",
        "phone",
        "reason",
        "preferred_date",
        "preferred_time",
        "attempts",
        "outcome",
        "outcome_note",
        "completed_at",
        "logged_by",
        "work",
    )
    fieldsets = (
        (None, {"fields": ("reference", "status", "customer", "tenancy", "property", "work")}),
        (
            "Call back",
            {
                "fields": (
                    "phone",
                    "reason",
                    "preferred_date",
                    "preferred_time",
                    "attempts",
                    "outcome",
                    "outcome_note",
                    "completed_at",
                    "logged_by",
                )
            },
        ),
        ("Queue", {"fields": ("team", "assignee", "opened_at", "next_due_at", "closed_at")}),
    )

    @admin.display(description="Record the call")
    def work(self, obj) -> str:
        if obj.pk is None:
            return ""
        return format_html(
            '<a href="{}">Open the call back</a>',
            reverse("enquiries:staff_callback", args=[obj.reference]),
        )


def _customer_services_or_manager(request) -> bool:
    user = request.user
    return bool(
        user.is_active
        and user.is_staff
        and (user.is_superuser or user_roles(user) & {Role.CUSTOMER_SERVICES, Role.MANAGER})
    )


class LookUpOnlyAdmin(admin.ModelAdmin):
    """Rows written by services (booking a visit, importing a file): looked up here, never
    edited, by customer services and managers."""

    show_full_result_count = False

    def has_module_permission(self, request):
        return _customer_services_or_manager(request)

    def has_view_permission(self, request, obj=None):
        return _customer_services_or_manager(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HomeVisit)
class HomeVisitAdmin(LookUpOnlyAdmin):
    list_display = (
        "starts_at",
        "customer",
        "property",
        "officer",
        "status",
        "identification_shown",
        "card_left_at",
    )
    list_filter = ("status", "identification_shown")
    list_select_related = ("customer", "property", "officer")
    search_fields = ("=customer__tenancy__reference", "customer__last_name")
    ordering = ("-starts_at",)


@admin.register(CallStatistic)
class CallStatisticAdmin(LookUpOnlyAdmin):
    list_display = (
        "day",
        "offered",
        "answered",
        "abandoned",
        "callbacks_offered",
        "answer_rate_percent",
        "imported_by",
    )
    list_select_related = ("imported_by",)
    date_hierarchy = "day"

    @admin.display(description="Answer rate")
    def answer_rate_percent(self, obj: CallStatistic) -> str:
        rate = obj.answer_rate
        return "-" if rate is None else f"{rate:.1%}"
