"""Estates, inspection schedules, inspections, communal services and partners in the admin,
for customer services (who run the neighbourhood service) and managers.

An inspection is started here (``inspection_record``), scored on the phone-sized checklist page
(``neighbourhoods:staff_inspection_scoring``) and published by an action
(``inspection_publish``); its scores are read-only here, each with a link to raise a repair.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from casework.admin import CaseAdminMixin, StepAdminMixin
from kernel.roles import Role, user_has_any_role
from neighbourhoods.models import (
    CommunalService,
    Estate,
    Inspection,
    InspectionSchedule,
    InspectionScore,
    NeighbourhoodReport,
    Partner,
    ResidentInspector,
)
from neighbourhoods.services import NeighbourhoodRuleBroken, inspection_publish, inspection_record


class _NeighbourhoodAdmin(admin.ModelAdmin):
    roles: tuple[Role, ...] = (Role.CUSTOMER_SERVICES, Role.MANAGER)
    editable = True
    show_full_result_count = False

    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user_has_any_role(user, self.roles)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self.editable and self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self.editable and self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Estate)
class EstateAdmin(_NeighbourhoodAdmin):
    list_display = ("name",)
    search_fields = ("name",)
    filter_horizontal = ("blocks",)


@admin.register(InspectionSchedule)
class InspectionScheduleAdmin(_NeighbourhoodAdmin):
    list_display = ("__str__", "frequency", "next_due_on", "officer")
    list_select_related = ("estate", "block", "officer")
    ordering = ("next_due_on",)


class InspectionScoreInline(admin.TabularInline):
    model = InspectionScore
    extra = 0
    can_delete = False
    fields = readonly_fields = ("item", "score", "comment", "repair_reference", "raise_repair")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Repair")
    def raise_repair(self, obj: InspectionScore) -> str:
        if obj.repair_reference:
            return obj.repair_reference
        url = reverse("neighbourhoods:staff_raise_repair", kwargs={"score_id": obj.pk})
        return format_html('<a href="{}">Raise a repair</a>', url)


@admin.register(Inspection)
class InspectionAdmin(_NeighbourhoodAdmin):
    list_display = ("__str__", "inspected_on", "officer", "published_at")
    list_select_related = ("estate", "block", "officer")
    list_filter = ("estate",)
    ordering = ("-inspected_on",)
    fields = ("schedule", "estate", "block", "inspected_on", "summary", "scoring_link")
    readonly_fields = ("scoring_link",)
    inlines = (InspectionScoreInline,)
    actions = ("publish",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("schedule", "estate", "block", "inspected_on", "scoring_link")
        return ("scoring_link",)

    @admin.display(description="Checklist")
    def scoring_link(self, obj: Inspection) -> str:
        if obj.pk is None:
            return "Save first, then score each item."
        url = reverse("neighbourhoods:staff_inspection_scoring", kwargs={"inspection_id": obj.pk})
        return format_html('<a href="{}">Score the checklist (works on a phone)</a>', url)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["summary"])
            return
        try:
            created = inspection_record(
                actor=request.user,
                inspected_on=obj.inspected_on,
                estate=obj.estate,
                block=obj.block,
                schedule=obj.schedule,
                summary=obj.summary,
            )
        except NeighbourhoodRuleBroken as exc:
            messages.error(request, " ".join(exc.problems))
            return
        obj.pk = created.pk

    @admin.action(description="Publish the results to the area's residents")
    def publish(self, request, queryset):
        for inspection in queryset:
            try:
                inspection_publish(inspection=inspection, actor=request.user)
            except NeighbourhoodRuleBroken as exc:
                messages.error(request, f"{inspection}: {' '.join(exc.problems)}")
            else:
                messages.success(request, f"{inspection}: published.")


@admin.register(CommunalService)
class CommunalServiceAdmin(_NeighbourhoodAdmin):
    list_display = ("__str__", "frequency", "next_visit_on", "contractor")
    list_select_related = ("estate", "block")
    list_filter = ("kind",)


@admin.register(Partner)
class PartnerAdmin(_NeighbourhoodAdmin):
    list_display = ("name", "kind", "estate", "phone")
    list_filter = ("kind", "estate")
    search_fields = ("name",)


@admin.register(ResidentInspector)
class ResidentInspectorAdmin(_NeighbourhoodAdmin):
    editable = False
    list_display = ("estate", "customer", "signed_up_at")
    list_select_related = ("estate", "customer")


@admin.register(NeighbourhoodReport)
class NeighbourhoodReportAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    """Residents' reports, sorted by due time; put right through the "done" step."""

    list_display = (*CaseAdminMixin.list_display, "kind", "offensive")
    list_filter = (*CaseAdminMixin.list_filter, "kind", "offensive")
    readonly_fields = (
        *CaseAdminMixin.readonly_fields,
        "kind",
        "offensive",
        "communal_service",
        "estate",
        "block",
        "latitude",
        "longitude",
        "where",
        "details",
        "contractor",
        "done_at",
    )
