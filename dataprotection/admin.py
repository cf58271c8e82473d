"""The data-protection team's queue and pages. Requests change only through their steps
(``dataprotection/steps.py``); the pack under review is shown here with the names the parts
say it holds, for the officer to remove."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from casework.access import log_sensitive_read
from casework.admin import CaseAdminMixin, StepAdminMixin
from dataprotection import selectors, services
from dataprotection.forms import CustomerSearchForm, LogRequestForm
from dataprotection.models import DataRequest, Redaction, RetentionRule, RetentionRun
from kernel.access import staff_entry_allowed
from kernel.roles import Role
from tenancy.selectors import customer_search


class RedactionInline(admin.TabularInline):
    """What was removed from the pack and why: written by the redaction step, never edited."""

    model = Redaction
    fields = readonly_fields = ("at", "by", "kind", "target", "reason")
    extra = 0
    max_num = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "kind", "received_by")
    list_filter = (*CaseAdminMixin.list_filter, "kind")
    change_form_template = "dataprotection/admin/request_change_form.html"
    readonly_fields: ClassVar[tuple[str, ...]] = (
        *CaseAdminMixin.readonly_fields,
        "kind",
        "details",
        "received_by",
        "team",
        "representative",
        "representative_authority",
        "identity_requested_at",
        "identity_confirmed_at",
        "gathering_started_at",
        "gathered_at",
        "release_started_at",
        "released_at",
        "acknowledged_at",
        "answer",
        "answered_at",
    )
    fieldsets = (
        (None, {"fields": ("reference", "kind", "status", "customer", "received_by", "details")}),
        (
            "Progress",
            {
                "fields": (
                    "team",
                    "assignee",
                    "opened_at",
                    "next_due_at",
                    "identity_requested_at",
                    "identity_confirmed_at",
                    "representative",
                    "representative_authority",
                    "gathering_started_at",
                    "gathered_at",
                    "release_started_at",
                    "released_at",
                    "acknowledged_at",
                    "answer",
                    "answered_at",
                    "closed_at",
                )
            },
        ),
    )
    inlines = (*CaseAdminMixin.inlines, RedactionInline)  # type: ignore[assignment]
    change_list_template = "dataprotection/admin/request_change_list.html"

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

    def _check(self, request) -> None:
        if not staff_entry_allowed(request.user, [Role.DATA_PROTECTION]):
            raise PermissionDenied("Your role does not include data protection requests.")

    # -- a request made by phone, email, letter or in person, logged by the team ---------------

    def log_search_view(self, request):
        self._check(request)
        form = CustomerSearchForm(request.GET or None)
        results = customer_search(form.cleaned_data["q"]) if form.is_valid() else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "results": results,
            "title": "Log a data protection request: find the person",
            "action_url_name": "admin:dataprotection_datarequest_log_for",
            "action_label": "Log a request",
        }
        return TemplateResponse(request, "tenancy/admin/customer_search.html", context)

    def log_view(self, request, customer_id: int):
        self._check(request)
        customer = selectors.customer_for_staff(customer_id)
        if customer is None:
            raise Http404
        form = LogRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            made = services.request_make(
                customer=customer,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                received_by=form.cleaned_data["received_by"],
                actor=request.user,
            )
            self.message_user(request, f"Request {made.reference} logged.", messages.SUCCESS)
            return redirect(reverse("admin:dataprotection_datarequest_change", args=[made.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "customer": customer,
            "title": f"Log a data protection request for {customer.full_name}",
        }
        return TemplateResponse(request, "dataprotection/admin/log_form.html", context)

    # -- every read of a request is logged (it is registered ``log_reads``), and said so -------
    # The case admin logs the reads of sensitive models only; a request's page and its steps
    # hold what the person told us and, once gathered, lead to the whole of their record.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        data_request = self.get_object(request, unquote(object_id))
        if data_request is not None and self.has_view_permission(request, data_request):
            log_sensitive_read(user=request.user, case=data_request, path=request.get_full_path())
            extra_context["sensitive_record"] = True
            extra_context["gathering_percent"] = selectors.gathering_percent(data_request)
            extra_context["review_url"] = reverse(
                "dataprotection:staff_review", args=[data_request.reference]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step: str):
        if request.method in ("GET", "POST") and self.may_take_steps(request):
            data_request = self._step_object(request, object_id)
            if data_request is not None:
                log_sensitive_read(
                    user=request.user, case=data_request, path=request.get_full_path()
                )
        return super().step_view(request, object_id, step)

    def _render_step(self, request, step_set, step, ctx, form):
        response = super()._render_step(request, step_set, step, ctx, form)
        response.context_data["sensitive_record"] = True
        return response


class _DataProtectionOnly(admin.ModelAdmin):
    def _allowed(self, request) -> bool:
        return staff_entry_allowed(request.user, [Role.DATA_PROTECTION, Role.MANAGER])

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(RetentionRule)
class RetentionRuleAdmin(_DataProtectionOnly):
    """The retention schedule: periods may be changed here; a new kind of record needs a target
    in ``dataprotection/retention.py`` to be applied."""

    list_display = ("record_type", "keep_years", "after", "action", "is_active")
    readonly_fields = ("code",)

    def has_change_permission(self, request, obj=None):
        return staff_entry_allowed(request.user, [Role.DATA_PROTECTION])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(_DataProtectionOnly):
    list_display = ("rule", "started_at", "finished_at", "count", "batches")
    list_select_related = ("rule",)
    readonly_fields = ("rule", "started_at", "finished_at", "cutoff", "count", "batches")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
