"""The repairs team's side: queues by trade and patch sorted by due time, a repair raised for a
customer who phoned, and the step pages of the shared step framework (assign, book, no
access, attended, completed, the Awaab's Law steps, the builder's response; see
``repairs.steps``). Every step calls one service; nothing is edited by hand that has a rule
behind it.

The queue is built for a million repairs: the default view is open repairs, which the partial
indexes on (trade | patch, next_due_at, opened_at) serve in due order; the paginator never
counts more than it shows; filters take their choices from code, not from a DISTINCT.
"""

from __future__ import annotations

from typing import cast

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from casework.admin import (
    AuditTrailInlineMixin,
    BoundedCountPaginator,
    CaseAdminMixin,
    StepAdminMixin,
)
from kernel.roles import Role, user_has_any_role
from kernel.url_parameters import id_from_query
from repairs import services, staff_forms
from repairs.catalogue import Priority
from repairs.models import (
    Appointment,
    AppointmentStatus,
    CapacityPlan,
    Contractor,
    Hazard,
    Operative,
    PlannedWork,
    PlannedWorkEvent,
    Programme,
    Repair,
    RepairStatus,
    Slot,
)
from repairs.services import HazardAnswers, RepairRefused
from tenancy.models import Customer, Property
from tenancy.selectors import customer_search

S = RepairStatus
QUEUE_ROLES = (Role.REPAIRS, Role.MANAGER)


def _works_repairs(request) -> bool:
    return user_has_any_role(request.user, QUEUE_ROLES)


class PatchFilter(admin.SimpleListFilter):
    title = "patch"
    parameter_name = "patch"

    def lookups(self, request, model_admin):
        patches = cache.get_or_set(
            "repairs:patches",
            lambda: sorted(
                set(Property.objects.order_by().values_list("patch", flat=True).distinct())
            ),
            600,
        )
        return [(p, p) for p in patches]

    def queryset(self, request, queryset):
        return queryset.filter(patch=self.value()) if self.value() else queryset


class AppointmentInline(admin.TabularInline):
    model = Appointment
    fields = readonly_fields = (
        "date",
        "window",
        "status",
        "operative",
        "booked_at",
        "booked_by",
        "ended_at",
        "reason",
        "after_due_reason",
        "reminded_at",
    )
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("-booked_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("operative", "booked_by")

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HazardInline(admin.StackedInline):
    model = Hazard
    fields = readonly_fields = (
        "hazard_type",
        "category",
        "category_reason",
        "awaabs_law_applies",
        "aware_at",
        "rooms",
        "extent",
        "vulnerabilities",
        "investigated_at",
        "investigated_by",
        "finding",
        "findings",
        "summary_sent_at",
        "summary",
        "made_safe_at",
        "further_works_needed",
        "further_works_long_stop",
        "further_works_started_at",
        "further_works_completed_at",
    )
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "Awaab's Law record"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Repair)
class RepairAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    # The shared case page, plus the flag on a booking later than the repair's clocks allow.
    change_form_template = "repairs/admin/repair_change_form.html"
    list_display = (
        "reference",
        "due",
        "clock",
        "status_label",
        "priority_label",
        "appointment",
        "case_title",
        "trade",
        "patch",
    )
    list_filter = (
        "trade",
        PatchFilter,
        "priority",
        *CaseAdminMixin.list_filter,
        "is_defect",
        "location",
    )
    change_list_template = "repairs/admin/repair_change_list.html"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "reference",
                    "title",
                    "status",
                    "priority",
                    "trade",
                    "patch",
                    "customer",
                    "property",
                    "location",
                    "block",
                    "received_by",
                    "team",
                    "assignee",
                    "opened_at",
                    "target_at",
                    "next_due_at",
                    "closed_at",
                )
            },
        ),
        (
            "What the customer told us",
            {"fields": ("description", "emergency_reason", "catalogue_code", "rechargeable")},
        ),
        (
            "The work",
            {
                "fields": (
                    "operative",
                    "contractor",
                    "attended_at",
                    "made_safe_at",
                    "completed_at",
                    "first_time_fix",
                    "follow_on_of",
                    "reopened_count",
                )
            },
        ),
        (
            "Builder's guarantee",
            {
                "fields": (
                    "is_defect",
                    "builder_name",
                    "builder_referred_at",
                    "builder_response",
                    "builder_responded_at",
                )
            },
        ),
        (
            "How we did",
            {
                "fields": (
                    "satisfaction_overall",
                    "satisfaction_time",
                    "satisfaction_comment",
                    "satisfaction_at",
                )
            },
        ),
    )
    readonly_fields = tuple(
        name
        for _title, options in fieldsets
        for name in cast(tuple[str, ...], options["fields"])
        if name not in ("team", "assignee")
    )
    inlines = (HazardInline, AppointmentInline, *CaseAdminMixin.inlines)  # type: ignore[assignment]

    @admin.display(description="Priority", ordering="priority")
    def priority_label(self, obj: Repair) -> str:
        return Priority(obj.priority).name.capitalize()

    @admin.display(description="Appointment")
    def appointment(self, obj: Repair) -> str:
        booked = getattr(obj, "booked_appointments", None)
        if not booked:
            return "-"
        if booked[0].is_after_due:
            return f"{booked[0]} (AFTER THE DUE DATE: {booked[0].after_due_reason})"
        return str(booked[0])

    def get_queryset(self, request):
        booked = Prefetch(
            "appointments",
            to_attr="booked_appointments",
            queryset=Appointment.objects.filter(status=AppointmentStatus.BOOKED),
        )
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("changelist"):
            queryset = queryset.prefetch_related(booked).defer(
                "description", "satisfaction_comment", "builder_response"
            )
        return queryset

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.upper().startswith(Repair.REFERENCE_PREFIX + "-"):
            # A reference is unique: the exact lookup uses its index, not a scan of the queue.
            return queryset.filter(reference=term.upper()), False
        return super().get_search_results(request, queryset, search_term)

    def has_change_permission(self, request, obj=None):
        return self._works_this_queue(request)

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("raise/", wrap(self.raise_search_view), name="repairs_repair_raise"),
            path(
                "raise/<int:customer_id>/", wrap(self.raise_view), name="repairs_repair_raise_for"
            ),
            *super().get_urls(),
        ]

    def _check(self, request) -> None:
        if not (self._works_this_queue(request) and self._may_act(request)):
            raise PermissionDenied("Your role does not include raising or working repairs.")

    def may_take_steps(self, request) -> bool:
        return self._works_this_queue(request) and self._may_act(request)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        repair = self.get_object(request, object_id)
        extra_context = extra_context or {}
        appointment = (
            repair.appointments.filter(status=AppointmentStatus.BOOKED).first()
            if repair is not None
            else None
        )
        if appointment is not None:
            # Flag a booking made late with a reason, and one that a clock started since
            # (an investigation's make-safe step) has overtaken.
            due_day = services.visit_due_day(repair)
            if appointment.is_after_due or (due_day is not None and appointment.date > due_day):
                extra_context["after_due_appointment"] = appointment
                extra_context["visit_due_day"] = due_day
        return super().change_view(request, object_id, form_url, extra_context)

    def _may_act(self, request) -> bool:
        return request.user.is_superuser or user_has_any_role(
            request.user, [Role.REPAIRS, Role.CUSTOMER_SERVICES]
        )

    # -- raising a repair for a customer who phoned -------------------------------------------

    def raise_search_view(self, request):
        self._check(request)
        form = staff_forms.CustomerSearchForm(request.GET or None)
        results: list[Customer] = []
        if form.is_valid():
            results = customer_search(form.cleaned_data["q"], current_only=True)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "results": results,
            "title": "Raise a repair: find the customer",
            "action_url_name": "admin:repairs_repair_raise_for",
            "action_label": "Raise a repair",
        }
        return TemplateResponse(request, "tenancy/admin/customer_search.html", context)

    def raise_view(self, request, customer_id: int):
        self._check(request)
        customer = get_object_or_404(
            Customer.objects.select_related("tenancy__property__block"), pk=customer_id
        )
        form = staff_forms.RaiseRepairForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            hazard = None
            entry = services.catalogue.find_item(data["item"])
            if entry is not None and entry.hazard_type:
                hazard = HazardAnswers(
                    hazard_type=entry.hazard_type,
                    rooms=tuple(data["damp_rooms"]),
                    extent=data["damp_extent"],
                    vulnerabilities=tuple(data["damp_people"]),
                )
            try:
                repair = services.repair_create(
                    customer=customer,
                    item_code=data["item"],
                    location=data["location"],
                    description=data["description"],
                    received_by=data["received_by"],
                    actor=request.user,
                    emergency_reason=data["emergency"],
                    priority=data["priority"] or None,
                    hazard=hazard,
                    idempotency_key=data["idempotency_key"],
                )
            except RepairRefused as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    f"Repair {repair.reference} raised. {services._what_happens_next(repair)}",
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:repairs_repair_change", args=[repair.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "customer": customer,
            "locations": services.reportable_locations(customer),
            "title": f"Raise a repair for {customer.full_name}",
        }
        return TemplateResponse(request, "repairs/admin/raise_form.html", context)


class _RepairsTeamAdmin(admin.ModelAdmin):
    """Reference data the repairs team and managers keep: capacity, operatives, programmes."""

    def _allowed(self, request) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and (request.user.is_superuser or _works_repairs(request))
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hazard)
class HazardAdmin(_RepairsTeamAdmin):
    """Every Awaab's Law record, newest first: the oversight list. Steps are recorded on the
    repair's page."""

    list_display = (
        "repair",
        "hazard_type",
        "category",
        "awaabs_law_applies",
        "aware_at",
        "investigated_at",
        "summary_sent_at",
        "made_safe_at",
        "further_works_started_at",
    )
    list_filter = ("category", "hazard_type", "awaabs_law_applies")
    list_select_related = ("repair",)
    ordering = ("-aware_at",)
    show_full_result_count = False
    paginator = BoundedCountPaginator
    readonly_fields = HazardInline.readonly_fields + ("repair",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CapacityPlan)
class CapacityPlanAdmin(_RepairsTeamAdmin):
    list_display = ("trade", "patch", "window", "jobs")
    list_editable = ("jobs",)
    list_filter = ("trade", "window")
    actions = ("open_slots",)

    @admin.action(description="Open slots for the next 4 weeks from these plans")
    def open_slots(self, request, queryset):
        created = services.slots_open()
        self.message_user(request, f"{created} new slots opened.", messages.SUCCESS)


@admin.register(Slot)
class SlotAdmin(_RepairsTeamAdmin):
    list_display = ("date", "window", "trade", "patch", "capacity", "booked")
    list_editable = ("capacity",)
    list_filter = ("trade", "window")
    date_hierarchy = "date"
    readonly_fields = ("booked",)
    ordering = ("date", "trade", "patch")
    show_full_result_count = False
    paginator = BoundedCountPaginator


@admin.register(Operative)
class OperativeAdmin(_RepairsTeamAdmin):
    list_display = ("name", "trade", "contractor", "mobile", "is_active")
    list_filter = ("trade", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("contractor",)


@admin.register(Contractor)
class ContractorAdmin(_RepairsTeamAdmin):
    list_display = ("name", "email", "phone")
    search_fields = ("name",)


class PlannedWorkInline(admin.TabularInline):
    model = PlannedWork
    fields = readonly_fields = (
        "property",
        "status",
        "observations_by",
        "inspection_date",
        "works_date",
        "completed_at",
    )
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("property")[:200]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(_RepairsTeamAdmin):
    list_display = ("name", "kind", "works_start", "works_end")
    list_filter = ("kind",)
    search_fields = ("name",)
    actions = ("consult_leaseholders",)

    @admin.action(description="Consult the leaseholders and shared owners (30 days)")
    def consult_leaseholders(self, request, queryset):
        sent = sum(
            services.programme_consult_leaseholders(programme=p, actor=request.user)
            for p in queryset
        )
        self.message_user(request, f"{sent} consultation notices sent.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/add-homes/",
                self.admin_site.admin_view(self.add_homes_view),
                name="repairs_programme_add_homes",
            ),
            *super().get_urls(),
        ]

    def add_homes_view(self, request, object_id):
        if not self._allowed(request):
            raise PermissionDenied
        programme = get_object_or_404(Programme, pk=id_from_query(unquote(object_id)))
        form = staff_forms.ProgrammeHomesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            homes = Property.objects.filter(form.homes_q())
            added = services.programme_add_homes(
                programme=programme, homes=homes, actor=request.user
            )
            self.message_user(request, f"{added} homes added.", messages.SUCCESS)
            return redirect(reverse("admin:repairs_programme_change", args=[programme.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": f"Add homes to {programme.name}",
            "object": programme,
        }
        return TemplateResponse(request, "repairs/admin/simple_form.html", context)


class PlannedWorkEventInline(AuditTrailInlineMixin, admin.TabularInline):
    """The home's planned-works history: written by the services, never edited. The parent
    admin has already decided who sees these works; their history comes with it."""

    model = PlannedWorkEvent
    fields = readonly_fields = ("occurred_at", "from_status", "to_status", "actor", "note")
    verbose_name = "change"
    verbose_name_plural = "history"


@admin.register(PlannedWork)
class PlannedWorkAdmin(StepAdminMixin, _RepairsTeamAdmin):
    list_display = (
        "property",
        "programme",
        "status",
        "observations_by",
        "inspection_date",
        "works_date",
    )
    list_filter = ("status", "programme")
    list_select_related = ("property", "programme")
    search_fields = ("=property__uprn", "property__postcode")
    show_full_result_count = False
    paginator = BoundedCountPaginator
    inlines = (PlannedWorkEventInline,)
    readonly_fields = (
        "programme",
        "property",
        "status",
        "consulted_at",
        "observations_by",
        "observations",
        "inspection_date",
        "inspection_window",
        "inspected_at",
        "confirmed_works",
        "works_date",
        "works_window",
        "completed_at",
        "updated_at",
    )

    def has_add_permission(self, request):
        return False

    def may_take_steps(self, request) -> bool:
        return self._allowed(request)
