"""The customer's inbox: every message we have sent them, by any channel."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kernel.access import applicant_required
from notifications.selectors import access_message, messages_for_customer
from tenancy.selectors import access_customer

MESSAGES_PER_PAGE = 20


@applicant_required
@require_GET
def inbox(request):
    customer = access_customer(request.user)
    paginator = Paginator(messages_for_customer(customer), MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(request, "notifications/inbox.html", {"page": page, "page_range": page_range})


@applicant_required
@require_GET
def message_detail(request, pk: int):
    """One message, shown only to the customer it was sent to (see ``access_message``)."""
    message = access_message(request.user, pk)
    return render(request, "notifications/message_detail.html", {"message": message})
