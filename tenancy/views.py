from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kernel.access import applicant_required
from tenancy.forms import ContactDetailsForm
from tenancy.selectors import access_customer
from tenancy.services import (
    CONTACT_FIELDS,
    customer_request_email_change,
    customer_update_contact_details,
)


@applicant_required
@require_http_methods(["GET", "POST"])
def your_details(request):
    customer = access_customer(request.user)
    if request.method == "POST":
        form = ContactDetailsForm(request.POST)
        if form.is_valid():
            details = dict(form.cleaned_data)
            new_email = details.pop("email")
            pending = customer_request_email_change(
                request=request, customer=customer, email=new_email
            )
            changed = customer_update_contact_details(customer=customer, **details)
            if pending:
                messages.info(
                    request,
                    f"We have sent a link to {new_email.strip().lower()}. Your email address "
                    "changes when you open it; until then we keep using "
                    f"{customer.email or 'your current address'}.",
                )
            messages.success(
                request,
                "Your details have been saved."
                if changed
                else ("Nothing else needed changing." if pending else "Nothing needed changing."),
            )
            return redirect("tenancy:your_details")
    else:
        form = ContactDetailsForm(initial={f: getattr(customer, f) for f in CONTACT_FIELDS})
    return render(request, "tenancy/your_details.html", {"form": form, "customer": customer})
