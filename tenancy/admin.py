from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from import_export.admin import ImportExportModelAdmin as LibraryImportExportModelAdmin

from kernel.roles import Role, user_has_any_role
from kernel.spreadsheets import SpreadsheetSafeResource
from tenancy import hooks
from tenancy.models import (
    STOCK_CLASS_FOR_TENURE,
    Block,
    Customer,
    Ownership,
    Property,
    Tenancy,
    Tenure,
)


class ImportExportModelAdmin(LibraryImportExportModelAdmin):
    def export_action(self, request):
        # The export page filters like the list it came from, from the query string, but does
        # not catch a filter that names no field as the list does: it would answer with a
        # server error. As the list does, start again without the filters.
        try:
            return super().export_action(request)
        except IncorrectLookupParameters:
            return redirect(request.path)


class PropertyResource(SpreadsheetSafeResource):
    class Meta:
        model = Property
        import_id_fields = ["uprn"]
        fields = [
            "uprn",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
            "property_type",
            "bedrooms",
            "patch",
            "tenure",
            "stock_class",
            "ownership",
            "joined_stock_on",
            "left_stock_on",
            "block",
            "adaptations",
            "handover_date",
            "builder",
            "defects_period_months",
        ]

    def before_import_row(self, row, **kwargs):
        from tenancy.models import normalise_postcode

        if row.get("postcode"):
            row["postcode"] = normalise_postcode(row["postcode"])
        # Housing systems that export no stock class: the tenure decides it. A file that
        # gives one keeps it (a shared owner who bought the whole lease is not low cost).
        if not row.get("stock_class"):
            tenure = row.get("tenure") or Tenure.GENERAL_NEEDS
            row["stock_class"] = STOCK_CLASS_FOR_TENURE.get(tenure, "")
        if not row.get("ownership"):
            row["ownership"] = Ownership.OWNED


class TenancyResource(SpreadsheetSafeResource):
    class Meta:
        model = Tenancy
        import_id_fields = ["reference"]
        fields = ["reference", "property", "tenancy_type", "start_date", "end_date"]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Rows name the home by UPRN, as every housing system exports it.
        from import_export.widgets import ForeignKeyWidget

        self.fields["property"].widget = ForeignKeyWidget(Property, field="uprn")


class CustomerResource(SpreadsheetSafeResource):
    class Meta:
        model = Customer
        fields = [
            "id",
            "tenancy",
            "household_role",
            "title",
            "first_name",
            "last_name",
            "date_of_birth",
            "email",
            "phone",
            "mobile",
            "preferred_channel",
            "consent_to_sms",
        ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from import_export.widgets import ForeignKeyWidget

        self.fields["tenancy"].widget = ForeignKeyWidget(Tenancy, field="reference")


class RoleScopedAdmin:
    """Homes and households are looked up by every team (a caseworker must find the customer
    they are speaking to); only customer services and managers correct them, and only managers
    and administrators import or add records in bulk. Roles are groups without model
    permissions, so the admin asks the role instead."""

    viewing_roles = tuple(Role)
    changing_roles = (Role.CUSTOMER_SERVICES, Role.MANAGER)
    adding_roles = (Role.MANAGER,)

    def has_module_permission(self, request):
        return request.user.is_staff and user_has_any_role(request.user, self.viewing_roles)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and user_has_any_role(request.user, self.viewing_roles)

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and user_has_any_role(request.user, self.changing_roles)

    def has_add_permission(self, request):
        return request.user.is_staff and user_has_any_role(request.user, self.adding_roles)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_import_permission(self, request):
        return request.user.is_staff and user_has_any_role(request.user, self.adding_roles)

    def has_export_permission(self, request):
        return request.user.is_staff and user_has_any_role(request.user, self.adding_roles)


@admin.register(Block)
class BlockAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "postcode", "storeys", "has_lift"]
    search_fields = ["name", "postcode"]


@admin.register(Property)
class PropertyAdmin(RoleScopedAdmin, ImportExportModelAdmin):
    resource_classes = [PropertyResource]
    list_display = [
        "address_line_1",
        "postcode",
        "property_type",
        "tenure",
        "stock_class",
        "patch",
        "block",
    ]
    list_filter = ["tenure", "stock_class", "ownership", "property_type", "patch"]
    search_fields = ["uprn", "address_line_1", "postcode"]
    list_select_related = ["block"]
    autocomplete_fields = ["block"]
    show_full_result_count = False


class CustomerInline(admin.TabularInline):
    model = Customer
    extra = 0
    fields = ["first_name", "last_name", "household_role", "date_of_birth", "email", "mobile"]
    # Corrected on the customer's own page, which knows whether the customer confirmed it.
    readonly_fields = ["email"]
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and user_has_any_role(request.user, tuple(Role))

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and user_has_any_role(
            request.user, RoleScopedAdmin.changing_roles
        )

    def has_add_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tenancy)
class TenancyAdmin(RoleScopedAdmin, ImportExportModelAdmin):
    resource_classes = [TenancyResource]
    list_display = ["reference", "property", "tenancy_type", "start_date", "end_date"]
    list_filter = ["tenancy_type"]
    search_fields = ["reference", "property__address_line_1", "property__postcode"]
    list_select_related = ["property"]
    autocomplete_fields = ["property"]
    inlines = [CustomerInline]
    show_full_result_count = False


@admin.register(Customer)
class CustomerAdmin(RoleScopedAdmin, ImportExportModelAdmin):
    resource_classes = [CustomerResource]
    list_display = ["full_name", "tenancy", "household_role", "preferred_channel", "email"]
    list_filter = ["household_role", "preferred_channel", "large_print"]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "tenancy__reference",
        "tenancy__property__postcode",
    ]
    list_select_related = ["tenancy"]
    autocomplete_fields = ["tenancy", "user"]

    change_form_template = "tenancy/admin/customer_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        customer = self.get_object(request, unquote(object_id))
        if (
            customer is not None
            and customer.has_confidential_notes
            and self.has_view_or_change_permission(request, customer)
        ):
            # The page shows the staff-only notes: the read is logged against the person, who
            # can ask who has looked, and the officer is told so on the page.
            hooks.notes_read(user=request.user, customer=customer, path=request.get_full_path())
            extra_context = {**(extra_context or {}), "sensitive_record": True}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A customer with a portal account changes their email themselves and confirms it by a
        # link (tenancy.services); staff typing it here would send messages to an unconfirmed
        # address.
        if obj is not None and obj.user_id is not None:
            return [*super().get_readonly_fields(request, obj), "email"]
        return super().get_readonly_fields(request, obj)

    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["tenancy", "household_role", "user"]}),
        ("Name", {"fields": ["title", "first_name", "last_name", "date_of_birth"]}),
        (
            "Contact",
            {"fields": ["email", "phone", "mobile", "preferred_channel", "consent_to_sms"]},
        ),
        (
            "Reasonable adjustments",
            {"fields": ["large_print", "easy_read", "interpreter_language", "other_adjustments"]},
        ),
        (
            "Staff only",
            {"fields": ["vulnerability_notes", "safe_contact_channel", "safe_contact_detail"]},
        ),
    ]
