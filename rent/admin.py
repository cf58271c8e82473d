"""The income team's admin: arrears cases worked through the shared steps, rent accounts with
their ledger (read only: rows are posted by the step, never edited), Direct Debit instructions
without their account numbers, payments files and the suspense list, rent changes, rent-free
weeks and leaseholders' service charge costs (billed by an action that applies the 18-month
rule)."""

from django.contrib import admin, messages
from django.utils import timezone

from casework.admin import AuditTrailInlineMixin, CaseAdminMixin, StepAdminMixin
from kernel.roles import Role, user_has_any_role
from rent import services
from rent.models import (
    ArrearsCase,
    DirectDebitInstruction,
    LedgerEntry,
    PaymentArrangement,
    PaymentImport,
    RecoveryAction,
    RentAccount,
    RentChange,
    RentChangeLine,
    RentFreeWeek,
    ServiceChargeCost,
    SupportRequest,
    SuspensePayment,
)
from rent.services import RentRuleBroken

INCOME = [Role.INCOME]


class IncomeOnlyMixin:
    """Readable by the income team (and administrators); changed only by the services."""

    def has_module_permission(self, request):
        return user_has_any_role(request.user, INCOME)

    def has_view_permission(self, request, obj=None):
        return user_has_any_role(request.user, INCOME)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ArrangementInline(AuditTrailInlineMixin, admin.TabularInline):
    model = PaymentArrangement
    fields = ("amount_pence", "frequency", "starts_on", "status", "checked_to", "made_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request)


class RecoveryInline(AuditTrailInlineMixin, admin.TabularInline):
    model = RecoveryAction
    fields = ("stage", "planned_for", "tenant_told_at", "approved_by", "steps_taken_to_avoid_court")
    readonly_fields = fields

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request).select_related("approved_by")


@admin.register(ArrearsCase)
class ArrearsCaseAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    readonly_fields = (*CaseAdminMixin.readonly_fields, "account")
    fields = (
        "reference",
        "status",
        "customer",
        "tenancy",
        "property",
        "account",
        "team",
        "assignee",
        "opened_at",
        "next_due_at",
        "closed_at",
    )
    inlines = (*CaseAdminMixin.inlines, ArrangementInline, RecoveryInline)  # type: ignore[assignment]


class LedgerInline(AuditTrailInlineMixin, admin.TabularInline):
    model = LedgerEntry
    fields = ("on", "kind", "amount_pence", "balance_after_pence", "method", "description")
    readonly_fields = fields
    ordering = ("-on", "-id")

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request)


class DirectDebitInline(AuditTrailInlineMixin, admin.TabularInline):
    """The account's Direct Debit instructions, set up, replaced and cancelled, newest first."""

    model = DirectDebitInstruction
    fields = (
        "status",
        "account_holder",
        "sort_code",
        "account_number_masked",
        "collection_day",
        "created_at",
        "ended_at",
        "cancelled_by",
    )
    readonly_fields = fields
    ordering = ("-created_at",)

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request).select_related("cancelled_by")


@admin.register(RentAccount)
class RentAccountAdmin(StepAdminMixin, IncomeOnlyMixin, admin.ModelAdmin):
    list_display = (
        "tenancy",
        "frequency",
        "rent_pence",
        "service_charge_pence",
        "balance_pence",
        "charged_to",
    )
    list_select_related = ("tenancy",)
    search_fields = ("=tenancy__reference",)
    show_full_result_count = False
    readonly_fields = (
        "tenancy",
        "frequency",
        "rent_pence",
        "service_charge_pence",
        "other_charges_pence",
        "charged_to",
        "balance_pence",
        "household_may_see",
    )
    inlines = (DirectDebitInline, LedgerInline)

    def may_take_steps(self, request) -> bool:
        return user_has_any_role(request.user, INCOME)


@admin.register(DirectDebitInstruction)
class DirectDebitInstructionAdmin(IncomeOnlyMixin, admin.ModelAdmin):
    list_display = (
        "account",
        "account_holder",
        "sort_code",
        "account_number_masked",
        "collection_day",
        "status",
        "created_at",
        "ended_at",
    )
    list_select_related = ("account__tenancy",)
    list_filter = ("status",)
    search_fields = ("=account__tenancy__reference",)
    show_full_result_count = False


@admin.register(PaymentImport)
class PaymentImportAdmin(IncomeOnlyMixin, admin.ModelAdmin):
    list_display = (
        "filename",
        "imported_at",
        "rows",
        "posted",
        "already_posted",
        "held_in_suspense",
        "rejected",
    )


@admin.register(SuspensePayment)
class SuspensePaymentAdmin(StepAdminMixin, IncomeOnlyMixin, admin.ModelAdmin):
    """Money with no tenancy: the income team finds its home and posts it (the step)."""

    def may_take_steps(self, request) -> bool:
        return user_has_any_role(request.user, INCOME)

    list_display = (
        "paid_on",
        "reference_given",
        "amount_pence",
        "transaction_id",
        "method",
        "resolved_entry",
    )
    list_filter = ("method",)
    search_fields = ("=transaction_id", "reference_given")


@admin.register(RentChange)
class RentChangeAdmin(IncomeOnlyMixin, admin.ModelAdmin):
    list_display = ("effective_from", "reason", "cpi_percent", "prepared_by", "scheduled_at")


@admin.register(RentChangeLine)
class RentChangeLineAdmin(IncomeOnlyMixin, admin.ModelAdmin):
    list_display = (
        "change",
        "account",
        "old_rent_pence",
        "new_rent_pence",
        "notice_sent_at",
        "applied_at",
    )
    list_select_related = ("change", "account__tenancy")


@admin.register(SupportRequest)
class SupportRequestAdmin(IncomeOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "customer", "account", "phone", "best_time", "done_at")
    list_select_related = ("customer", "account__tenancy")
    list_filter = ("kind",)


@admin.register(RentFreeWeek)
class RentFreeWeekAdmin(admin.ModelAdmin):
    """Rent-free weeks are set by the income team before the year starts."""

    list_display = ("week_starting",)

    def has_module_permission(self, request):
        return user_has_any_role(request.user, INCOME)

    def has_view_permission(self, request, obj=None):
        return user_has_any_role(request.user, INCOME)

    def has_add_permission(self, request):
        return user_has_any_role(request.user, INCOME)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return user_has_any_role(request.user, INCOME)


@admin.register(ServiceChargeCost)
class ServiceChargeCostAdmin(admin.ModelAdmin):
    list_display = (
        "description",
        "account",
        "incurred_on",
        "amount_pence",
        "s20b_notice_on",
        "billed_entry",
        "out_of_time",
    )
    list_select_related = ("account__tenancy",)
    autocomplete_fields = ("account",)
    readonly_fields = ("billed_entry",)
    actions = ("bill",)

    def has_module_permission(self, request):
        return user_has_any_role(request.user, INCOME)

    def has_view_permission(self, request, obj=None):
        return user_has_any_role(request.user, INCOME)

    def has_add_permission(self, request):
        return user_has_any_role(request.user, INCOME)

    def has_change_permission(self, request, obj=None):
        return user_has_any_role(request.user, INCOME) and (
            obj is None or obj.billed_entry_id is None
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="Past 18 months (s20B): cannot be billed")
    def out_of_time(self, obj) -> bool:
        return obj.billed_entry_id is None and obj.is_out_of_time(timezone.localdate())

    @admin.action(description="Bill the chosen costs through the accounts")
    def bill(self, request, queryset):
        for cost in queryset:
            try:
                services.service_charge_cost_bill(cost=cost, actor=request.user)
            except RentRuleBroken as exc:
                self.message_user(request, f"{cost}: {exc}", messages.ERROR)
            else:
                self.message_user(request, f"{cost}: billed.", messages.SUCCESS)
