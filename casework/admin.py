"""The staff side of every case: queues sorted by due time, scoped by role.

``CaseAdminMixin`` is what every service app's case ``ModelAdmin`` starts from. Staff see the
queue of a case model only if their role works it (see ``casework.access``); status is never
edited by hand (admin actions call the app's transition services); assignment goes through
``case_assign`` so it is on the timeline.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Any, ClassVar, cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, ForeignKey, QuerySet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from casework.access import (
    entry_for_model,
    log_sensitive_read,
    staff_can_see,
    staff_can_see_model,
    staff_cases,
    staff_may_be_referred,
    staff_visible_content_type_ids,
)
from casework.admin_page import (
    RecordTable,
    is_read_only_inline,
    record_table,
    summary_groups,
)
from casework.models import CaseEvent, SensitiveCaseRead, Team
from casework.selectors import clock_state, with_next_warn_at
from casework.services import case_assign
from casework.steps import Step, StepContext, StepSet, refusal_messages, step_set_for
from kernel.formatting import LONDON, london_short_datetime
from kernel.roles import Role, user_roles
from kernel.url_parameters import id_from_query, page_number_from_query
from sla.models import Deadline

_ASSIGNMENT_FIELDS = {"assignee", "team"}

# A queue's paginator counts at most this many rows: 20 pages of 50, 40 of 25. A queue is
# narrowed with its filters, not paged through; counting further cost the first page more than
# reading it (an index-only count of 10,000 open cases against one of 1,000: about 4 times as
# long on the benchmark database), and never a COUNT(*) over a million cases.
COUNT_LIMIT = 1_000
# Staff choose how many rows a page of a queue shows (the first is the default).
ROWS_PER_PAGE = (50, 25)
# A case's history is shown this many events a page, latest first.
HISTORY_PER_PAGE = 20
HISTORY_PAGE_VAR = "history"


def object_or_none(queryset, object_id: str):
    """The row an admin URL names, or None for an id that names nothing or is not an id at all
    (``/admin/.../abc/step/x/`` is a 404, not a server error)."""
    pk = id_from_query(unquote(object_id))
    return None if pk is None else queryset.filter(pk=pk).first()


def case_once(request, queryset, object_id: str):
    """The case an admin URL names, read once per request: a case's page asks for it in several
    places (its steps, the sensitive-read log, the form, the page's extras), and each read of a
    case costs its clock's subquery. The first reader's ``queryset`` decides what comes with it."""
    read = request.__dict__.setdefault("_casework_cases", {})
    key = (queryset.model, id_from_query(unquote(str(object_id))))
    if key not in read:
        read[key] = object_or_none(queryset, object_id)
    return read[key]


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def _short_local(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    return london_short_datetime(moment)


class BoundedCountPaginator(Paginator):
    """Counts up to COUNT_LIMIT rows, with ``SELECT COUNT(*) FROM (SELECT id ... LIMIT n)``: a
    long queue says 1000 and pages that far instead of scanning a million rows to say how many.
    Only the ids are counted, so no column the page shows (a clock's warning moment, say) is
    computed for the rows counted."""

    @cached_property
    def count(self) -> int:
        queryset = cast(QuerySet, self.object_list)
        return queryset.order_by().values("pk")[:COUNT_LIMIT].count()

    @property
    def count_is_capped(self) -> bool:
        """The count stopped at the limit, so the queue says "1,000 or more", never a number
        that reads as exact."""
        return self.count >= COUNT_LIMIT


class OpenFilter(admin.SimpleListFilter):
    """Open cases unless asked otherwise: a queue is what is left to do. "Open" is shown chosen
    when nothing is; "All" (or "Closed") is one click away, and the default is what the
    queue's partial indexes on open cases serve in due order."""

    title = "open or closed"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("closed", "Closed"), ("all", "All")]

    def choices(self, changelist):
        yield {
            "selected": self.value() not in ("closed", "all"),
            "display": "Open",
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "display": title,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
            }

    def queryset(self, request, queryset):
        if self.value() == "closed":
            return queryset.filter(closed_at__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.filter(closed_at__isnull=True)


def rows_per_page(value: object) -> int:
    """The page size an officer asked for, or the default for anything else (``%00``, huge
    numbers, words)."""
    for size in ROWS_PER_PAGE:
        if value == str(size):
            return size
    return ROWS_PER_PAGE[0]


class RowsPerPageFilter(admin.SimpleListFilter):
    """How many rows a page shows, chosen beside the filters; it narrows nothing."""

    title = "rows per page"
    parameter_name = "rows"

    def lookups(self, request, model_admin):
        return [(str(size), str(size)) for size in ROWS_PER_PAGE]

    def choices(self, changelist):
        chosen = rows_per_page(self.value())
        for size in ROWS_PER_PAGE:
            yield {
                "selected": size == chosen,
                "display": str(size),
                "query_string": changelist.get_query_string(
                    {self.parameter_name: size} if size != ROWS_PER_PAGE[0] else {},
                    remove=[self.parameter_name],
                ),
            }

    def queryset(self, request, queryset):
        return queryset


class CaseChangeList(ChangeList):
    """A queue's page, sized as the officer chose (``RowsPerPageFilter``)."""

    def get_results(self, request):
        self.list_per_page = rows_per_page(request.GET.get(RowsPerPageFilter.parameter_name))
        super().get_results(request)


class DueFilter(admin.SimpleListFilter):
    """Due times by the Europe/London calendar an officer works to."""

    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("today", "Due today"),
            ("week", "Due this week"),
            ("none", "No clock"),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        today = now.astimezone(LONDON).date()
        start_of_today = _local_midnight(today)
        if self.value() == "overdue":
            return queryset.filter(closed_at__isnull=True, next_due_at__lte=now)
        if self.value() == "today":
            return queryset.filter(
                next_due_at__gte=start_of_today,
                next_due_at__lt=_local_midnight(today + dt.timedelta(days=1)),
            )
        if self.value() == "week":
            next_monday = today + dt.timedelta(days=7 - today.weekday())
            return queryset.filter(
                next_due_at__gte=start_of_today, next_due_at__lt=_local_midnight(next_monday)
            )
        if self.value() == "none":
            return queryset.filter(closed_at__isnull=True, next_due_at__isnull=True)
        return queryset


class StatusFilter(admin.SimpleListFilter):
    """Statuses from the case model's registered choices, so the filter costs no query (a
    DISTINCT over a queue of a million rows would)."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        entry = entry_for_model(model_admin.model)
        if entry is None or entry.statuses is None:
            return []
        return list(entry.statuses.choices)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class DeadlineInline(GenericTabularInline):
    """The case's clocks, read-only: they move only through the sla services."""

    model = Deadline
    fields = readonly_fields = ("commitment", "due", "met_at", "breached_at", "extension")
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "clock"
    verbose_name_plural = "clocks"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("commitment").order_by("due_at")

    @admin.display(description="Due")
    def due(self, obj: Deadline) -> str:
        return _short_local(obj.due_at)

    @admin.display(description="Extended")
    def extension(self, obj: Deadline) -> str:
        if obj.extended_at is None:
            return "-"
        return f"{_short_local(obj.extended_at)}: {obj.extension_reason}"

    # The parent admin has already decided who sees this case; the clocks come with it.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditTrailInlineMixin:
    """A history written by the services and never edited or deleted (an audit trail), shown
    with its parent to whoever the parent's admin already lets see it."""

    extra = 0
    max_num: int | None = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")  # type: ignore[misc]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(AuditTrailInlineMixin, GenericTabularInline):
    """The case's history, latest first, a page at a time (``?history=2`` for the page before):
    a case with years of events opens as fast as a new one. Events are never edited or deleted:
    they are the audit trail."""

    model = CaseEvent
    template = "casework/admin/history_inline.html"
    fields = readonly_fields = (
        "occurred_at",
        "kind",
        "actor",
        "from_status",
        "to_status",
        "note",
        "visible_to_customer",
    )
    verbose_name = "event"
    verbose_name_plural = "history"

    def page_of_rows(self, request, events: QuerySet, case) -> tuple[QuerySet, int, int]:
        """The page of history asked for (``casework.admin_page.record_table``)."""
        page = history_page(request)
        return history_of_page(events, case, page), page, HISTORY_PER_PAGE


def history_page(request) -> int:
    return page_number_from_query(request.GET.get(HISTORY_PAGE_VAR))


def history_of_page(events: QuerySet, case, page: int) -> QuerySet:
    """One page of ``case``'s events, latest first: a subquery of their ids, so the admin's
    formset can still narrow the queryset to the case."""
    start = (page - 1) * HISTORY_PER_PAGE
    ids = (
        CaseEvent.objects.filter(
            content_type_id=ContentType.objects.get_for_model(case).pk, object_id=case.pk
        )
        .order_by("-occurred_at", "-pk")
        .values("pk")[start : start + HISTORY_PER_PAGE]
    )
    return events.filter(pk__in=ids).order_by("-occurred_at", "-pk")


class StepAdminMixin(admin.ModelAdmin):
    """The step pages of a model registered with ``casework.steps.register_steps``:
    ``class X(StepAdminMixin, CaseAdminMixin, admin.ModelAdmin)``.

    One URL per object and step (``<object_id>/step/<name>/``, named ``<app>_<model>_step``),
    the officer's role checked on every request, POST/redirect/GET, a refusal shown on the form
    with what the officer typed, and the steps that apply listed on the change page.
    """

    change_form_template = "casework/admin/change_form.html"

    def may_take_steps(self, request) -> bool:
        """Whether this officer takes steps on this model; a model's admin narrows it. A team
        cases are passed to takes steps too; the queryset limits it to what was passed to it."""
        return staff_can_see_model(request.user, self.model) or staff_may_be_referred(
            request.user, self.model
        )

    def _step_set(self) -> StepSet:
        step_set = step_set_for(self.model)
        if step_set is None:
            raise LookupError(f"No steps are registered for {self.model.__name__}.")
        return step_set

    def _step_url(self, obj, name: str) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_step", args=[obj.pk, name])

    def _change_url(self, obj) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/step/<str:step>/",
                self.admin_site.admin_view(self.step_view),
                name=f"{info[0]}_{info[1]}_step",
            ),
            *super().get_urls(),
        ]

    def _step_object(self, request, object_id):
        queryset = self.get_queryset(request)
        related = (*getattr(self, "change_select_related", ()), *self._step_set().select_related)
        if related:
            queryset = queryset.select_related(*related)
        return case_once(request, queryset, object_id)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self._step_object(request, object_id) if self.may_take_steps(request) else None
        steps: list[tuple[str, str]] = []
        if obj is not None:
            step_set = self._step_set()
            ctx = StepContext(case=obj, actor=request.user, state=step_set.load_state(obj))
            steps = [(s.title, self._step_url(obj, s.name)) for s in step_set.available(ctx)]
        extra_context["steps"] = steps
        return super().change_view(request, object_id, form_url, extra_context)

    def step_view(self, request, object_id, step: str):
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        if not self.may_take_steps(request):
            raise PermissionDenied("Your role does not include this work.")
        step_set = self._step_set()
        chosen = step_set.steps.get(step)
        if chosen is None:
            raise Http404("There is no such step.")
        obj = self._step_object(request, object_id)
        if obj is None:
            raise Http404
        entry = entry_for_model(self.model)
        if entry is not None and entry.sensitive:
            log_sensitive_read(user=request.user, case=obj, path=request.get_full_path())
        posted = request.method == "POST"
        ctx = StepContext(
            case=obj,
            actor=request.user,
            state=step_set.load_state(obj),
            data=request.POST if posted else {},
        )
        if not chosen.available(ctx):
            self.message_user(
                request, f"'{chosen.title}' is not available for {obj} now.", messages.ERROR
            )
            return redirect(self._change_url(obj))
        form = chosen.form_class(request.POST if posted else None, **chosen.form_kwargs(ctx))
        if posted and form.is_valid():
            try:
                message = chosen.run(ctx, form)
            except step_set.refusals as exc:
                for problem in refusal_messages(exc):
                    form.add_error(None, problem)
            else:
                self.message_user(request, message or chosen.success_message, messages.SUCCESS)
                return redirect(self._change_url(obj))
        return self._render_step(request, step_set, chosen, ctx, form)

    def _render_step(self, request, step_set: StepSet, step: Step, ctx: StepContext, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": ctx.case,
            "form": form,
            "step": step,
            "summary": step_set.summary(ctx.case, ctx.state),
            "sensitive_record": getattr(entry_for_model(self.model), "sensitive", False),
            "title": f"{step.title}: {ctx.case}",
            **step.page_context(ctx),
        }
        return TemplateResponse(request, "casework/admin/step_form.html", context)


class CaseAdminMixin(admin.ModelAdmin):
    """The base of a case model's admin: ``class X(CaseAdminMixin, admin.ModelAdmin)``.

    Cases are not added here by default: a service app that lets staff log a case from the
    admin overrides ``has_add_permission`` and ``save_model`` to call its own open service.
    """

    # What a caseworker scans the queue for comes straight after the reference, so that it is on
    # screen on a laptop whatever else a queue adds.
    # Reference, what, status, due and the clock's state first, in few narrow columns, so a
    # queue fits a 1280 px laptop without scrolling sideways.
    list_display: tuple[Any, ...] = (
        "reference",
        "due",
        "clock",
        "status_label",
        "case_title",
        "customer",
        "team",
        "assignee",
    )
    # Every queue also opens on open cases (``OpenFilter``, first) and offers 50 or 25 rows a
    # page (``RowsPerPageFilter``, last): see ``get_list_filter``. It is counted no further than
    # ``COUNT_LIMIT``, never the whole table.
    list_filter: ClassVar[tuple[Any, ...]] = (DueFilter, StatusFilter, "team")
    list_select_related = ("customer", "team", "assignee")
    # The queue: the soonest clock first, cases with no clock after them, oldest first; the id
    # last so that the order is total and an index on open cases' (next_due_at, ...) serves it.
    ordering = (F("next_due_at").asc(nulls_last=True), "opened_at", "pk")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = BoundedCountPaginator
    list_per_page = ROWS_PER_PAGE[0]
    search_fields = ("=reference", "=customer__tenancy__reference", "customer__last_name")
    autocomplete_fields = ("customer", "assignee", "team")
    readonly_fields: ClassVar[tuple[str, ...]] = (
        "reference",
        "status",
        "customer",
        "tenancy",
        "property",
        "opened_at",
        "closed_at",
        "next_due_at",
    )
    inlines = (DeadlineInline, CaseEventInline)
    actions = ("assign_to_me",)
    # The steps that apply (``StepAdminMixin``) and a link to the household's whole picture.
    change_form_template = "casework/admin/change_form.html"

    class Media:
        css = {"all": ("casework/admin.css",)}

    def get_changelist(self, request, **kwargs):
        return CaseChangeList

    # -- a case's page -------------------------------------------------------------------------

    # Read with the case on its page, so its read-only fields cost no query each.
    change_select_related: tuple[str, ...] = (
        "customer",
        "tenancy",
        "property",
        "team",
        "assignee",
    )

    def get_object(self, request, object_id, from_field=None):
        if from_field is not None:
            return super().get_object(request, object_id, from_field)
        queryset = self.get_queryset(request).select_related(*self.change_select_related)
        return case_once(request, queryset, object_id)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A case's assignee and team are chosen with the search box alone, without the admin's
        add, change, delete and view links beside it: an officer passes a case on here, never
        sets up a colleague or a team (and working out those links read the officer's model
        permissions, two queries a page)."""
        if isinstance(db_field, ForeignKey) and db_field.name in _ASSIGNMENT_FIELDS:
            return self.formfield_for_foreignkey(db_field, request, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inline_instances(self, request, obj=None):
        """On a case's page, only the inlines an officer edits are the admin's formsets; the
        read-only ones (clocks, history, appointments...) are drawn as tables of values
        (``record_tables``), which costs a fraction of a formset's forms and fields."""
        inlines = super().get_inline_instances(request, obj)
        if obj is None or obj.pk is None:
            return inlines
        return [i for i in inlines if not is_read_only_inline(i, request, obj)]

    def record_tables(self, request, obj) -> list[RecordTable]:
        return [
            record_table(inline, request, obj)
            for inline in super().get_inline_instances(request, obj)
            if is_read_only_inline(inline, request, obj)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            # The page's fields and records, worked out once each (``casework.admin_page``).
            context["case_summary"] = summary_groups(self, context["adminform"], obj)
            context["case_records"] = self.record_tables(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_list_filter(self, request):
        """The queue's own filters between "open or closed" and "rows per page", whichever
        filters a case type adds."""
        own = [
            f for f in super().get_list_filter(request) if f not in (OpenFilter, RowsPerPageFilter)
        ]
        return (OpenFilter, *own, RowsPerPageFilter)

    # -- columns -------------------------------------------------------------------------------

    def action_checkbox(self, obj):
        """The admin's own tick box for a row, written out rather than drawn through the form
        widget's three templates fifty times a page."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )

    @admin.display(description="About")
    def case_title(self, obj) -> str:
        return obj.display_title

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj) -> str:
        entry = entry_for_model(type(obj))
        return entry.status_label(obj.status) if entry else obj.status

    @admin.display(description="Due", ordering=F("next_due_at").asc(nulls_last=True))
    def due(self, obj) -> str:
        return _short_local(obj.next_due_at)

    @admin.display(description="Overdue")
    def overdue(self, obj) -> str:
        if obj.closed_at is None and obj.next_due_at and obj.next_due_at <= timezone.now():
            return format_html('<strong class="casework-overdue">{}</strong>', "Overdue")
        return ""

    @admin.display(description="Clock")
    def clock(self, obj) -> str:
        """Red, amber or green as a word and a colour (``casework.selectors.clock_state``)."""
        if obj.closed_at is not None:
            return ""
        state = clock_state(
            obj.next_due_at, warn_at=getattr(obj, "next_warn_at", None), now=timezone.now()
        )
        return format_html(
            '<strong class="casework-clock casework-clock-{}">{}</strong>', state.value, state.label
        )

    @admin.display(description="Due today", boolean=True)
    def due_today(self, obj) -> bool:
        if obj.next_due_at is None:
            return False
        today = timezone.now().astimezone(LONDON).date()
        return obj.next_due_at.astimezone(LONDON).date() == today

    # -- who sees the queue --------------------------------------------------------------------

    def _works_this_queue(self, request) -> bool:
        """The officer works this model's whole queue (their role, or a manager)."""
        return staff_can_see_model(request.user, self.model)

    def _has_queue(self, request) -> bool:
        """The officer works this model's whole queue, is in a team its cases are passed to, or
        some of its cases have been passed to one of their teams. Asked several times a page, so answered once per request."""
        answers = request.__dict__.setdefault("_casework_queues", {})
        if self.model not in answers:
            answers[self.model] = (
                self._works_this_queue(request)
                or staff_may_be_referred(request.user, self.model)
                or staff_cases(request.user, self.model).exists()
            )
        return answers[self.model]

    def has_module_permission(self, request):
        # Listed on every admin page for the queue's own teams and the teams its cases are
        # passed to; no query for the rest. Another officer whose team has been passed a case
        # opens it by its link (escalation emails carry one).
        return self._works_this_queue(request) or staff_may_be_referred(request.user, self.model)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self._has_queue(request)
        return staff_can_see(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Cases are records the regulator and the Ombudsman may ask for: closed, never deleted.
        return False

    def get_queryset(self, request):
        cases = staff_cases(request.user, self.model, super().get_queryset(request))
        return with_next_warn_at(cases)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = entry_for_model(self.model)
        if entry is not None and entry.sensitive:
            # get_object reads through get_queryset, so only a permitted reader gets a case.
            case = self.get_object(request, unquote(object_id))
            if case is not None:
                log_sensitive_read(user=request.user, case=case, path=request.get_full_path())
            # Staff are told, on the record itself, that this read is written down and that
            # the customer can ask to see who has looked.
            extra_context = {**(extra_context or {}), "sensitive_record": True}
        return super().change_view(request, object_id, form_url, extra_context)

    # -- writes go through services ------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            raise PermissionDenied("Cases are opened through their service.")
        changed = set(form.changed_data)
        plain = sorted(changed - _ASSIGNMENT_FIELDS)
        if plain:
            obj.save(update_fields=plain)
        if changed & _ASSIGNMENT_FIELDS:
            case_assign(case=obj, assignee=obj.assignee, team=obj.team, actor=request.user)

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        assigned = sum(
            case_assign(case=case, assignee=request.user, actor=request.user) is not None
            for case in queryset
        )
        self.message_user(
            request,
            f"{assigned} case{'s' if assigned != 1 else ''} assigned to you.",
            messages.SUCCESS,
        )


def _is_manager(request) -> bool:
    user = request.user
    return (
        user.is_active and user.is_staff and (user.is_superuser or Role.MANAGER in user_roles(user))
    )


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "lead", "email")
    list_select_related = ("lead",)
    search_fields = ("name",)
    autocomplete_fields = ("lead",)

    # Every officer may pick a team (assignment, filters); managers set teams up.
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return _is_manager(request)

    def has_add_permission(self, request):
        return _is_manager(request)

    def has_change_permission(self, request, obj=None):
        return _is_manager(request)

    def has_delete_permission(self, request, obj=None):
        return _is_manager(request)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SensitiveCaseRead)
class SensitiveCaseReadAdmin(ReadOnlyAdmin):
    """Who opened which domestic-abuse or hate-crime case: for managers auditing access."""

    list_display = ("read_at", "user", "content_type", "object_id", "path")
    list_select_related = ("user", "content_type")
    list_filter = ("content_type",)
    show_full_result_count = False

    def has_module_permission(self, request):
        return _is_manager(request)

    def has_view_permission(self, request, obj=None):
        return _is_manager(request)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """Every case's history in one place, limited to the case models the officer works."""

    list_display = ("occurred_at", "case_reference", "kind", "actor", "visible_to_customer")
    list_filter = ("kind", "visible_to_customer")
    list_select_related = ("actor",)
    ordering = ("-occurred_at", "-id")
    show_full_result_count = False
    fields = (
        "occurred_at",
        "case_reference",
        "kind",
        "actor",
        "from_status",
        "to_status",
        "note",
        "visible_to_customer",
    )
    readonly_fields = fields
    change_form_template = "casework/admin/event_change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(content_type_id__in=staff_visible_content_type_ids(request.user))
            .prefetch_related("case")
        )

    def has_module_permission(self, request):
        return bool(staff_visible_content_type_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return bool(staff_visible_content_type_ids(request.user))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, unquote(object_id))
        case = event.case if event is not None else None
        entry = entry_for_model(type(case)) if case is not None else None
        if case is not None and entry is not None and entry.reads_logged:
            # An event is part of its case: opening it is a read of the case, logged and
            # announced exactly as opening the case itself is.
            log_sensitive_read(user=request.user, case=case, path=request.get_full_path())
            extra_context = {**(extra_context or {}), "sensitive_record": True}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Case")
    def case_reference(self, obj: CaseEvent) -> str:
        return obj.case.reference if obj.case is not None else "-"
