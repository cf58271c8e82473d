"""Staff queues for Keeping in Touch: enquiries (customer services, and each specialist team
for what is referred to it), web chats and call backs, soonest due first; home visits and the
imported call figures to look up.

An enquiry is worked on its admin page through the shared step framework (acknowledge, answer,
refer, extend, contact back, offer a complaint; see ``enquiries.steps``), each step calling one
service. Chats and call backs are worked on their staff pages, linked from each row. The admin
never changes status or clocks by hand.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from casework.admin import CaseAdminMixin, StepAdminMixin
from casework.selectors import attachments_for_case
from enquiries.models import CallBack, CallStatistic, ChatSession, Enquiry, HomeVisit
from kernel.formatting import london_short_date
from kernel.roles import Role, user_roles


@admin.register(Enquiry)
class EnquiryAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "topic", "received_by")
    change_form_template = "enquiries/admin/enquiry_change_form.html"
    # The page shows the customer with their household and home.
    change_select_related = (*CaseAdminMixin.change_select_related, "customer__tenancy__property")
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
        # Referral tells the customer who has their enquiry: it is the "refer" step
        # (enquiry_refer), not an edit of the team here.
        "team",
        "at_home_visit",
        "logged_by",
        "acknowledged_at",
        "contacted_back_at",
        "answered_at",
        "complaint_offered_at",
        "complaint_choice",
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
                )
            },
        ),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enquiry = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if enquiry is not None:
            extra_context["customer"] = enquiry.customer
            extra_context["attachments"] = attachments_for_case(enquiry, customer_view=False)
            extra_context["visits"] = enquiry.home_visits.select_related("officer")
        return super().change_view(request, object_id, form_url, extra_context)


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
    # The team is the call-back team's own: its column gives way so the queue fits a laptop.
    list_display = (
        *(c for c in CaseAdminMixin.list_display if c != "team"),
        "phone",
        "preferred",
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

    @admin.display(description="Asked for", ordering="preferred_date")
    def preferred(self, obj) -> str:
        day = london_short_date(obj.preferred_date) if obj.preferred_date else "As soon as possible"
        return f"{day}, {obj.get_preferred_time_display()}" if obj.preferred_time else day

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
