"""News and the perception survey in the admin, for customer services and managers.

Every change goes through ``engagement.services``: saving a news item, publishing or
withdrawing it, and raising a survey comment as a complaint (only with the respondent's
consent). Survey answers are read-only: they are the regulator's data.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from engagement.models import (
    Consultation,
    ConsultationResponse,
    InvolvementInterest,
    NewsItem,
    Survey,
    SurveyResponse,
    YouSaidWeDid,
)
from engagement.services import (
    EngagementRuleBroken,
    consultation_outcome_publish,
    consultation_publish,
    news_publish,
    news_save,
    news_withdraw,
    perception_tallies_rebuild,
    survey_comment_raise_complaint,
    you_said_we_did_publish,
)
from kernel.roles import Role, user_has_any_role


class _RoleAdmin(admin.ModelAdmin):
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


@admin.register(NewsItem)
class NewsItemAdmin(_RoleAdmin):
    list_display = ("title", "audience", "tenure", "published_at", "created_at")
    list_filter = ("audience", "tenure")
    search_fields = ("title",)
    fields = ("title", "summary", "body", "audience", "tenure", "published_at")
    readonly_fields = ("published_at",)
    actions = ("publish", "withdraw")

    def save_model(self, request, obj, form, change):
        try:
            news_save(item=obj, actor=request.user)
        except EngagementRuleBroken as exc:
            messages.error(request, " ".join(exc.problems))

    @admin.action(description="Publish the selected news items")
    def publish(self, request, queryset):
        for item in queryset:
            news_publish(item=item, actor=request.user)
        messages.success(request, "Published.")

    @admin.action(description="Withdraw the selected news items")
    def withdraw(self, request, queryset):
        for item in queryset:
            news_withdraw(item=item, actor=request.user)
        messages.success(request, "Withdrawn.")


@admin.register(Survey)
class SurveyAdmin(_RoleAdmin):
    roles = (Role.MANAGER,)
    list_display = ("title", "first_year", "opens_on", "closes_on")
    fields = ("title", "first_year", "opens_on", "closes_on", "approach_summary")
    actions = ("recount",)

    @admin.action(description="Recount TP01-TP12 from the answers (after a bulk load)")
    def recount(self, request, queryset):
        for survey in queryset:
            perception_tallies_rebuild(survey=survey)
        messages.success(request, "Recounted.")

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.created_by = request.user
            obj.created_at = timezone.now()
        obj.save()


@admin.register(SurveyResponse)
class SurveyResponseAdmin(_RoleAdmin):
    """Answers without names: the respondent is shown only where they agreed to be contacted."""

    roles = (Role.MANAGER,)
    editable = False
    list_display = ("survey", "stock_class", "method", "responded_at", "consent_to_follow_up")
    list_filter = ("survey", "stock_class", "method", "consent_to_follow_up")
    list_select_related = ("survey",)
    fields = readonly_fields = (
        "survey",
        "stock_class",
        "method",
        "responded_at",
        "tp01",
        "had_repair",
        "tp02",
        "tp03",
        "tp04",
        "tp05",
        "tp06",
        "tp07",
        "tp08",
        "made_complaint",
        "tp09",
        "has_communal_areas",
        "tp10",
        "tp11",
        "tp12",
        "comments",
        "consent_to_follow_up",
        "followed_up_as",
    )
    actions = ("raise_complaint",)

    @admin.action(description="Raise the comment as a complaint (only with consent)")
    def raise_complaint(self, request, queryset):
        for response in queryset:
            try:
                reference = survey_comment_raise_complaint(response=response, actor=request.user)
            except EngagementRuleBroken as exc:
                messages.error(request, " ".join(exc.problems))
            else:
                messages.success(request, f"Complaint {reference} raised.")


class _CreatedByAdmin(_RoleAdmin):
    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.created_by = request.user
            obj.created_at = timezone.now()
        obj.save()


@admin.register(Consultation)
class ConsultationAdmin(_CreatedByAdmin):
    list_display = ("title", "tenure", "opens_on", "closes_on", "published_at")
    fields = ("title", "summary", "body", "blocks", "tenure", "opens_on", "closes_on", "outcome")
    filter_horizontal = ("blocks",)
    actions = ("publish", "publish_outcome")

    @admin.action(description="Publish to the residents it affects")
    def publish(self, request, queryset):
        for consultation in queryset:
            consultation_publish(consultation=consultation, actor=request.user)
        messages.success(request, "Published.")

    @admin.action(description="Publish the outcome")
    def publish_outcome(self, request, queryset):
        for consultation in queryset:
            try:
                consultation_outcome_publish(consultation=consultation, actor=request.user)
            except EngagementRuleBroken as exc:
                messages.error(request, f"{consultation}: {' '.join(exc.problems)}")


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(_RoleAdmin):
    editable = False
    list_display = ("consultation", "responded_at")
    list_filter = ("consultation",)
    fields = readonly_fields = ("consultation", "customer", "view", "responded_at")


@admin.register(YouSaidWeDid)
class YouSaidWeDidAdmin(_CreatedByAdmin):
    list_display = ("__str__", "source", "published_at")
    list_filter = ("source",)
    fields = ("you_said", "we_did", "source", "consultation", "source_reference")
    actions = ("publish",)

    @admin.action(description="Publish the selected entries")
    def publish(self, request, queryset):
        for entry in queryset:
            you_said_we_did_publish(entry=entry, actor=request.user)
        messages.success(request, "Published.")


@admin.register(InvolvementInterest)
class InvolvementInterestAdmin(_RoleAdmin):
    """Who asked to get involved in what, to contact them. Equality answers are not shown here:
    they are used only in the counts of the involvement dashboard."""

    editable = False
    list_display = ("activity", "customer", "registered_at")
    list_filter = ("activity",)
    list_select_related = ("customer",)
