"""The lettings team's admin: empty homes and their lettable standard, adverts, applications,
settling in and mutual exchanges, each worked through the shared step pages (``steps.py``),
each step one service. The lettable standard and the schemes are the association's to edit.
The queue and the shortlist of an advert are the team's own pages (``lettings:staff_queue``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html

from casework.admin import CaseAdminMixin, StepAdminMixin
from kernel.formatting import london_date
from kernel.roles import Role, user_has_any_role
from lettings import services
from lettings.models import (
    Advert,
    Application,
    LettableStandardItem,
    LettingScheme,
    MutualExchange,
    SettlingIn,
    Void,
    VoidCheck,
    VoidRepair,
)
from lettings.selectors import has_open_void
from tenancy.models import Tenancy


def _works_lettings(request) -> bool:
    user = request.user
    return (
        user.is_active and user.is_staff and user_has_any_role(user, [Role.LETTINGS, Role.MANAGER])
    )


class _LettingsTeamAdmin(admin.ModelAdmin):
    """Records the lettings team (and managers) keep."""

    def has_module_permission(self, request):
        return _works_lettings(request)

    def has_view_permission(self, request, obj=None):
        return _works_lettings(request)

    def has_add_permission(self, request):
        return _works_lettings(request)

    def has_change_permission(self, request, obj=None):
        return _works_lettings(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LettableStandardItem)
class LettableStandardItemAdmin(_LettingsTeamAdmin):
    list_display = ("name", "kind", "position", "is_active")
    list_editable = ("position", "is_active")
    search_fields = ("name",)


@admin.register(LettingScheme)
class LettingSchemeAdmin(_LettingsTeamAdmin):
    list_display = ("name", "local_authority", "position", "is_active")
    search_fields = ("name", "local_authority")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return _works_lettings(request)


class VoidCheckInline(_ReadOnlyInline):
    model = VoidCheck
    fields = readonly_fields = ("item", "done_on", "certificate_reference", "note", "done_by")


class VoidRepairInline(_ReadOnlyInline):
    model = VoidRepair
    fields = readonly_fields = ("repair_reference", "title", "raised_at")


class VoidOpenForm(forms.ModelForm):
    """A tenancy ends: its last day and the reason. The home becomes empty from that day."""

    class Meta:
        model = Void
        fields = ("former_tenancy", "keys_returned_on", "end_reason", "lettable_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former_tenancy"].required = True
        self.fields["end_reason"].required = True

    def clean(self):
        data = super().clean()
        tenancy, end = data.get("former_tenancy"), data.get("keys_returned_on")
        if tenancy is not None and end is not None and end < tenancy.start_date:
            self.add_error("keys_returned_on", "A tenancy cannot end before it starts.")
        if tenancy is not None and has_open_void(tenancy.property_id):
            self.add_error("former_tenancy", "This home is already empty on our records.")
        return data


@admin.register(Void)
class VoidAdmin(StepAdminMixin, _LettingsTeamAdmin):
    list_display = ("property", "keys_returned_on", "days_empty_now", "signed_off_at", "let_on")
    list_select_related = ("property",)
    list_filter = (("let_on", admin.EmptyFieldListFilter),)
    search_fields = ("property__postcode", "property__address_line_1", "=property__uprn")
    show_full_result_count = False
    autocomplete_fields = ("former_tenancy",)
    inlines = (VoidCheckInline, VoidRepairInline)
    readonly_fields = (
        "property",
        "signed_off_at",
        "signed_off_by",
        "let_on",
        "created_at",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = VoidOpenForm
            kwargs["fields"] = VoidOpenForm.Meta.fields
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "former_tenancy", "keys_returned_on", "end_reason")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def may_take_steps(self, request) -> bool:
        return _works_lettings(request)

    @admin.display(description="Days empty")
    def days_empty_now(self, obj: Void) -> int:
        return obj.days_empty()

    def save_model(self, request, obj, form, change):
        if change:
            # Only the home's guide and target date are plain edits; everything else is a step.
            obj.save(update_fields=["lettable_on", "heating_and_appliances", "utilities"])
            return
        tenancy: Tenancy = form.cleaned_data["former_tenancy"]
        try:
            void = services.void_open_from_tenancy_end(
                tenancy=tenancy,
                end_date=form.cleaned_data["keys_returned_on"],
                reason=form.cleaned_data["end_reason"],
                actor=request.user,
            )
        except services.LettingRefused as exc:
            raise PermissionDenied(str(exc)) from None
        obj.pk = void.pk
        obj.property_id = void.property_id
        if form.cleaned_data.get("lettable_on"):
            Void.objects.filter(pk=void.pk).update(lettable_on=form.cleaned_data["lettable_on"])


@admin.register(Advert)
class AdvertAdmin(StepAdminMixin, _LettingsTeamAdmin):
    list_display = ("title", "status", "closes_at", "closed_at", "bedrooms", "is_adapted")
    list_filter = ("status", "is_adapted")
    search_fields = ("title", "area")
    show_full_result_count = False
    readonly_fields = (
        "void",
        "property",
        "status",
        "closed_at",
        "bedrooms",
        "property_type",
        "adaptations",
        "is_adapted",
        "rent_weekly_pence",
        "service_charge_weekly_pence",
        "published_at",
    )
    fields = (
        *readonly_fields,
        "title",
        "area",
        "description",
        "eligibility",
        "scheme",
        "closes_at",
    )

    def has_add_permission(self, request):
        # An advert is published from its empty home ("Advertise the home").
        return False

    def may_take_steps(self, request) -> bool:
        return _works_lettings(request)


@admin.register(Application)
class ApplicationAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    # What fits a laptop's width: the advert says what the application is for, and every
    # application is the lettings team's, so the team column would say nothing.
    list_display = (
        "reference",
        "due",
        "clock",
        "status_label",
        "advert",
        "customer",
        "band",
        "assignee",
    )
    list_select_related = ("customer", "team", "assignee", "advert")  # type: ignore[assignment]
    list_filter = (*CaseAdminMixin.list_filter, "band", "needs_adapted_home")
    search_fields = (*CaseAdminMixin.search_fields, "=advert__id")  # type: ignore[assignment]
    readonly_fields = tuple(
        f.name
        for f in Application._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "team", "assignee")
    )


@admin.register(SettlingIn)
class SettlingInAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    # The file itself is served only through the lettings pages, which check who asks.
    exclude = ["signed_agreement"]
    readonly_fields = (
        *(
            f.name
            for f in SettlingIn._meta.get_fields()
            if getattr(f, "concrete", False)
            and f.name not in ("id", "team", "assignee", "signed_agreement")
        ),
        "signed_agreement_upload",
    )

    @admin.display(description="Signed tenancy agreement")
    def signed_agreement_upload(self, obj: SettlingIn) -> str:
        upload = reverse("lettings:staff_signed_agreement", args=[obj.pk])
        if not obj.has_signed_agreement:
            return format_html(
                'Not uploaded yet: the move-in pack says so. <a href="{}">Upload it</a>', upload
            )
        return format_html(
            '<a href="{}">{}</a> (added {}). <a href="{}">Replace it</a>',
            reverse("lettings:staff_signed_agreement_download", args=[obj.pk]),
            obj.signed_agreement_name,
            london_date(obj.signed_agreement_at),
            upload,
        )


@admin.register(MutualExchange)
class MutualExchangeAdmin(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin):
    list_display = (*CaseAdminMixin.list_display, "partner_landlord")
    readonly_fields = tuple(
        f.name
        for f in MutualExchange._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in ("id", "team", "assignee")
    )
