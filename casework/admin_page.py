"""A case's admin page drawn from lists made once, not from the admin's per-field objects.

Django's change form draws every read-only field through an ``AdminReadonlyField`` and three
nested templates, and every read-only inline through a formset (a form class made per request, a
form per row, an ``AdminReadonlyField`` per cell). A repair's page has about forty read-only
fields, its clocks, appointments, Awaab's Law record and a page of history: drawing them that
way cost most of the page. Here each read-only value is worked out once, the way the admin shows
it (the same labels, a link to a related record's admin page, yes/no icons, line breaks), and
the page draws it from one list: a ``<dl>`` per fieldset and one table per read-only inline. The
fields an officer edits (an assignee, a team) are still the form's own, with their widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.admin.helpers import AdminForm
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.templatetags.admin_list import (  # type: ignore[attr-defined]
    _boolean_icon,
    _coerce_field_name,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    flatten_fieldsets,
    label_for_field,
    lookup_field,
    quote,
)
from django.contrib.contenttypes.admin import GenericInlineModelAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import (
    DateField,
    ForeignKey,
    ForeignObjectRel,
    ManyToManyRel,
    OneToOneField,
    QuerySet,
    TimeField,
)
from django.forms import BoundField
from django.forms.models import _get_foreign_key
from django.template.defaultfilters import capfirst, linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class SummaryRow:
    """One line of a case's summary: a read-only value (safe HTML), or a field the officer may
    change, drawn with its widget."""

    name: str
    label: str
    value: SafeString | str = ""
    field: BoundField | None = None


@dataclass(frozen=True)
class SummaryGroup:
    """One fieldset of the case's page."""

    title: str | None
    description: str
    collapsed: bool
    rows: list[SummaryRow]


@dataclass
class RecordTable:
    """The rows of one read-only inline (clocks, history, appointments...), values worked out."""

    anchor: str
    title: str
    headers: list[str]
    objects: list
    cells: list[list[SafeString | str]]
    stacked: bool
    # A history paged latest first (``casework.admin.CaseEventInline``): which page, and its size.
    page: int | None = None
    per_page: int | None = None
    records: list[list[tuple[str, SafeString | str]]] = field(default_factory=list)

    @property
    def has_older(self) -> bool:
        return self.per_page is not None and len(self.objects) == self.per_page


def readonly_value(model_admin, name, obj) -> SafeString | str:
    """``name`` of ``obj`` as the admin shows a read-only field
    (``django.contrib.admin.helpers.AdminReadonlyField.contents``), escaped."""
    empty = model_admin.get_empty_value_display()
    try:
        f, attr, value = lookup_field(name, obj, model_admin)
    except (AttributeError, ValueError, ObjectDoesNotExist):
        return conditional_escape(empty)
    if f is None:
        if getattr(attr, "boolean", False):
            shown = _boolean_icon(value)
        elif hasattr(value, "__html__"):
            shown = value
        else:
            shown = linebreaksbr(value)
        return conditional_escape(shown)
    if isinstance(f.remote_field, ManyToManyRel) and value is not None:
        shown = ", ".join(map(str, value.all()))
    elif isinstance(f.remote_field, (ForeignObjectRel, OneToOneField)) and value is not None:
        shown = _admin_link(model_admin, value)
    else:
        shown = display_for_field(value, f, empty)
    return conditional_escape(linebreaksbr(shown))


def _admin_link(model_admin, related) -> SafeString | str:
    opts = related._meta
    try:
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[quote(related.pk)],
            current_app=model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return str(related)
    return format_html('<a href="{}">{}</a>', url, related)


def _names(fields) -> list:
    """A fieldset's field names, those set side by side on one line included."""
    names: list = []
    for name in fields:
        names.extend(name if isinstance(name, (list, tuple)) else [name])
    return names


def summary_groups(model_admin, admin_form: AdminForm, obj) -> list[SummaryGroup]:
    """The case's fieldsets as lists of labels and values; an editable field keeps its place
    among them."""
    form = admin_form.form
    readonly = set(admin_form.readonly_fields)
    groups = []
    for title, options in admin_form.fieldsets:
        rows = []
        for name in _names(options.get("fields", ())):
            if name in form.fields and name not in readonly:
                bound = form[name]
                rows.append(SummaryRow(name=name, label=str(bound.label), field=bound))
                continue
            label = str(label_for_field(name, type(obj), model_admin))
            rows.append(
                SummaryRow(
                    name=str(name),
                    label=capfirst(label),
                    value=readonly_value(model_admin, name, obj),
                )
            )
        groups.append(
            SummaryGroup(
                title=title,
                description=str(options.get("description") or ""),
                collapsed="collapse" in options.get("classes", ()),
                rows=rows,
            )
        )
    return groups


def is_read_only_inline(inline: InlineModelAdmin, request, obj) -> bool:
    """An inline nobody adds to, changes or deletes from here: shown as a table of values."""
    return not (
        inline.has_add_permission(request, obj)
        or inline.has_change_permission(request, obj)
        or (inline.can_delete and inline.has_delete_permission(request, obj))
    )


def _rows_of(inline: InlineModelAdmin, request, parent) -> QuerySet:
    rows = inline.get_queryset(request)
    if isinstance(inline, GenericInlineModelAdmin):
        content_type = ContentType.objects.get_for_model(parent)
        return rows.filter(**{inline.ct_field: content_type, inline.ct_fk_field: parent.pk})
    fk = _get_foreign_key(type(parent), inline.model, fk_name=inline.fk_name)
    return rows.filter(**{fk.name: parent})


def record_table(inline: InlineModelAdmin, request, parent) -> RecordTable:
    """The rows of a read-only ``inline`` for ``parent``, each cell worked out once. An inline
    with ``page_of_rows`` (the history) narrows its rows to the page asked for."""
    names = flatten_fieldsets(inline.get_fieldsets(request, parent))
    rows = _rows_of(inline, request, parent)
    page = per_page = None
    paging = getattr(inline, "page_of_rows", None)
    if paging is not None:
        rows, page, per_page = paging(request, rows, parent)
    objects = list(rows)
    headers = [capfirst(str(label_for_field(name, inline.model, inline))) for name in names]
    cells = [[readonly_value(inline, name, row) for name in names] for row in objects]
    stacked = "stacked" in (inline.template or "")
    opts = inline.model._meta
    return RecordTable(
        anchor=f"{opts.app_label}-{opts.model_name}-records",
        title=capfirst(str(inline.verbose_name_plural or opts.verbose_name_plural)),
        headers=headers,
        objects=objects,
        cells=cells,
        stacked=stacked,
        page=page,
        per_page=per_page,
        records=[list(zip(headers, row, strict=True)) for row in cells] if stacked else [],
    )


def _cell_getter(model_admin, name, empty: str):
    """How one column of a queue is drawn for a row: decided once a page, not once a cell."""
    if callable(name) or _is_admin_method(model_admin, name):
        method = name if callable(name) else getattr(model_admin, name)
        if getattr(method, "boolean", False):
            return lambda obj: _boolean_icon(method(obj))
        return lambda obj: display_for_value(method(obj), empty)
    try:
        model_field = model_admin.model._meta.get_field(name)
    except (FieldDoesNotExist, TypeError):
        return lambda obj: _looked_up(model_admin, name, obj, empty)
    if model_field.is_relation:
        return lambda obj: display_for_value(getattr(obj, model_field.name), empty)
    return lambda obj: display_for_field(getattr(obj, model_field.attname), model_field, empty)


def _looked_up(model_admin, name, obj, empty: str):
    try:
        f, attr, value = lookup_field(name, obj, model_admin)
    except (AttributeError, ValueError, ObjectDoesNotExist):
        return empty
    if f is not None:
        return display_for_field(value, f, empty)
    return display_for_value(value, empty, getattr(attr, "boolean", False))


def _is_admin_method(model_admin, name) -> bool:
    """A column drawn by a method of the admin (``admin_utils.lookup_field``'s rule: the
    model's own ``__str__`` is the object's, not the admin's)."""
    return name == "action_checkbox" or (name != "__str__" and hasattr(model_admin, name))


def _column_class(model_admin, name, index: int) -> str:
    if name == "action_checkbox":
        return "action-checkbox"
    css = f"field-{_coerce_field_name(name, index)}"
    if not callable(name) and not _is_admin_method(model_admin, name):
        try:
            model_field = model_admin.model._meta.get_field(name)
        except FieldDoesNotExist:
            return css
        if isinstance(model_field, (DateField, TimeField, ForeignKey)):
            return f"{css} nowrap"
    return css


def queue_rows(cl) -> list[list[SafeString]]:
    """A queue page's rows as the admin draws them (``admin_list.items_for_result``: the same
    cells, classes and link to the case), each row one string. The admin works out how to draw
    each of a row's ten or so cells again for every row (the column's kind, its label, the
    case's address reversed per row); here that is done once a page."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    names = list(cl.list_display)
    getters = [_cell_getter(model_admin, name, empty) for name in names]
    classes = [_column_class(model_admin, name, i) for i, name in enumerate(names)]
    linked = set(cl.list_display_links or ())
    opts = cl.opts
    placeholder = "0000000000"
    address = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": opts},
        reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[placeholder],
            current_app=model_admin.admin_site.name,
        ),
    )
    rows = []
    for obj in cl.result_list:
        cells = []
        first = True
        for name, getter, css in zip(names, getters, classes, strict=True):
            shown = conditional_escape(getter(obj))
            if name in linked:
                tag = "th" if first else "td"
                first = False
                url = address.replace(placeholder, str(quote(obj.pk)), 1)
                cells.append(
                    format_html(
                        '<{} class="{}"><a href="{}">{}</a></{}>', tag, css, url, shown, tag
                    )
                )
            else:
                cells.append(format_html('<td class="{}">{}</td>', css, shown))
        rows.append([SafeString("".join(cells))])
    return rows
