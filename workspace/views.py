"""The staff workspace's pages, inside the admin (same sign-in, authenticator and look): my
work across every case type, a household's whole picture, and finding a customer.

Open to staff of any role; what each page lists is limited by the reader's role through the
case kernel (``casework.access.staff_cases``), never by the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from casework.access import log_notes_read, log_sensitive_read
from kernel.access import staff_required
from kernel.roles import Role
from kernel.url_parameters import page_number_from_query
from workspace import selectors
from workspace.forms import BulkAssignForm, FindForm, QueueForm
from workspace.services import BulkAssignmentRefused, cases_assign_in_bulk

ANY_ROLE = tuple(Role)


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


@staff_required(*ANY_ROLE)
@require_http_methods(["GET", "POST"])
def my_work(request):
    """The officer's queue across every case type, soonest clock first; ticked cases can be
    taken or given to a colleague in one go."""
    colleagues = selectors.assignable_colleagues(request.user)
    if request.method == "POST":
        form = BulkAssignForm(request.POST, colleagues=colleagues)
        if form.is_valid():
            take = form.cleaned_data["action"] == BulkAssignForm.TAKE
            assignee = form.chosen_assignee(request.user)
            try:
                changed = cases_assign_in_bulk(
                    actor=request.user, references=form.references, assignee=assignee
                )
            except BulkAssignmentRefused as refused:
                messages.error(request, "Nothing was changed. " + " ".join(refused.problems))
            else:
                who = "you" if take else (assignee.get_full_name() or assignee.email)
                messages.success(
                    request, f"{changed} case{'s' if changed != 1 else ''} given to {who}."
                )
        else:
            problems = [e for errors in form.errors.values() for e in errors]
            messages.error(request, "Nothing was changed. " + " ".join(problems))
        # Back to the same view of the queue the officer was working.
        return redirect(request.get_full_path())
    queue = QueueForm(request.GET)
    scope, due, size = queue.chosen()
    page = selectors.my_work(
        request.user,
        scope=scope,
        due=due,
        page=page_number_from_query(request.GET.get("page")),
        page_size=size,
    )

    def link(**changes) -> str:
        query = {"scope": scope.value, "due": due.value, "size": size, **changes}
        return "?" + urlencode({k: v for k, v in query.items() if v not in ("", None)})

    context = {
        **_admin_context(request, "My work"),
        "page": page,
        "scope": scope,
        "due": due,
        "size": size,
        "scopes": [(s, label, link(scope=s.value, page="")) for s, label in _scopes()],
        "dues": [(d, label, link(due=d.value, page="")) for d, label in _dues()],
        "sizes": [(n, link(size=n, page="")) for n in selectors.PAGE_SIZES],
        "previous_link": link(page=page.number - 1) if page.has_previous else "",
        "next_link": link(page=page.number + 1) if page.has_next else "",
        "bulk_form": BulkAssignForm(colleagues=colleagues),
    }
    return render(request, "workspace/my_work.html", context)


def _scopes():
    return selectors.SCOPE_LABELS.items()


def _dues():
    return selectors.DUE_LABELS.items()


@staff_required(*ANY_ROLE)
@require_GET
def household(request, tenancy_id: int):
    """One household for an adviser on the phone: how to talk to them first, then every case
    the adviser's role may see, the latest messages and contacts."""
    tenancy = selectors.access_tenancy_for_staff(tenancy_id)
    if tenancy is None:
        raise Http404
    picture = selectors.household_picture(request.user, tenancy)
    # Naming a sensitive case is a read of it (decision 0003), written down for each one shown.
    for case in picture.sensitive_cases:
        log_sensitive_read(user=request.user, case=case, path=request.get_full_path())
    # So is showing a person's vulnerability or safe-contact notes, for each person shown.
    for person in picture.people_with_confidential_notes:
        log_notes_read(user=request.user, customer=person, path=request.get_full_path())
    every_closed_case = request.GET.get("closed") == "all"
    closed_shown = picture.closed_cases_shown(every_one=every_closed_case)
    context = {
        **_admin_context(request, f"Household {tenancy.reference}"),
        "picture": picture,
        "closed_shown": closed_shown,
        "closed_hidden": len(picture.closed_cases) - len(closed_shown),
        "sensitive_record": bool(picture.people_with_confidential_notes),
    }
    return render(request, "workspace/household.html", context)


@staff_required(*ANY_ROLE)
@require_GET
def find_customer(request):
    """Find a household by a case reference (only a case the officer may see), or a customer
    by tenancy reference, postcode, email or name."""
    form = FindForm(request.GET or None)
    customers = None
    if form.is_valid():
        query = form.cleaned_data["q"]
        found_case = selectors.find_case_for_staff(request.user, query)
        if found_case is not None:
            if found_case.case.tenancy_id is None:
                # An applicant's case: there is no household to show, so the case itself.
                meta = found_case.case._meta
                return redirect(
                    f"admin:{meta.app_label}_{meta.model_name}_change", found_case.case.pk
                )
            return redirect("workspace:household", found_case.case.tenancy_id)
        customers = selectors.find_customers(query)
    context = {**_admin_context(request, "Find a customer"), "form": form, "customers": customers}
    return render(request, "workspace/find.html", context)
