"""The customer's repairs pages: report (one question per page, check your answers,
confirmation), track, book, rebook, cancel, "this is not fixed", and how we did; and the
manager's measures page.

Views are thin: access, a form, one service call, redirect. A customer reaches a repair only
through ``access_repair`` (404 outside the household).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.models import ReceivedBy
from casework.services import MAX_ATTACHMENTS_PER_CASE, attachment_add
from kernel.access import customer_required, staff_required
from kernel.formatting import LONDON
from kernel.reporting import reporting_year_chosen, reporting_years_offered
from kernel.roles import Role
from kernel.url_parameters import page_number_from_query
from repairs import catalogue, selectors, services
from repairs.catalogue import Location
from repairs.draft import Draft, ReportContext
from repairs.forms import (
    LATER,
    AreaForm,
    DampExtentForm,
    DampPeopleForm,
    DampRoomsForm,
    DetailsForm,
    EmergencyForm,
    ItemForm,
    LocationForm,
    NotFixedForm,
    PhotoForm,
    SatisfactionForm,
    SlotForm,
)
from repairs.models import DampRoom, HazardExtent, RepairStatus, Vulnerability
from repairs.services import RepairRefused, SlotAfterDue, SlotFull
from tenancy.selectors import access_customer_household

STEP_URLS = {
    "emergency": "repairs:report_emergency",
    "gas": "repairs:report_gas",
    "where": "repairs:report_where",
    "area": "repairs:report_area",
    "problem": "repairs:report_problem",
    "advice": "repairs:report_advice",
    "damp_rooms": "repairs:report_damp_rooms",
    "damp_size": "repairs:report_damp_size",
    "damp_people": "repairs:report_damp_people",
    "details": "repairs:report_details",
    "photos": "repairs:report_photos",
    "appointment": "repairs:report_appointment",
}


def _today():
    return timezone.localtime(timezone.now(), LONDON).date()


# ---------------------------------------------------------------------------------------------
# Your repairs, and one repair
# ---------------------------------------------------------------------------------------------

REPAIRS_PER_PAGE = 50


@customer_required
@require_GET
def repair_list(request):
    customer = request.user.customer
    listing = selectors.repair_rows_for_household(
        customer, page=page_number_from_query(request.GET.get("page")), per_page=REPAIRS_PER_PAGE
    )
    context = {
        "open_repairs": [r for r in listing.rows if r.is_open],
        "closed_repairs": [r for r in listing.rows if not r.is_open],
        "listing": listing,
    }
    return render(request, "repairs/repair_list.html", context)


@customer_required
@require_GET
def planned_works(request):
    works = selectors.planned_works_for_household(request.user.customer)
    return render(request, "repairs/planned_works.html", {"planned_works": works})


@customer_required
@require_GET
def repair_detail(request, reference: str):
    page = selectors.repair_for_page(request.user, reference)
    repair = page.repair
    context = {
        "repair": repair,
        "appointment": repair.booked_label,
        "deadlines": page.next_steps,
        # The earliest running clock is the repair's due date: for a reopened repair that is
        # its new clock, never the first target.
        "next_step": page.next_steps[0] if page.next_steps else None,
        "timeline": page.timeline,
        "photos": page.photos,
        "can_book": _can_book(repair),
        "can_add_photo": repair.closed_at is None and len(page.photos) < services.MAX_PHOTOS,
        "hazard": page.hazard,
        "emergency_phone": settings.ORGANISATION["emergency_phone"],
    }
    return render(request, "repairs/repair_detail.html", context)


def _can_book(repair) -> bool:
    return not repair.is_emergency and repair.status in services.BOOKABLE_STATUSES


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def repair_book(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    if not _can_book(repair):
        messages.info(request, "This repair cannot be booked online.")
        return redirect("repairs:detail", reference=repair.reference)
    # Only days on or before the earliest running clock are offered; staff book later ones,
    # with a reason, when nothing earlier can be found.
    due_day = services.visit_due_day(repair)
    slots = selectors.available_slots(
        trade=repair.trade,
        patch=repair.patch,
        include_full=request.method == "POST",
        last_day=due_day,
    )
    form = SlotForm(request.POST or None, slots=slots, allow_later=False)
    if request.method == "POST" and form.is_valid():
        slot = selectors.bookable_slot(
            slot_id=int(form.cleaned_data["slot"]), trade=repair.trade, patch=repair.patch
        )
        try:
            if slot is None:
                raise SlotFull("Sorry, that appointment is no longer available.")
            appointment = services.appointment_book(repair=repair, slot=slot, actor=request.user)
        except (SlotFull, SlotAfterDue) as exc:
            messages.error(request, str(exc))
            return redirect("repairs:book", reference=repair.reference)
        except RepairRefused as exc:
            messages.error(request, str(exc))
            return redirect("repairs:detail", reference=repair.reference)
        messages.success(
            request,
            "Appointment booked: " + services.slot_label(appointment.date, appointment.window),
        )
        return redirect("repairs:detail", reference=repair.reference)
    return render(
        request,
        "repairs/book.html",
        {
            "repair": repair,
            "form": form,
            "slots": slots,
            "due_day": due_day,
            "appointment": selectors.booked_appointment(repair),
        },
    )


@customer_required
@require_http_methods(["GET", "POST"])
def appointment_cancel(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    appointment = selectors.booked_appointment(repair)
    if appointment is None:
        raise Http404
    if request.method == "POST":
        try:
            services.appointment_cancel(
                appointment=appointment, by_customer=True, actor=request.user
            )
        except RepairRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                "Your appointment has been cancelled. The repair is still "
                "open: choose a new appointment when it suits you.",
            )
        return redirect("repairs:detail", reference=repair.reference)
    return render(request, "repairs/cancel.html", {"repair": repair, "appointment": appointment})


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def not_fixed(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    if repair.status != RepairStatus.COMPLETED:
        raise Http404
    customer = request.user.customer
    form = NotFixedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.repair_report_not_fixed(
                repair=repair,
                customer=customer,
                details=form.cleaned_data["details"],
                make_complaint=form.cleaned_data["next_step"] == "complain",
            )
        except RepairRefused as exc:
            messages.error(request, str(exc))
            return redirect("repairs:detail", reference=repair.reference)
        if result is not repair:
            messages.success(
                request,
                f"We have reopened the repair and opened your complaint {result.reference}.",
            )
        else:
            messages.success(request, "We have reopened the repair.")
        return redirect("repairs:detail", reference=repair.reference)
    return render(request, "repairs/not_fixed.html", {"repair": repair, "form": form})


@customer_required
@require_http_methods(["GET", "POST"])
def feedback(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    if repair.status != RepairStatus.COMPLETED or repair.satisfaction_at is not None:
        raise Http404
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.repair_record_satisfaction(
                repair=repair,
                customer=request.user.customer,
                overall=form.cleaned_data["overall"],
                time_taken=form.cleaned_data["time_taken"],
                comment=form.cleaned_data["comment"],
            )
        except RepairRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you for telling us how we did.")
        return redirect("repairs:detail", reference=repair.reference)
    return render(request, "repairs/feedback.html", {"repair": repair, "form": form})


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def repair_add_photo(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    if repair.closed_at is not None:
        raise Http404
    photos = selectors.repair_photos(repair)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if len(photos) >= services.MAX_PHOTOS:
            form.add_error("photo", f"You can add up to {services.MAX_PHOTOS} photos")
        else:
            try:
                attachment_add(
                    case=repair, uploaded_file=form.cleaned_data["photo"], uploaded_by=request.user
                )
            except ValidationError as exc:
                form.add_error("photo", exc)
            else:
                messages.success(request, "Photo added.")
                return redirect("repairs:detail", reference=repair.reference)
    return render(
        request,
        "repairs/add_photo.html",
        {
            "repair": repair,
            "form": form,
            "photos": photos,
            "max_photos": min(services.MAX_PHOTOS, MAX_ATTACHMENTS_PER_CASE),
        },
    )


# ---------------------------------------------------------------------------------------------
# Reporting a repair: one question per page
# ---------------------------------------------------------------------------------------------


def _report(request) -> tuple[Draft | None, ReportContext]:
    customer = access_customer_household(request.user)
    return Draft.load(request.session), ReportContext(customer=customer, today=_today())


def _next(draft: Draft, ctx: ReportContext):
    missing = draft.first_missing(ctx)
    return redirect(STEP_URLS[missing] if missing else "repairs:report_check")


def _question_page(
    request, step: str, form_factory, template: str = "repairs/question.html", **extra
):
    """The shape of every question page: no draft or an earlier question unanswered sends the
    customer to the right page; a valid answer is kept in the draft, then on to the next."""
    draft, ctx = _report(request)
    if draft is None:
        return redirect("repairs:report_start")
    if not draft.may_ask(step, ctx):
        return _next(draft, ctx)
    form, apply_answer = form_factory(
        draft, ctx, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        apply_answer(form.cleaned_data)
        draft.save(request.session)
        return _next(draft, ctx)
    context = {"form": form, "draft": draft, "step": step, "back": _back(draft, ctx, step), **extra}
    return render(request, template, context)


def _back(draft: Draft, ctx: ReportContext, step: str) -> str:
    previous = reverse("repairs:report_start")
    for name, _answered in draft.steps(ctx):
        if name == step:
            return previous
        if name not in ("advice", "gas"):
            previous = reverse(STEP_URLS[name])
    return previous


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_start(request):
    """The start page. Starting writes a fresh draft, so an old half-finished report is
    replaced only when the customer chooses to start again."""
    draft, ctx = _report(request)
    if request.method == "POST":
        Draft().save(request.session)
        return redirect("repairs:report_emergency")
    return render(
        request,
        "repairs/report_start.html",
        {
            "draft": draft,
            "locations": ctx.locations,
            "owns_home": ctx.owns_home,
            "resume": draft
            and (
                reverse(STEP_URLS[draft.first_missing(ctx)])
                if draft.first_missing(ctx)
                else reverse("repairs:report_check")
            ),
        },
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_emergency(request):
    def factory(draft, ctx, data):
        form = EmergencyForm(data, initial={"emergency": draft.emergency}, winter=ctx.winter)

        def apply(cleaned):
            draft.set_emergency(cleaned["emergency"])

        return form, apply

    return _question_page(
        request,
        "emergency",
        factory,
        template="repairs/report_emergency.html",
        emergency_phone=settings.ORGANISATION["emergency_phone"],
    )


@customer_required(current_tenancy=True)
@require_GET
def report_gas(request):
    return render(
        request,
        "repairs/report_gas.html",
        {"gas_phone": settings.ORGANISATION["gas_emergency_phone"]},
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_where(request):
    draft, ctx = _report(request)
    if draft is None:
        return redirect("repairs:report_start")
    if not draft.may_ask("where", ctx):
        return _next(draft, ctx)
    locations = ctx.locations
    if not locations:
        return render(request, "repairs/report_not_ours.html", {"ctx": ctx})
    if len(locations) == 1 and not ctx.owns_home:
        draft.set_location(locations[0])
        draft.save(request.session)
        return _next(draft, ctx)

    def factory(draft, ctx, data):
        form = LocationForm(data, initial={"location": draft.location}, locations=locations)

        def apply(cleaned):
            draft.set_location(cleaned["location"])

        return form, apply

    return _question_page(
        request, "where", factory, template="repairs/report_where.html", owns_home=ctx.owns_home
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_area(request):
    def factory(draft, ctx, data):
        form = AreaForm(data, initial={"area": draft.area}, location=draft.location)

        def apply(cleaned):
            draft.set_area(cleaned["area"])

        return form, apply

    return _question_page(request, "area", factory)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_problem(request):
    def factory(draft, ctx, data):
        area = catalogue.find_area(draft.area)
        if area is None:
            raise Http404
        form = ItemForm(data, initial={"item": draft.item}, area=area)

        def apply(cleaned):
            draft.set_item(cleaned["item"])

        return form, apply

    return _question_page(request, "problem", factory)


@customer_required(current_tenancy=True)
@require_GET
def report_advice(request):
    """The end of a report that is not ours to repair: who is, and what to do."""
    draft, ctx = _report(request)
    if draft is None:
        return redirect("repairs:report_start")
    if not draft.may_ask("advice", ctx):
        return _next(draft, ctx)
    return render(
        request,
        "repairs/report_advice.html",
        {
            "draft": draft,
            "entry": draft.item_entry,
            "owns_home": ctx.owns_home,
            "back": _back(draft, ctx, "advice"),
        },
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_damp_rooms(request):
    def factory(draft, ctx, data):
        form = DampRoomsForm(data, initial={"rooms": draft.rooms}, location=draft.location)

        def apply(cleaned):
            draft.set_rooms([r for r in cleaned["rooms"] if r in DampRoom.values])

        return form, apply

    return _question_page(request, "damp_rooms", factory)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_damp_size(request):
    def factory(draft, ctx, data):
        form = DampExtentForm(data, initial={"extent": draft.extent})

        def apply(cleaned):
            draft.extent = cleaned["extent"]
            draft._clear("slot")

        return form, apply

    return _question_page(request, "damp_size", factory)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_damp_people(request):
    def factory(draft, ctx, data):
        initial = draft.people or (["none"] if draft.people_answered else [])
        form = DampPeopleForm(data, initial={"people": initial})

        def apply(cleaned):
            draft.people = [p for p in cleaned["people"] if p in Vulnerability.values]
            draft.people_answered = True
            draft._clear("slot")

        return form, apply

    return _question_page(request, "damp_people", factory)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_details(request):
    def factory(draft, ctx, data):
        form = DetailsForm(data, initial={"description": draft.description})

        def apply(cleaned):
            draft.description = cleaned["description"]

        return form, apply

    return _question_page(request, "details", factory)


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_photos(request):
    """Add up to five photos, one at a time, then continue. A refused photo is reported on this
    page; every answer already given stays in the draft."""
    draft, ctx = _report(request)
    if draft is None:
        return redirect("repairs:report_start")
    if not draft.may_ask("photos", ctx):
        return _next(draft, ctx)
    form = PhotoForm()
    if request.method == "POST":
        if "continue" in request.POST:
            draft.photos_done = True
            draft.save(request.session)
            return _next(draft, ctx)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.draft_photo_add(
                    customer=ctx.customer,
                    draft=uuid.UUID(draft.id),
                    uploaded_file=form.cleaned_data["photo"],
                )
            except ValidationError as exc:
                form.add_error("photo", exc)
            else:
                messages.success(request, "Photo added.")
                return redirect("repairs:report_photos")
    photos = selectors.draft_photos(ctx.customer, draft.id)
    return render(
        request,
        "repairs/report_photos.html",
        {
            "form": form,
            "photos": photos,
            "draft": draft,
            "max_photos": services.MAX_PHOTOS,
            "back": _back(draft, ctx, "photos"),
        },
    )


@customer_required(current_tenancy=True)
@require_POST
def report_photo_remove(request, photo_id: int):
    draft, ctx = _report(request)
    if draft is None:
        raise Http404
    if not services.draft_photo_remove(
        customer=ctx.customer, draft=uuid.UUID(draft.id), photo_id=photo_id
    ):
        raise Http404
    messages.success(request, "Photo removed.")
    return redirect("repairs:report_photos")


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_appointment(request):
    draft, ctx = _report(request)
    if draft is None:
        return redirect("repairs:report_start")
    if not draft.may_ask("appointment", ctx):
        return _next(draft, ctx)
    entry = draft.item_entry
    due_day = draft.visit_due_day(ctx)
    slots = selectors.available_slots(
        trade=entry.trade,
        patch=ctx.home.patch,
        include_full=request.method == "POST",
        last_day=due_day,
    )
    initial = LATER if draft.slot_chosen and draft.slot is None else draft.slot
    form = SlotForm(request.POST or None, initial={"slot": initial}, slots=slots, allow_later=True)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["slot"]
        if chosen != LATER and next(s for s in slots if str(s.pk) == chosen).places_left == 0:
            messages.error(
                request, "Sorry, that appointment has just been taken. Choose another time."
            )
            return redirect("repairs:report_appointment")
        draft.slot = None if chosen == LATER else int(chosen)
        draft.slot_chosen = True
        draft.save(request.session)
        return _next(draft, ctx)
    return render(
        request,
        "repairs/report_appointment.html",
        {
            "form": form,
            "slots": slots,
            "due_day": due_day,
            "draft": draft,
            "back": _back(draft, ctx, "appointment"),
        },
    )


@customer_required(current_tenancy=True)
@require_http_methods(["GET", "POST"])
def report_check(request):
    """Check your answers, then send. The hidden idempotency key makes a double click or a retried
    request find the repair the first one made."""
    draft, ctx = _report(request)
    if request.method == "POST":
        sent = _already_sent(request.POST.get("idempotency_key"), ctx)
        if sent is not None:
            return redirect("repairs:report_sent", reference=sent.reference)
    if draft is None:
        return redirect("repairs:report_start")
    missing = draft.first_missing(ctx)
    if missing is not None:
        return _next(draft, ctx)
    entry = draft.item_entry
    slot = None
    if draft.slot is not None:
        slot = selectors.bookable_slot(slot_id=draft.slot, trade=entry.trade, patch=ctx.home.patch)
    error = ""
    if request.method == "POST":
        if request.POST.get("idempotency_key") != draft.token:
            messages.error(
                request, "This page was out of date. Check your answers and send the report again."
            )
            return redirect("repairs:report_check")
        if draft.slot is not None and (slot is None or slot.places_left == 0):
            return _slot_gone(request, draft)
        try:
            repair = services.repair_create(
                customer=ctx.customer,
                item_code=draft.item,
                location=draft.location,
                description=draft.description,
                received_by=ReceivedBy.PORTAL,
                actor=request.user,
                emergency_reason=draft.emergency if draft.is_reported_emergency else "",
                hazard=draft.hazard_answers(),
                slot=slot,
                idempotency_key=uuid.UUID(draft.token),
                draft=uuid.UUID(draft.id),
            )
        except (SlotFull, SlotAfterDue):
            # Taken meanwhile, or no longer before the due date (the page was left open
            # overnight): choose again, with the report kept.
            return _slot_gone(request, draft)
        except RepairRefused as exc:
            error = str(exc)
        else:
            Draft.clear(request.session)
            return redirect("repairs:report_sent", reference=repair.reference)
    context = {
        "draft": draft,
        "entry": entry,
        "slot": slot,
        "error": error,
        "location_label": Location(draft.location).label,
        "emergency_label": (
            catalogue.EmergencyKind(draft.emergency).label if draft.is_reported_emergency else ""
        ),
        "rooms": [DampRoom(r).label for r in draft.rooms],
        "extent": HazardExtent(draft.extent).label if draft.extent else "",
        "people": [Vulnerability(p).label for p in draft.people],
        "photos": selectors.draft_photos(ctx.customer, draft.id),
        "is_emergency": draft.is_emergency(),
        "is_defect": draft.is_defect(ctx),
        "builder": ctx.home.builder,
        "offers_slots": draft.offers_slots(ctx),
        "area_label": catalogue.find_area(draft.area).label if draft.area else "",
        "emergency_phone": settings.ORGANISATION["emergency_phone"],
        "back": reverse(STEP_URLS[draft.steps(ctx)[-1][0]]),
    }
    return render(request, "repairs/report_check.html", context)


def _already_sent(token: str | None, ctx: ReportContext):
    try:
        key = uuid.UUID(token or "")
    except ValueError:
        return None
    return selectors.repair_for_token(key, tenancy_id=ctx.customer.household_id)


def _slot_gone(request, draft: Draft):
    """Someone else took the last place: back to the choice of slots, report kept."""
    draft._clear("slot")
    draft.save(request.session)
    messages.error(
        request,
        "Sorry, the appointment you chose has just been taken. Your report "
        "has been kept: choose another appointment.",
    )
    return redirect("repairs:report_appointment")


@customer_required
@require_GET
def report_sent(request, reference: str):
    repair = selectors.access_repair(request.user, reference)
    return render(
        request,
        "repairs/report_sent.html",
        {
            "repair": repair,
            "appointment": repair.booked_label,
            "emergency_phone": settings.ORGANISATION["emergency_phone"],
            "hazard": getattr(repair, "hazard", None),
        },
    )


# ---------------------------------------------------------------------------------------------
# Managers
# ---------------------------------------------------------------------------------------------


@staff_required(Role.MANAGER)
@require_GET
def measures(request):
    today = _today()
    year = reporting_year_chosen(request.GET.get("year"), today=today)
    return render(
        request,
        "repairs/measures.html",
        {
            "measures": selectors.repair_measures(first=year.starts, last=year.ends),
            "year": year,
            "years": reporting_years_offered(today),
            "year_so_far": not year.has_ended(today),
        },
    )
