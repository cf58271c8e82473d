from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kernel.access import customer_required
from tenancy.forms import ContactDetailsForm
from tenancy.selectors import access_customer_household
from tenancy.services import CONTACT_FIELDS, customer_update_contact_details


@customer_required
@require_http_methods(["GET", "POST"])
def your_details(request):
    customer = access_customer_household(request.user)
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            changed = customer_update_contact_details(customer=customer, **form.cleaned_data)
            messages.success(
                request, "Your details have been saved." if changed else "Nothing needed changing."
            )
            return redirect("tenancy:your_details")
    else:
        form = ContactDetailsForm(initial={f: getattr(customer, f) for f in CONTACT_FIELDS})
    return render(request, "tenancy/your_details.html", {"form": form, "customer": customer})
