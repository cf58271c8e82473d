"""The compliance register in the admin, for the compliance team: contractors are edited here;
checks and records are read here and written only through the safety pages' services
(``/your-homes-safety/manage/``), so every clock moves with its record."""

from __future__ import annotations

from django.contrib import admin

from casework.admin import CaseAdminMixin, StepAdminMixin
from kernel.roles import Role, user_has_any_role
from safety.models import (
    AccessAttempt,
    CheckRecord,
    ComplianceCheck,
    Contractor,
    Peep,
    RemedialWork,
    SafetyReport,
)


class ComplianceTeamOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and user_has_any_role(request.user, [Role.COMPLIANCE])

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A missed check can never disappear: records and checks are kept.
        return False


@admin.register(Contractor)
class ContractorAdmin(ComplianceTeamOnly):
    list_display = [
        "name",
        "gas_safe_number",
        "electrical_scheme",
        "electrical_number",
        "is_active",
    ]
    search_fields = ["name", "gas_safe_number", "electrical_number"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(ComplianceCheck)
class ComplianceCheckAdmin(ComplianceTeamOnly):
    list_display = [
        "__str__",
        "check_type",
        "next_due_at",
        "last_done_on",
        "access_stage",
        "applies",
    ]
    list_filter = ["check_type", "applies", "access_stage"]
    list_select_related = ["property", "block"]
    search_fields = ["property__uprn", "property__postcode", "block__name"]
    show_full_result_count = False


@admin.register(CheckRecord)
class CheckRecordAdmin(ComplianceTeamOnly):
    list_display = ["__str__", "outcome", "contractor", "engineer_registration", "source"]
    list_filter = ["outcome", "source"]
    list_select_related = ["compliance_check", "contractor"]
    exclude = ["certificate"]
    show_full_result_count = False


@admin.register(RemedialWork)
class RemedialWorkAdmin(ComplianceTeamOnly):
    list_display = ["__str__", "repair_reference", "raised_at", "next_due_at", "completed_at"]
    show_full_result_count = False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ComplianceTeamOnly):
    list_display = ["__str__", "stage", "occurred_at"]
    list_filter = ["stage"]
    show_full_result_count = False


@admin.register(SafetyReport)
class SafetyReportAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "kind")
    list_filter = (*CaseAdminMixin.list_filter, "kind")
    # The household's words are records: they change only through the safety services.
    readonly_fields = (
        *CaseAdminMixin.readonly_fields,
        "received_by",
        "kind",
        "details",
        "where",
        "alteration_kind",
        "decided_at",
        "decision_reason",
        "team",
    )
    fieldsets = (
        (None, {"fields": ("reference", "status", "customer", "tenancy", "property")}),
        ("Report", {"fields": ("kind", "alteration_kind", "details", "where", "received_by")}),
        ("Decision", {"fields": ("decided_at", "decision_reason")}),
        ("Work", {"fields": ("team", "assignee", "opened_at", "closed_at", "next_due_at")}),
    )


@admin.register(Peep)
class PeepAdmin(ComplianceTeamOnly):
    list_display = ["__str__", "block", "status", "share_with_fire_service", "next_due_at"]
    list_filter = ["status", "share_with_fire_service"]
    list_select_related = ["block"]
    show_full_result_count = False
