"""The clock engine in the admin: managers edit the catalogue and closure days; deadlines are
read-only (they change only through the services, called by each app's transitions)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html

from kernel.roles import Role, user_has_any_role, user_roles
from sla import calendar, services
from sla.catalogue import DEFAULTS_BY_CODE
from sla.models import ClosureDay, Commitment, Deadline, Source


def _is_staff_with_a_role(user) -> bool:
    return user.is_active and user.is_staff and (user.is_superuser or bool(user_roles(user)))


def _is_manager(user) -> bool:
    return user.is_active and user.is_staff and user_has_any_role(user, [Role.MANAGER])


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = Commitment
        fields = [
            "code",
            "title",
            "promise",
            "clock",
            "amount",
            "starts_on",
            "source",
            "law_reference",
            "target_percent",
            "warn_before",
            "is_constraint",
            "is_active",
        ]

    def clean(self):
        cleaned = super().clean()
        code = self.instance.code or cleaned.get("code")
        default = DEFAULTS_BY_CODE.get(code or "")
        amount = cleaned.get("amount")
        source = cleaned.get("source", self.instance.source)
        # Where the law sets the time, the seeded amount is the legal maximum: a manager may
        # promise better, never worse (the 10 working days of CHC 6.3 cannot become 15).
        if (
            default is not None
            and source != Source.LANDLORD
            and amount is not None
            and cleaned.get("clock", self.instance.clock) == default.clock
            and amount > default.amount
        ):
            self.add_error(
                "amount",
                f"The law allows at most {default.amount} here ({default.law_reference}).",
            )
        return cleaned


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    form = CommitmentForm
    list_display = [
        "code",
        "title",
        "clock",
        "amount",
        "source",
        "target_percent",
        "warn_before",
        "is_constraint",
        "is_active",
    ]
    list_filter = ["source", "clock", "is_constraint", "is_active"]
    search_fields = ["code", "title", "promise", "law_reference"]
    ordering = ["code"]

    def get_readonly_fields(self, request, obj=None):
        # Code is how the apps start and meet clocks: renaming it would orphan them.
        return ["code"] if obj is not None else []

    def has_module_permission(self, request):
        return _is_staff_with_a_role(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_staff_with_a_role(request.user)

    def has_add_permission(self, request):
        return _is_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return _is_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # retire with is_active: deadlines and statistics refer to it


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "reason"]
    date_hierarchy = "date"
    search_fields = ["reason"]

    @admin.display(description="Day")
    def weekday(self, obj: ClosureDay) -> str:
        return f"{obj.date:%A}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.reset_cache_now_and_on_commit()

    def delete_model(self, request, obj):
        services.closure_day_remove(closure_day=obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar.reset_cache_now_and_on_commit()

    def has_module_permission(self, request):
        return _is_staff_with_a_role(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_staff_with_a_role(request.user)

    def has_add_permission(self, request):
        return _is_manager(request.user)

    def has_change_permission(self, request, obj=None):
        return _is_manager(request.user)

    def has_delete_permission(self, request, obj=None):
        return _is_manager(request.user)


class DeadlineStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("open", "Open"),
            ("paused", "Paused"),
            ("breached", "Missed"),
            ("met", "Met"),
            ("met_late", "Met late"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "open":
                return queryset.open()
            case "paused":
                return queryset.filter(met_at__isnull=True, paused_at__isnull=False)
            case "breached":
                return queryset.filter(breached_at__isnull=False)
            case "met":
                return queryset.filter(met_at__isnull=False)
            case "met_late":
                return queryset.filter(met_at__gt=F("due_at"))
        return queryset


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the unfiltered list uses the planner's row estimate instead of a
    ``COUNT(*)`` over millions of deadlines on every page view; filtered lists count."""

    @cached_property
    def count(self) -> int:
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s",
                    [Deadline._meta.db_table],
                )
                row = cursor.fetchone()
            # -1 before the table is first analysed; small tables are cheap to count.
            if row is not None and row[0] > 10_000:
                return int(row[0])
        return super().count


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    list_display = [
        "commitment_code",
        "case_link",
        "started_at",
        "due_at",
        "state",
        "met_at",
        "breached_at",
    ]
    list_filter = [DeadlineStateFilter, "commitment__source", "clock"]
    list_select_related = ["commitment", "content_type"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = EstimatedCountPaginator
    ordering = ["-pk"]  # the primary key index: no sort over millions of rows

    @admin.display(description="Commitment", ordering="commitment__code")
    def commitment_code(self, obj: Deadline) -> str:
        return obj.commitment.code

    @admin.display(description="Case")
    def case_link(self, obj: Deadline) -> str:
        content_type = obj.content_type
        label = f"{content_type.name} {obj.object_id}"
        try:
            url = reverse(
                f"admin:{content_type.app_label}_{content_type.model}_change",
                args=[obj.object_id],
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="State")
    def state(self, obj: Deadline) -> str:
        if obj.met_at is not None:
            return "Met on time" if obj.met_on_time else "Met late"
        if obj.breached_at is not None:
            return "Missed"
        if obj.paused_at is not None:
            return "Paused"
        return "Open"

    def has_module_permission(self, request):
        return _is_manager(request.user)

    def has_view_permission(self, request, obj=None):
        return _is_manager(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
