"""The complaints team's queue and every staff step of the Code, in the admin.

The queue is sorted by the earliest deadline (``CaseAdminMixin``), with stage and Quick
Resolution filters. The complaint page is read-only: each step (acknowledge, respond, extend,
escalate, close, refuse, continue as formal, learning, action updates, assign; see
``complaints.steps``) is a page of the shared step framework whose form hands its values to one
service. Logging a complaint made another way is a page of its own.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from casework.access import entry_for_reference, staff_can_see_model
from casework.admin import (
    CaseAdminMixin,
    DueFilter,
    StatusFilter,
    StepAdminMixin,
)
from complaints import forms as complaint_forms
from complaints.models import (
    Complaint,
    ComplaintStatus,
    Feedback,
    OmbudsmanRecord,
    OutstandingAction,
)
from complaints.selectors import household_cases_to_complain_about
from complaints.services import (
    ComplaintRuleBroken,
    complaint_create,
)
from kernel.roles import Role, user_has_any_role, user_roles
from tenancy.models import Customer
from tenancy.selectors import customer_search

S = ComplaintStatus


class StageFilter(admin.SimpleListFilter):
    title = "stage"
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return [("1", "Stage 1"), ("2", "Stage 2 (Final Review)")]

    def queryset(self, request, queryset):
        if self.value() in ("1", "2"):
            return queryset.filter(stage=int(self.value()))
        return queryset


class QuickResolutionFilter(admin.SimpleListFilter):
    title = "Quick Resolution"
    parameter_name = "qr"

    def lookups(self, request, model_admin):
        return [
            ("open", "Quick Resolution under way"),
            ("all", "Started as Quick Resolution"),
            ("formal", "Formal from the start"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(status=S.QUICK_RESOLUTION)
        if self.value() == "all":
            return queryset.filter(quick_resolution=True)
        if self.value() == "formal":
            return queryset.filter(quick_resolution=False)
        return queryset


def _works_complaints(request) -> bool:
    """Whether this member of staff takes complaint steps: the complaints team and managers
    (``staff_can_see_model`` gives both, and superusers)."""
    return staff_can_see_model(request.user, Complaint)


# The complaint page, read-only: every milestone with its actual time.
_SECTIONS: list[tuple[str | None, tuple[str, ...]]] = [
    (
        None,
        (
            "reference",
            "subject",
            "service_area",
            "status",
            "stage",
            "customer",
            "property",
            "received_by",
            "opened_at",
            "logged_by",
            "team",
            "assignee",
            "next_due_at",
            "closed_at",
        ),
    ),
    ("What the customer told us", ("details", "outcome_wanted", "issue_date")),
    (
        "Quick Resolution",
        ("quick_resolution", "quick_resolution_outcome", "quick_resolution_ended_at"),
    ),
    (
        "Stage 1",
        (
            "stage1_acknowledged_at",
            "stage1_outcomes_sought",
            "stage1_handler",
            "stage1_responded_at",
            "stage1_outcome",
        ),
    ),
    (
        "Stage 2 (Final Review)",
        (
            "escalated_at",
            "escalation_received_by",
            "escalation_note",
            "stage2_acknowledged_at",
            "stage2_outcomes_sought",
            "stage2_handler",
            "stage2_responded_at",
            "stage2_outcome",
        ),
    ),
    ("Not accepted", ("refused_at", "refusal_reason", "refusal_explanation")),
]


@admin.register(Complaint)
class ComplaintAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "due",
        "clock",
        "status_label",
        "stage_label",
        "case_title",
        "customer",
        "assignee",
    )
    list_filter = (
        DueFilter,
        StageFilter,
        QuickResolutionFilter,
        StatusFilter,
        "service_area",
        "team",
    )
    change_form_template = "complaints/admin/complaint_change_form.html"
    change_list_template = "complaints/admin/complaint_change_list.html"
    fieldsets = tuple((title, {"fields": names}) for title, names in _SECTIONS)
    readonly_fields: ClassVar[tuple[str, ...]] = tuple(
        name for _, names in _SECTIONS for name in names
    )

    @admin.display(description="Stage", ordering="stage")
    def stage_label(self, obj: Complaint) -> str:
        if obj.status == S.QUICK_RESOLUTION:
            return "1 (QR)"
        return str(obj.stage)

    def get_actions(self, request):
        # Every change is a step page of its own; no bulk actions on complaints.
        return {}

    def has_change_permission(self, request, obj=None):
        # The record itself is never edited by hand; the step pages check the role themselves.
        return False

    def may_take_steps(self, request) -> bool:
        return _works_complaints(request)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        info = self.opts.app_label, self.opts.model_name
        return [
            path("log/", wrap(self.log_search_view), name=f"{info[0]}_{info[1]}_log"),
            path(
                "log/<int:customer_id>/", wrap(self.log_view), name=f"{info[0]}_{info[1]}_log_for"
            ),
            *super().get_urls(),
        ]

    # -- helpers -------------------------------------------------------------------------------

    def _check(self, request) -> None:
        if not _works_complaints(request):
            raise PermissionDenied("Your role does not include complaints.")

    def _done(self, request, complaint, message):
        self.message_user(request, message, messages.SUCCESS)
        return redirect(reverse("admin:complaints_complaint_change", args=[complaint.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        complaint = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if complaint is not None:
            extra_context["evidence_pack_url"] = reverse(
                "complaints:evidence_pack", args=[complaint.reference]
            )
            extra_context["letters"] = complaint.letters.filter(sent_at__isnull=False)
            extra_context["actions"] = complaint.actions.filter(
                letter__sent_at__isnull=False
            ).prefetch_related("updates")
        return super().change_view(request, object_id, form_url, extra_context)

    # -- logging a complaint made by phone, email, letter, visit or web chat -----------------

    def log_search_view(self, request):
        self._check(request)
        form = complaint_forms.CustomerSearchForm(request.GET or None)
        results = []
        if form.is_valid():
            results = customer_search(form.cleaned_data["q"])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "results": results,
            "title": "Log a complaint: find the customer",
            "action_url_name": "admin:complaints_complaint_log_for",
            "action_label": "Log a complaint",
        }
        return TemplateResponse(request, "tenancy/admin/customer_search.html", context)

    def log_view(self, request, customer_id: int):
        self._check(request)
        customer = get_object_or_404(
            Customer.objects.select_related("tenancy__property"), pk=customer_id
        )
        cases = household_cases_to_complain_about(customer)
        form = complaint_forms.LogComplaintForm(request.POST or None, cases=cases)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            about = None
            if data.get("about"):
                about = _household_case(customer, data["about"])
            try:
                complaint = complaint_create(
                    customer=customer,
                    subject=data["subject"],
                    details=data["details"],
                    service_area=data["service_area"],
                    outcome_wanted=data["outcome_wanted"],
                    issue_date=data["issue_date"],
                    received_by=data["received_by"],
                    received_at=form.received_at(),
                    actor=request.user,
                    quick_resolution=data["quick_resolution"],
                    about=about,
                )
            except ComplaintRuleBroken as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                return self._done(request, complaint, f"Complaint {complaint.reference} logged.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "customer": customer,
            "title": f"Log a complaint for {customer.full_name}",
        }
        return TemplateResponse(request, "complaints/admin/log_form.html", context)


def _household_case(customer: Customer, reference: str):
    """The household's case with ``reference`` (for staff logging a complaint about it)."""
    entry = entry_for_reference(reference.strip().upper())
    if entry is None:
        raise ComplaintRuleBroken("That case was not found in this household.")
    case = entry.model._default_manager.filter(
        reference=reference.strip().upper(), tenancy_id=customer.household_id
    ).first()
    if case is None:
        raise ComplaintRuleBroken("That case was not found in this household.")
    return case


class _RoleScopedReadAdmin(admin.ModelAdmin):
    """Read-only lists for the complaints team and managers."""

    roles: tuple[Role, ...] = (Role.COMPLAINTS, Role.MANAGER)
    show_full_result_count = False

    def _allowed(self, request) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and user_has_any_role(request.user, self.roles)
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ActionProgressFilter(admin.SimpleListFilter):
    title = "progress"
    parameter_name = "progress"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("open", "Not done"), ("done", "Done")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(completed_at__isnull=True, due_date__lt=today)
        if self.value() == "open":
            return queryset.filter(completed_at__isnull=True)
        if self.value() == "done":
            return queryset.filter(completed_at__isnull=False)
        return queryset


@admin.register(OutstandingAction)
class OutstandingActionAdmin(_RoleScopedReadAdmin):
    """Every action a response promised, soonest first: done ones drop to the bottom."""

    list_display = ("complaint_link", "description", "due_date", "completed_at")
    list_filter = (ActionProgressFilter,)
    list_select_related = ("complaint",)
    ordering = ("completed_at", "due_date", "id")
    search_fields = ("=complaint__reference",)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(letter__sent_at__isnull=False)

    @admin.display(description="Complaint")
    def complaint_link(self, obj: OutstandingAction) -> str:
        url = reverse("admin:complaints_complaint_change", args=[obj.complaint_id])
        return format_html('<a href="{}">{}</a>', url, obj.complaint.reference)


@admin.register(Feedback)
class FeedbackAdmin(_RoleScopedReadAdmin):
    """Compliments and comments, for the team each was routed to (managers see all)."""

    roles = tuple(Role)
    list_display = ("received_at", "kind", "service_area", "team", "customer", "short_details")
    list_filter = ("kind", "service_area", "team")
    list_select_related = ("team", "customer")
    ordering = ("-received_at", "-id")
    fields = readonly_fields = (
        "kind",
        "service_area",
        "team",
        "customer",
        "received_by",
        "received_at",
        "logged_by",
        "details",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        roles = user_roles(request.user)
        if request.user.is_superuser or Role.MANAGER in roles:
            return queryset
        return queryset.filter(team__role__in=[r.value for r in roles])

    @admin.display(description="Details")
    def short_details(self, obj: Feedback) -> str:
        return obj.details[:80]


@admin.register(OmbudsmanRecord)
class OmbudsmanRecordAdmin(_RoleScopedReadAdmin):
    """Letters and reports from the Ombudsman, for the annual report and evidence packs."""

    list_display = ("received_on", "kind", "complaint", "summary")
    list_filter = ("kind",)
    list_select_related = ("complaint",)
    fields = ("kind", "received_on", "complaint", "summary")
    raw_id_fields = ("complaint",)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def save_model(self, request, obj, form, change):
        from complaints.services import ombudsman_record_save

        ombudsman_record_save(record=obj, actor=request.user)
