"""The case queues' rows, drawn from ``casework.admin_page.queue_rows``."""

from __future__ import annotations

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_list
from django.contrib.admin.templatetags.base import InclusionAdminNode

from casework.admin_page import queue_rows

register = template.Library()


def queue_result_list(cl) -> dict:
    """The admin's ``result_list`` (the same headers and sorting links), with the rows worked
    out once a page. A list whose rows are edited in place (``list_editable``) keeps the
    admin's own."""
    if cl.formset:
        return result_list(cl)
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": queue_rows(cl),
    }


@register.tag(name="queue_result_list")
def queue_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=queue_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
