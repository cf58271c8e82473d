from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.selectors import messages_for_customer
from portal.access import customer_required
from tenancy.selectors import access_customer_household


@customer_required
@require_GET
def inbox(request):
    customer = access_customer_household(request.user)
    page = Paginator(messages_for_customer(customer), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})
