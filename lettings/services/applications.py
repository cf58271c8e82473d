"""Applications: interest, priority, shortlist, offer, viewing, acceptance and sign-up."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import ReceivedBy
from casework.services import attachment_add, case_open
from kernel.formatting import LONDON, london_date, london_datetime
from lettings.models import (
    HOLDS_THE_HOME,
    OFFER_IN_PROGRESS,
    Advert,
    AdvertStatus,
    Application,
    Band,
    SettlingIn,
    SettlingInStatus,
    Void,
)
from lettings.selectors import (
    affordable,
    shortlist_for_advert,
    viewing_notice_hours,
)
from lettings.services._common import (
    APPLICATION_TRANSITIONS,
    OFFER_NOTIFY,
    SETTLING_IN_VISIT,
    LettingRefused,
    S,
    _lock,
    _move,
    _site,
    _tell,
    lettings_team,
)
from rent.handover import RentRuleBroken, rent_account_open_for_new_tenancy
from sla.services import deadline_meet, deadline_start
from tenancy.models import Customer, HouseholdRole, TenancyType
from tenancy.services import NewHouseholdMember, tenancy_create_for_letting


def application_url(application: Application) -> str:
    return _site(
        reverse("lettings:application_detail", kwargs={"reference": application.reference})
    )


@transaction.atomic
def application_express_interest(
    *,
    customer: Customer,
    advert: Advert,
    needs_adapted_home: bool = False,
    idempotency_key: uuid.UUID | None = None,
) -> Application:
    """An applicant says they want the home. Refused after the advert closes and a second
    time for the same home. Their band and its date come from the scheme (staff record them)."""
    if idempotency_key is not None:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.customer_id != customer.pk:
                raise LettingRefused("This form has already been used. Start again.")
            return existing
    advert = _lock(Advert, advert.pk)
    if not advert.is_open_for_interest:
        raise LettingRefused("This advert has closed: look for another home.")
    if Application.objects.filter(advert=advert, customer=customer).exists():
        raise LettingRefused("You have already told us you are interested in this home.")
    application = case_open(
        model=Application,
        customer=customer,
        received_by=ReceivedBy.PORTAL,
        status=S.INTERESTED,
        team=lettings_team(),
        advert=advert,
        band=Band.D,
        band_date=timezone.localdate(),
        needs_adapted_home=needs_adapted_home,
        idempotency_key=idempotency_key,
        note=f"Interest in {advert.title}",
    )
    _tell(
        application,
        customer,
        key="interest",
        subject=f"We have your interest in {advert.title}",
        body=(
            f"Thank you. We have your interest in {advert.title} ({application.reference}). "
            f"The advert closes {london_datetime(advert.closes_at)}. If you are selected we will "
            f"tell you within 7 days of it closing.\n\n{application_url(application)}"
        ),
    )
    return application


@transaction.atomic
def application_record_priority(
    *, application: Application, band: str, band_date: dt.date, actor: User
) -> Application:
    """The applicant's band and its date, as the scheme gave them (imported or entered)."""
    if band not in Band.values:
        raise LettingRefused("Choose a band.")
    if band_date > timezone.localdate():
        raise LettingRefused("The band date cannot be in the future.")
    Application.objects.filter(pk=application.pk).update(band=band, band_date=band_date)
    application.band, application.band_date = band, band_date
    return application


@transaction.atomic
def advert_import_priorities(
    *, advert: Advert, rows: list[tuple[str, str, dt.date]], actor: User
) -> int:
    """The scheme's bands and dates for this advert's applicants, as (reference, band, date)
    rows from its export. All or nothing: one row naming no applicant of this advert, or with
    a band or date the scheme cannot have given, refuses the whole import, saying which."""
    problems = []
    by_reference = {
        reference.upper(): pk
        for reference, pk in Application.objects.filter(advert=advert).values_list(
            "reference", "pk"
        )
    }
    today = timezone.localdate()
    updates = []
    for line, (reference, band, band_date) in enumerate(rows, start=1):
        pk = by_reference.get(reference.strip().upper())
        if pk is None:
            problems.append(f"Line {line}: {reference} is not an application for this home.")
        elif band not in Band.values:
            problems.append(f"Line {line}: {band} is not a band.")
        elif band_date > today:
            problems.append(f"Line {line}: the band date is in the future.")
        else:
            updates.append(Application(pk=pk, band=band, band_date=band_date))
    if problems:
        raise LettingRefused(" ".join(problems[:10]))
    Application.objects.bulk_update(updates, ["band", "band_date"])
    return len(updates)


@transaction.atomic
def advert_shortlist(*, advert: Advert, actor: User, size: int = 5) -> list[Application]:
    """Shortlist the first ``size`` applicants by the scheme's priority (an adapted home to
    those who need one first, then band, then band date, then who asked first)."""
    advert = _lock(Advert, advert.pk)
    if advert.status != AdvertStatus.CLOSED:
        raise LettingRefused("Shortlist once the advert has closed.")
    chosen = [a for a in shortlist_for_advert(advert, limit=size) if a.status == S.INTERESTED]
    for application in chosen:
        _move(application, S.SHORTLISTED, APPLICATION_TRANSITIONS, actor=actor)
    return chosen


@transaction.atomic
def application_offer(*, application: Application, actor: User) -> Application:
    """Select this applicant: they are told now, by their channel and in the portal, which
    meets the 7-day clock that has run since the advert closed."""
    application = _lock(Application, application.pk)
    advert = _lock(Advert, application.advert_id)
    if advert.status != AdvertStatus.CLOSED:
        raise LettingRefused("An offer is made once the advert has closed and before it is let.")
    if Application.objects.filter(advert=advert, status__in=OFFER_IN_PROGRESS).exists():
        raise LettingRefused("An offer of this home is already in progress.")
    if application.status not in (S.INTERESTED, S.SHORTLISTED):
        raise LettingRefused("This applicant cannot be offered the home now.")
    now = timezone.now()
    _move(
        application, S.OFFERED, APPLICATION_TRANSITIONS, actor=actor, note="Selected for an offer"
    )
    Application.objects.filter(pk=application.pk).update(offered_at=now)
    application.offered_at = now
    assert advert.closed_at is not None  # closed adverts always have it
    deadline_start(case=application, code=OFFER_NOTIFY, started_at=min(advert.closed_at, now))
    deadline_meet(case=application, code=OFFER_NOTIFY, met_at=now)
    _tell(
        application,
        application.customer,
        key="offer",
        subject=f"You have been selected for {advert.title}",
        body=(
            f"Good news: you have been selected for an offer of {advert.title}. Please complete "
            f"the online application form so we can check the home suits you, then we will "
            f"book a viewing with at least 24 hours' notice.\n\n{application_url(application)}"
        ),
    )
    return application


@transaction.atomic
def application_submit_form(
    *,
    application: Application,
    customer: Customer,
    household_summary: str,
    weekly_income_pence: int,
    support_needs: str,
    previous_addresses: str,
    consent_given: bool,
    accepts_tenancy_terms: bool,
    evidence: File | None = None,
) -> Application:
    """The selected applicant's online application, with their acceptance of the tenancy's
    terms (the applicant's part of the pre-tenancy assessment). ``evidence`` (proof of income)
    passes the shared upload checks and is kept for the lettings team only, not the household;
    a refused file raises ``ValidationError`` and nothing is written."""
    application = _lock(Application, application.pk)
    if application.customer_id != customer.pk:
        raise LettingRefused("Only the applicant can send this form.")
    if application.status != S.OFFERED:
        raise LettingRefused("This form is for an offer waiting for your application.")
    if not consent_given:
        raise LettingRefused("Give your consent for us to check the details you give.")
    if not accepts_tenancy_terms:
        raise LettingRefused("Confirm that you accept the terms of the tenancy agreement.")
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        household_summary=household_summary.strip(),
        weekly_income_pence=weekly_income_pence,
        support_needs=support_needs.strip(),
        previous_addresses=previous_addresses.strip(),
        consent_given=True,
        accepts_tenancy_terms=True,
        form_sent_at=now,
    )
    _move(
        application,
        S.FORM_SENT,
        APPLICATION_TRANSITIONS,
        actor=customer.user,
        note="Application form sent",
    )
    if evidence is not None:
        attachment_add(
            case=application,
            uploaded_file=evidence,
            uploaded_by=customer.user,
            visible_to_customer=False,
        )
    application.refresh_from_db()
    return application


@transaction.atomic
def application_assess(
    *, application: Application, actor: User, suitable: bool, notes: str = ""
) -> Application:
    """The pre-tenancy assessment: affordability from the applicant's income and the home's
    rent and service charge (``selectors.affordable``), and whether the home suits them."""
    application = _lock(Application, application.pk)
    if application.status != S.FORM_SENT:
        raise LettingRefused("Assess an application once its form has been sent.")
    advert = application.advert
    can_afford = affordable(
        weekly_income_pence=application.weekly_income_pence or 0,
        weekly_cost_pence=advert.weekly_total_pence,
    )
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        affordable=can_afford, suitable=suitable, assessment_notes=notes.strip(), assessed_at=now
    )
    note = "Affordable" if can_afford else "Not affordable on the income given"
    note += "; the home suits the household" if suitable else "; the home does not suit them"
    _move(application, S.ASSESSED, APPLICATION_TRANSITIONS, actor=actor, note=note)
    application.refresh_from_db()
    return application


@transaction.atomic
def application_book_viewing(
    *, application: Application, actor: User, viewing_at: dt.datetime, with_staff: User
) -> Application:
    """Book the accompanied viewing and send the written notice now. Refused with less than
    the catalogue's notice (24 hours, ``lettings.viewing.notice``) before the viewing."""
    if timezone.is_naive(viewing_at):
        raise ValueError("viewing_at must be timezone-aware.")
    application = _lock(Application, application.pk)
    if application.status not in (S.ASSESSED, S.VIEWING_BOOKED):
        raise LettingRefused("Book a viewing once the assessment is done.")
    if not (application.affordable and application.suitable):
        raise LettingRefused("The assessment found the home unaffordable or unsuitable.")
    now = timezone.now()
    hours = viewing_notice_hours()
    if viewing_at - now < dt.timedelta(hours=hours):
        raise LettingRefused(
            f"A viewing needs at least {hours} hours' notice in writing. Choose a time after "
            f"{london_datetime(now + dt.timedelta(hours=hours))}."
        )
    if not with_staff.is_staff:
        raise LettingRefused("A viewing is accompanied by a member of staff.")
    Application.objects.filter(pk=application.pk).update(
        viewing_at=viewing_at, viewing_notice_at=now, viewing_with=with_staff
    )
    _move(
        application,
        S.VIEWING_BOOKED,
        APPLICATION_TRANSITIONS,
        actor=actor,
        note=f"Viewing {london_datetime(viewing_at)}",
    )
    _tell(
        application,
        application.customer,
        key=f"viewing:{int(viewing_at.timestamp())}",
        subject=f"Your viewing of {application.advert.title}",
        body=(
            f"Your viewing of {application.advert.title} is on {london_datetime(viewing_at)}. "
            f"A member of our staff will meet you there. After the viewing you can accept or "
            f"refuse the offer.\n\n{application_url(application)}"
        ),
    )
    application.refresh_from_db()
    return application


@transaction.atomic
def application_accept(*, application: Application, actor: User | None) -> Application:
    """The applicant accepts the offer. One accepted offer per home: a second is refused (and
    the database refuses it too, should two arrive at once)."""
    application = _lock(Application, application.pk)
    if application.status != S.VIEWING_BOOKED:
        raise LettingRefused("An offer is accepted after the viewing has been booked.")
    if (
        Application.objects.filter(advert_id=application.advert_id, status__in=HOLDS_THE_HOME)
        .exclude(pk=application.pk)
        .exists()
    ):
        raise LettingRefused("Another offer of this home has already been accepted.")
    try:
        with transaction.atomic():
            _move(
                application, S.ACCEPTED, APPLICATION_TRANSITIONS, actor=actor, note="Offer accepted"
            )
    except IntegrityError:
        raise LettingRefused("Another offer of this home has already been accepted.") from None
    Application.objects.filter(pk=application.pk).update(decided_at=timezone.now())
    return application


@transaction.atomic
def application_refuse(*, application: Application, actor: User | None, reason: str) -> Application:
    """The applicant refuses (or withdraws from) the offer, with the reason; the home goes to
    the next applicant on the shortlist."""
    reason = reason.strip()
    if not reason:
        raise LettingRefused("Give the reason the offer was refused.")
    application = _lock(Application, application.pk)
    if application.status not in (S.OFFERED, S.FORM_SENT, S.ASSESSED, S.VIEWING_BOOKED):
        raise LettingRefused("Only an offer still open can be refused.")
    Application.objects.filter(pk=application.pk).update(
        refusal_reason=reason, decided_at=timezone.now()
    )
    _move(
        application,
        S.REFUSED,
        APPLICATION_TRANSITIONS,
        actor=actor,
        note=f"Refused: {reason}",
        closes=True,
    )
    return application


@transaction.atomic
def application_request_rent(
    *, application: Application, actor: User, rent_in_advance_pence: int
) -> Application:
    """Ask for the rent in advance (from the applicant's circumstances) and a Direct Debit.
    The request is recorded here: there is no tenancy, so no rent account, until the sign-up,
    which opens the account through the rent app (decision 0031)."""
    application = _lock(Application, application.pk)
    if application.status != S.ACCEPTED:
        raise LettingRefused("Ask for rent in advance once the offer is accepted.")
    if rent_in_advance_pence < 0:
        raise LettingRefused("The rent in advance cannot be negative.")
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        rent_in_advance_pence=rent_in_advance_pence,
        rent_requested_at=now,
        direct_debit_requested_at=now,
    )
    pounds = f"£{rent_in_advance_pence // 100:,}.{rent_in_advance_pence % 100:02d}"
    _tell(
        application,
        application.customer,
        key="rent",
        subject="Your rent in advance and Direct Debit",
        body=(
            f"Before your tenancy starts, please pay {pounds} rent in advance and set up a "
            f"Direct Debit for your rent. We will tell you how at your sign-up."
            f"\n\n{application_url(application)}"
        ),
    )
    application.refresh_from_db()
    return application


@transaction.atomic
def application_sign_up(
    *,
    application: Application,
    actor: User,
    tenancy_start_date: dt.date,
    tenancy_type: str = TenancyType.STARTER,
) -> SettlingIn:
    """The tenancy is signed: the tenancy and household records are made through the tenancy
    app (so the new tenant can use the portal at once) and its rent account, at the advert's
    rent and service charge, through the rent app's hand-over; the home is let, the advert's other
    applicants are told, and the settling-in visit's 6-week clock starts on the first day."""
    application = _lock(Application, application.pk)
    if application.status != S.ACCEPTED:
        raise LettingRefused("Sign up an offer once it is accepted.")
    if application.rent_requested_at is None:
        raise LettingRefused("Ask for the rent in advance and the Direct Debit first.")
    advert = _lock(Advert, application.advert_id)
    void = _lock(Void, advert.void_id)
    if not void.is_signed_off:
        raise LettingRefused(
            "The tenancy cannot start before the home is signed off as meeting the lettable "
            "standard."
        )
    if tenancy_start_date < void.keys_returned_on:
        raise LettingRefused("The tenancy cannot start before the last one ended.")
    if tenancy_start_date < timezone.localdate():
        raise LettingRefused("The tenancy cannot start in the past.")
    applicant = application.customer
    year = application.reference.split("-")[1]
    number = application.reference.split("-")[2]
    try:
        tenancy, household = tenancy_create_for_letting(
            property=void.property,
            reference=f"RH-{year}-{number}",
            tenancy_type=tenancy_type,
            start_date=tenancy_start_date,
            members=[
                NewHouseholdMember(
                    first_name=applicant.first_name,
                    last_name=applicant.last_name,
                    date_of_birth=applicant.date_of_birth,
                    household_role=HouseholdRole.LEAD_TENANT,
                    email=applicant.email,
                    mobile=applicant.mobile,
                    preferred_channel=applicant.preferred_channel,
                )
            ],
            login_from=applicant,
        )
    except ValidationError as exc:
        raise LettingRefused(" ".join(exc.messages)) from None
    try:
        rent_account_open_for_new_tenancy(
            tenancy=tenancy,
            rent_weekly_pence=advert.rent_weekly_pence,
            service_charge_weekly_pence=advert.service_charge_weekly_pence,
        )
    except RentRuleBroken as exc:
        raise LettingRefused(str(exc)) from None
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        tenancy_start_date=tenancy_start_date, new_tenancy=tenancy, signed_up_at=now
    )
    _move(
        application,
        S.SIGNED_UP,
        APPLICATION_TRANSITIONS,
        actor=actor,
        note=f"Tenancy {tenancy.reference} starts {london_date(tenancy_start_date)}",
        closes=True,
    )
    Void.objects.filter(pk=void.pk).update(let_on=tenancy_start_date)
    Advert.objects.filter(pk=advert.pk).update(status=AdvertStatus.LET)
    _close_the_others(advert, actor=actor)
    lead = household[0]
    settling_in = case_open(
        model=SettlingIn,
        customer=lead,
        received_by=ReceivedBy.STAFF,
        status=SettlingInStatus.MOVED_IN,
        actor=actor,
        team=lettings_team(),
        application=application,
        note=f"Welcome to {void.property.full_address}",
    )
    start = dt.datetime.combine(tenancy_start_date, dt.time(9, 0), tzinfo=LONDON)
    deadline_start(case=settling_in, code=SETTLING_IN_VISIT, started_at=start)
    pack = _site(reverse("lettings:move_in"))
    register = _site(reverse("accounts:register"))
    portal = (
        f"Your move-in pack is in your account: {pack}"
        if lead.user_id
        else f"Create your account with your tenancy reference {tenancy.reference}: {register}"
    )
    _tell(
        settling_in,
        lead,
        key="welcome",
        subject=f"Your tenancy {tenancy.reference} starts {london_date(tenancy_start_date)}",
        body=(
            f"Welcome to {void.property.full_address}. Your tenancy {tenancy.reference} starts "
            f"on {london_date(tenancy_start_date)}. We will visit you about 6 weeks after you "
            f"move in to see how you are settling in.\n\n{portal}"
        ),
    )
    return settling_in


def _close_the_others(advert: Advert, *, actor: User) -> None:
    """Everyone else who wanted the home is told it has been let."""
    others = Application.objects.filter(
        advert=advert, status__in=[S.INTERESTED, S.SHORTLISTED]
    ).select_related("customer")
    for other in others:
        _move(other, S.NOT_SELECTED, APPLICATION_TRANSITIONS, actor=actor, closes=True)
        _tell(
            other,
            other.customer,
            key="not-selected",
            subject=f"{advert.title} has been let",
            body=(
                f"Thank you for your interest in {advert.title}. The home has now been let to "
                f"another applicant. Keep looking at our adverts and bidding through your "
                f"scheme."
            ),
        )
