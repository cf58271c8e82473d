"""The customer's cases: every case of the household on one list, one page per case, and the
files on a case (also served to staff whose role allows the case)."""

from __future__ import annotations

import logging

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from casework.access import (
    access_case_for_customer,
    access_case_for_reader,
    case_reader_required,
    entry_for_model,
)
from casework.selectors import (
    HouseholdCases,
    access_attachment,
    attachments_for_case,
    customer_timeline,
    open_deadlines_for_case,
    summarise_case,
)
from kernel.access import customer_required
from tenancy.selectors import access_customer_household

logger = logging.getLogger(__name__)

CASES_PER_PAGE = 50


@customer_required
@require_GET
def case_list(request):
    customer = access_customer_household(request.user)
    paginator = Paginator(HouseholdCases(customer.tenancy, viewer=customer), CASES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(
        request,
        "casework/case_list.html",
        {"cases": page.object_list, "page": page, "page_range": page_range},
    )


@customer_required
@require_GET
def case_detail(request, reference: str):
    case = access_case_for_customer(request.user, reference)
    context = {
        "case": case,
        "summary": summarise_case(case, entry_for_model(type(case))),
        "next_steps": list(open_deadlines_for_case(case)) if case.is_open else [],
        "timeline": customer_timeline(case),
        "attachments": attachments_for_case(case, customer_view=True),
    }
    return render(request, "casework/case_detail.html", context)


@case_reader_required
@require_GET
def attachment_download(request, reference: str, attachment_id: int):
    case, staff_reader = access_case_for_reader(request.user, reference, path=request.path)
    attachment = access_attachment(case, attachment_id, customer_view=not staff_reader)
    if attachment is None:
        raise Http404
    try:
        stored = attachment.file.open("rb")
    except FileNotFoundError:
        logger.error("Attachment %s of %s is missing from storage.", attachment.pk, reference)
        raise Http404 from None
    # Always a download with the type we found by its bytes: an uploaded file is never
    # rendered by the browser in our origin.
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
