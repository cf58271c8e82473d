"""The ASB team's queues: cases soonest due first (the earlier of the acknowledgement and the
action clocks), high risk flagged; and reports made without signing in, soonest due first.

A case is worked through the shared steps (``asb.steps``); the admin never changes status or
clocks by hand. Only the ASB role sees either queue (docs/decisions/0003, 0014), and every read
of a case or a report is logged.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from asb import forms as asb_forms
from asb import selectors
from asb.models import QUEUE_ORDER, AnonymousReport, AsbAction, AsbCase, DiaryEntry, Risk
from asb.services import AsbRuleBroken, anonymous_report_acknowledge, asb_report
from casework.access import log_sensitive_read
from casework.admin import AuditTrailInlineMixin, CaseAdminMixin, StepAdminMixin
from casework.selectors import clock_state
from kernel.formatting import london_date, london_short_datetime
from kernel.roles import Role, user_roles
from tenancy.selectors import customer_search

SAFE_CONTACT_FIELDS = (
    "safe_phone",
    "may_leave_message",
    "safe_times",
    "code_word",
    "may_email",
    "may_text",
    "may_write",
    "may_use_portal",
)


class ActionInline(AuditTrailInlineMixin, admin.TabularInline):
    model = AsbAction
    fields = readonly_fields = ("description", "owner", "due_on", "agreed_at", "done_at")

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request).select_related("owner")


class DiaryInline(AuditTrailInlineMixin, admin.TabularInline):
    model = DiaryEntry
    fields = readonly_fields = ("happened_on", "what_happened", "added_at", "added_by")

    def get_queryset(self, request):
        return admin.TabularInline.get_queryset(self, request).select_related("added_by")


class RiskFilter(admin.SimpleListFilter):
    title = "risk"
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        return Risk.choices

    def queryset(self, request, queryset):
        if self.value() in Risk.values:
            return queryset.filter(risk=self.value())
        return queryset


@admin.register(AsbCase)
class AsbCaseAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    change_list_template = "asb/admin/asbcase_change_list.html"
    # What fits a laptop's width: the kind of case says what it is, and every case here is the
    # ASB team's, so the team column would say nothing.
    list_display = (
        "reference",
        "due",
        "clock",
        "status_label",
        "kind",
        "risk_flag",
        "customer",
        "assignee",
    )
    list_filter = (*CaseAdminMixin.list_filter, "kind", RiskFilter, "received_by")
    # High risk first among cases due at the same time: the queue is sorted by the earlier of
    # risk and due time (``asb.models.QUEUE_ORDER``, which an index serves).
    ordering = (*QUEUE_ORDER, "pk")  # type: ignore[assignment]
    readonly_fields = (
        *CaseAdminMixin.readonly_fields,
        "team",
        "received_by",
        "kind",
        "category",
        "hate_characteristic",
        "place",
        "place_detail",
        "started_on",
        "details",
        "witnesses",
        "other_party_address",
        "other_party_tenancy",
        "other_reports",
        "logged_by",
        "risk",
        "risk_assessed_at",
        "marac_referred_at",
        "acknowledged_at",
        "review_on",
        "close_asked_at",
        "close_consent",
        "close_reason",
        "satisfaction",
        *SAFE_CONTACT_FIELDS,
    )
    fieldsets = (
        ("Safe contact: every contact keeps to this", {"fields": SAFE_CONTACT_FIELDS}),
        (None, {"fields": ("reference", "status", "customer", "tenancy", "property")}),
        (
            "Report",
            {
                "fields": (
                    "kind",
                    "category",
                    "hate_characteristic",
                    "place",
                    "place_detail",
                    "started_on",
                    "details",
                    "witnesses",
                    "received_by",
                    "logged_by",
                )
            },
        ),
        (
            "Other party (never shown to a customer)",
            {"fields": ("other_party_address", "other_party_tenancy", "other_reports")},
        ),
        (
            "Risk and review",
            {"fields": ("risk", "risk_assessed_at", "marac_referred_at", "review_on")},
        ),
        ("Queue", {"fields": ("team", "assignee", "opened_at", "next_due_at", "closed_at")}),
        (
            "Closing",
            {
                "fields": (
                    "acknowledged_at",
                    "close_asked_at",
                    "close_consent",
                    "close_reason",
                    "satisfaction",
                )
            },
        ),
    )
    inlines = (ActionInline, DiaryInline, *CaseAdminMixin.inlines)  # type: ignore[assignment]

    # What the case page shows of the rows a case points to, read with it.
    CASE_PAGE_RELATED = (
        "customer",
        "tenancy",
        "property",
        "team",
        "assignee",
        "logged_by",
        "other_party_tenancy",
    )

    def get_object(self, request, object_id, from_field=None):
        """The case, read once a request with what its page shows: the steps, the read log
        and the form each ask for it, and each of its links was a query of its own. Only
        through ``get_queryset``, so only a reader the queue allows gets one."""
        read = request.__dict__.setdefault("_asb_cases", {})
        key = (object_id, from_field)
        if key not in read:
            queryset = self.get_queryset(request).select_related(*self.CASE_PAGE_RELATED)
            field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
            try:
                read[key] = queryset.get(**{field.name: field.to_python(object_id)})
            except (AsbCase.DoesNotExist, ValidationError, ValueError):
                read[key] = None
        return read[key]

    def _step_object(self, request, object_id):
        # The step list and the step pages read the case as the change page does, once.
        return self.get_object(request, unquote(object_id))

    def get_urls(self):
        def wrap(view):
            return self.admin_site.admin_view(view)

        return [
            path("log/", wrap(self.log_search_view), name="asb_asbcase_log"),
            path("log/<int:customer_id>/", wrap(self.log_view), name="asb_asbcase_log_for"),
            *super().get_urls(),
        ]

    def _check_officer(self, request) -> None:
        if not self.may_take_steps(request):
            raise PermissionDenied("Your role does not include this work.")

    def log_search_view(self, request):
        """Log a report taken by phone, email, letter or visit: first find the reporter."""
        self._check_officer(request)
        form = asb_forms.StaffCustomerSearchForm(request.GET or None)
        results = customer_search(form.cleaned_data["q"]) if form.is_valid() else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "results": results,
            "title": "Log a report: find the reporter",
            "action_url_name": "admin:asb_asbcase_log_for",
            "action_label": "Log a report from this person",
        }
        return TemplateResponse(request, "tenancy/admin/customer_search.html", context)

    def log_view(self, request, customer_id: int):
        """The same service as the portal's form (``asb_report``), with how and when the report
        came in: its clock starts from then."""
        self._check_officer(request)
        customer = selectors.customer_for_staff(customer_id)
        if customer is None:
            raise Http404
        form = asb_forms.StaffLogReportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                case = asb_report(
                    customer=customer,
                    incident=form.incident(witnesses=data.get("witnesses", "")),
                    safe_contact=form.safe_contact(),
                    received_by=data["received_by"],
                    received_at=data["received_at"],
                    logged_by=request.user,
                    idempotency_key=data["idempotency_key"],
                )
            except AsbRuleBroken as exc:
                for problem in exc.problems:
                    form.add_error(None, problem)
            else:
                self.message_user(request, f"Logged as {case.reference}.", messages.SUCCESS)
                return redirect("admin:asb_asbcase_change", case.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "customer": customer,
            "title": f"Log a report from {customer.full_name}",
        }
        return TemplateResponse(request, "asb/admin/log_form.html", context)

    def action_checkbox(self, obj) -> SafeString:
        """Django's row checkbox, the same markup written directly: rendered through the form
        widget's template it took a third of the queue page's time (50 renders a page)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description="Risk", ordering="risk")
    def risk_flag(self, obj) -> str:
        if obj.risk == Risk.HIGH:
            return format_html('<strong class="casework-overdue">{}</strong>', "High")
        return obj.get_risk_display() if obj.risk else "Not assessed"

    @admin.display(description="Other reports about the same home")
    def other_reports(self, obj) -> str:
        others = selectors.other_reports_about_same_home(obj)
        if not others:
            return "None"
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({}, {})',
            (
                (
                    reverse("admin:asb_asbcase_change", args=[other.pk]),
                    other.reference,
                    other.get_kind_display(),
                    london_date(other.opened_at),
                )
                for other in others
            ),
        )


def _is_asb_officer(request) -> bool:
    user = request.user
    return user.is_active and user.is_staff and Role.ASB in user_roles(user)


@admin.register(AnonymousReport)
class AnonymousReportAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "received",
        "due",
        "clock",
        "kind",
        "contact_way",
        "acknowledged_at",
        "closed_at",
    )
    list_filter = ("kind", "contact_way")
    # Open reports first, the soonest due of them first (an acknowledged one has no clock left).
    ordering = (
        F("closed_at").asc(nulls_first=True),
        F("next_due_at").asc(nulls_last=True),
        "received_at",
        "pk",
    )
    show_full_result_count = False
    actions = ("acknowledge", "close")
    readonly_fields = tuple(
        f.name for f in AnonymousReport._meta.fields if f.name not in ("id", "idempotency_key")
    )
    exclude = ("idempotency_key",)

    class Media:
        css = {"all": ("casework/admin.css",)}

    @admin.display(description="Received", ordering="received_at")
    def received(self, obj) -> str:
        return london_short_datetime(obj.received_at)

    @admin.display(description="Acknowledge by", ordering="next_due_at")
    def due(self, obj) -> str:
        return london_short_datetime(obj.next_due_at) if obj.next_due_at else "Acknowledged"

    @admin.display(description="Clock")
    def clock(self, obj) -> str:
        """Red, amber or green as a word and a colour, as on every case queue."""
        if obj.next_due_at is None:
            return ""
        state = clock_state(obj.next_due_at, warn_at=None, now=timezone.now())
        return format_html(
            '<strong class="casework-clock casework-clock-{}">{}</strong>', state.value, state.label
        )

    def has_module_permission(self, request):
        return _is_asb_officer(request)

    def has_view_permission(self, request, obj=None):
        return _is_asb_officer(request)

    def has_change_permission(self, request, obj=None):
        return _is_asb_officer(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self.get_object(request, unquote(object_id))
        if report is not None and _is_asb_officer(request):
            log_sensitive_read(user=request.user, case=report, path=request.get_full_path())
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Nothing here is edited by hand: the actions below call the service.
        return None

    def _apply(self, request, queryset, *, closes: bool) -> None:
        done = 0
        for report in queryset:
            try:
                anonymous_report_acknowledge(
                    report=report, actor=request.user, note="", closes=closes
                )
            except AsbRuleBroken as exc:
                self.message_user(request, f"{report.reference}: {exc}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} report{'s' if done != 1 else ''} updated.")

    @admin.action(description="Record that we made contact as asked", permissions=["change"])
    def acknowledge(self, request, queryset):
        self._apply(request, queryset, closes=False)

    @admin.action(description="Close: nothing more to do", permissions=["change"])
    def close(self, request, queryset):
        self._apply(request, queryset, closes=True)
