"""Writes for letting homes and moving. One service per action, each one transaction: the
record, its timeline event, its clocks and its messages commit together or not at all.

The clocks (sla catalogue, "Lettings, moving in and exchanges"):

- ``lettings.offer.notify``: 7 calendar days from the advert closing. It is started on the
  selected applicant's case when they are told, from the moment the advert closed, and met in
  the same transaction; until then the lettings queue shows the closed advert due by the same
  rule (``selectors.offer_due_at``).
- ``lettings.viewing.notice``: a constraint, never started. A viewing is refused unless the
  written notice, sent as it is booked, gives at least that many hours.
- ``lettings.settling_in_visit``: 6 weeks from the first day of the new tenancy, on the new
  household's settling-in case; met when the visit is recorded.
- ``exchange.decision``: 42 calendar days from the mutual exchange application; met by the
  decision. Missing it escalates through the sweep like any other breach.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import Case, ReceivedBy, Team
from casework.services import attachment_add, case_open, case_transition
from kernel.formatting import LONDON, london_date, london_datetime
from kernel.roles import Role
from lettings.models import (
    HOLDS_THE_HOME,
    OFFER_IN_PROGRESS,
    Advert,
    AdvertStatus,
    Application,
    ApplicationStatus,
    Band,
    ExchangeStatus,
    LettableStandardItem,
    LettingScheme,
    MutualExchange,
    SettlingIn,
    SettlingInStatus,
    StandardItemKind,
    Void,
    VoidCheck,
    VoidRepair,
)
from lettings.selectors import (
    affordable,
    lead_tenant_of,
    lettable_standard_missing,
    shortlist_for_advert,
    viewing_notice_hours,
)
from notifications.services import notify_customer
from repairs.handover import RepairRefused, void_repair_create
from sla.services import deadline_meet, deadline_start
from tenancy.models import Customer, HouseholdRole, Tenancy, TenancyType
from tenancy.services import NewHouseholdMember, tenancy_create_for_letting, tenancy_end

OFFER_NOTIFY = "lettings.offer.notify"
SETTLING_IN_VISIT = "lettings.settling_in_visit"
EXCHANGE_DECISION = "exchange.decision"

S = ApplicationStatus

APPLICATION_TRANSITIONS: dict[str, set[str]] = {
    S.INTERESTED: {S.SHORTLISTED, S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.SHORTLISTED: {S.OFFERED, S.NOT_SELECTED, S.WITHDRAWN},
    S.OFFERED: {S.FORM_SENT, S.REFUSED, S.WITHDRAWN},
    S.FORM_SENT: {S.ASSESSED, S.REFUSED, S.WITHDRAWN},
    S.ASSESSED: {S.VIEWING_BOOKED, S.REFUSED, S.WITHDRAWN},
    S.VIEWING_BOOKED: {S.VIEWING_BOOKED, S.ACCEPTED, S.REFUSED, S.WITHDRAWN},
    S.ACCEPTED: {S.SIGNED_UP, S.WITHDRAWN},
}
SETTLING_IN_TRANSITIONS: dict[str, set[str]] = {
    SettlingInStatus.MOVED_IN: {SettlingInStatus.VISITED},
}
E = ExchangeStatus
EXCHANGE_TRANSITIONS: dict[str, set[str]] = {
    E.RECEIVED: {E.CHECKS_DONE, E.WITHDRAWN},
    E.CHECKS_DONE: {E.CHECKS_DONE, E.CONSENTED, E.CONDITIONAL, E.REFUSED, E.WITHDRAWN},
}
EXCHANGE_DECISIONS = (E.CONSENTED, E.CONDITIONAL, E.REFUSED)

LETTINGS_TEAM_NAME = "Lettings"


class LettingRefused(Exception):
    """What the lettings rules do not allow. Nothing was written; the message says why."""


def lettings_team() -> Team | None:
    return Team.objects.filter(role=Role.LETTINGS).select_related("lead").order_by("name").first()


def _site(path: str) -> str:
    return settings.SITE_URL + path


def _tell(case: Case, customer: Customer, *, key: str, subject: str, body: str) -> None:
    notify_customer(
        customer=customer,
        subject=subject[:200],
        body=body,
        key=f"{case.REFERENCE_PREFIX.lower()}:{case.pk}:{key}",
        about=case,
    )


def _move(
    case: Case, to_status: str, allowed: dict, *, actor: User | None, note: str = "", closes=False
):
    case_transition(
        case=case, to_status=to_status, allowed=allowed, actor=actor, note=note, closes=closes
    )


def _lock(model, pk: int):
    return model._default_manager.select_for_update().get(pk=pk)


# --------------------------------------------------------------------------------------------
# Empty homes
# --------------------------------------------------------------------------------------------


@transaction.atomic
def void_open_from_tenancy_end(
    *, tenancy: Tenancy, end_date: dt.date, reason: str, actor: User | None = None
) -> Void:
    """A tenancy ends: the tenancy app records its last day, and the home becomes empty here
    from that day (the keys back), with its works to the lettable standard still to do."""
    reason = reason.strip()
    if not reason:
        raise LettingRefused("Give the reason the tenancy ended.")
    tenancy_end(tenancy=tenancy, end_date=end_date)
    void = Void(
        property_id=tenancy.property_id,
        former_tenancy=tenancy,
        end_reason=reason[:200],
        keys_returned_on=end_date,
    )
    try:
        with transaction.atomic():
            void.save()
    except IntegrityError:
        raise LettingRefused("This home is already empty on our records.") from None
    return void


@transaction.atomic
def void_record_check(
    *,
    void: Void,
    item: LettableStandardItem,
    done_on: dt.date,
    actor: User,
    certificate_reference: str = "",
    note: str = "",
) -> VoidCheck:
    """Record one item of the lettable standard as done. A gas or electrical check needs its
    certificate's reference: the record is given to the new tenant before they move in."""
    void = _lock(Void, void.pk)
    if void.is_signed_off:
        raise LettingRefused("This home has been signed off; its checks can no longer change.")
    certificate_reference = certificate_reference.strip()
    if item.kind != StandardItemKind.CHECK and not certificate_reference:
        raise LettingRefused(f"Enter the certificate reference for: {item.name}.")
    if done_on > timezone.localdate():
        raise LettingRefused("A check cannot be done in the future.")
    check, _ = VoidCheck.objects.update_or_create(
        void=void,
        item=item,
        defaults={
            "done_on": done_on,
            "certificate_reference": certificate_reference,
            "note": note.strip()[:500],
            "done_by": actor,
        },
    )
    return check


@transaction.atomic
def void_raise_repair(*, void: Void, item_code: str, description: str, actor: User) -> VoidRepair:
    """A void repair, raised through the repairs service and timed there like any other."""
    if void.let_on is not None:
        raise LettingRefused("This home has been let: report repairs as its tenant's.")
    former = lead_tenant_of(void.former_tenancy_id) if void.former_tenancy_id else None
    if former is None:
        raise LettingRefused("This empty home has no earlier tenancy to raise a repair against.")
    try:
        repair = void_repair_create(
            former_customer=former, item_code=item_code, description=description, actor=actor
        )
    except RepairRefused as exc:
        raise LettingRefused(str(exc)) from None
    return VoidRepair.objects.create(
        void=void, repair_reference=repair.reference, title=repair.title[:200]
    )


@transaction.atomic
def void_sign_off(*, void: Void, actor: User) -> Void:
    """The home meets the lettable standard: every active item is done. Only then may a
    tenancy start in it."""
    void = _lock(Void, void.pk)
    if void.is_signed_off:
        return void
    missing = lettable_standard_missing(void)
    if missing:
        raise LettingRefused("Still to do: " + "; ".join(item.name for item in missing) + ".")
    void.signed_off_at = timezone.now()
    void.signed_off_by = actor
    void.save(update_fields=["signed_off_at", "signed_off_by"])
    return void


# --------------------------------------------------------------------------------------------
# Adverts
# --------------------------------------------------------------------------------------------


@transaction.atomic
def advert_publish(
    *,
    void: Void,
    title: str,
    rent_weekly_pence: int,
    closes_at: dt.datetime,
    service_charge_weekly_pence: int = 0,
    description: str = "",
    eligibility: str = "",
    area: str = "",
    scheme: LettingScheme | None = None,
) -> Advert:
    """Advertise an empty home. Its adaptations come from the home's record, so an adapted
    home is flagged and offered first to applicants who need one."""
    if void.let_on is not None:
        raise LettingRefused("This home has already been let.")
    if closes_at <= timezone.now():
        raise LettingRefused("The closing date must be in the future.")
    if rent_weekly_pence <= 0:
        raise LettingRefused("Enter the weekly rent.")
    if Advert.objects.filter(
        void=void, status__in=[AdvertStatus.OPEN, AdvertStatus.CLOSED]
    ).exists():
        raise LettingRefused("This home is already advertised.")
    home = void.property
    return Advert.objects.create(
        void=void,
        property=home,
        scheme=scheme,
        title=title.strip()[:200],
        description=description.strip(),
        area=(area or home.town)[:100],
        bedrooms=home.bedrooms,
        property_type=home.get_property_type_display(),
        rent_weekly_pence=rent_weekly_pence,
        service_charge_weekly_pence=service_charge_weekly_pence,
        adaptations=home.adaptations,
        is_adapted=bool(home.adaptations.strip()),
        eligibility=eligibility.strip(),
        closes_at=closes_at,
    )


@transaction.atomic
def adverts_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every open advert whose closing time has passed (a beat job, every few minutes:
    idempotent, and it catches up after any downtime). The offer clock runs from
    ``closes_at``, the moment interest stopped, however late this job runs."""
    now = now or timezone.now()
    return Advert.objects.filter(status=AdvertStatus.OPEN, closes_at__lte=now).update(
        status=AdvertStatus.CLOSED, closed_at=F("closes_at")
    )


@transaction.atomic
def advert_withdraw(*, advert: Advert) -> Advert:
    advert = _lock(Advert, advert.pk)
    if advert.status not in (AdvertStatus.OPEN, AdvertStatus.CLOSED):
        raise LettingRefused("Only an open or closed advert can be withdrawn.")
    if Application.objects.filter(advert=advert, status__in=OFFER_IN_PROGRESS).exists():
        raise LettingRefused("An offer of this home is in progress: end it first.")
    advert.status = AdvertStatus.WITHDRAWN
    advert.save(update_fields=["status"])
    return advert


# --------------------------------------------------------------------------------------------
# Applications: interest, priority, shortlist, offer
# --------------------------------------------------------------------------------------------


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
    Recorded here until the rent app takes them."""
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
    app (so the new tenant can use the portal at once), the home is let, the advert's other
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


# --------------------------------------------------------------------------------------------
# Moving in
# --------------------------------------------------------------------------------------------


@transaction.atomic
def settling_in_book_visit(
    *, settling_in: SettlingIn, actor: User, visit_at: dt.datetime
) -> SettlingIn:
    """Book the settling-in visit and tell the new tenant when it is. A visit after the clock's
    due time is refused: the promise is about 6 weeks after the move."""
    if timezone.is_naive(visit_at):
        raise ValueError("visit_at must be timezone-aware.")
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.status != SettlingInStatus.MOVED_IN:
        raise LettingRefused("The settling-in visit has already been recorded.")
    if visit_at <= timezone.now():
        raise LettingRefused("Book the visit for a time still to come.")
    due = settling_in.next_due_at
    if due is not None and visit_at > due:
        raise LettingRefused(
            f"Book the visit by {london_datetime(due)}, about 6 weeks after the move."
        )
    SettlingIn.objects.filter(pk=settling_in.pk).update(visit_booked_for=visit_at)
    _tell(
        settling_in,
        settling_in.customer,
        key=f"visit:{int(visit_at.timestamp())}",
        subject="Your settling-in visit",
        body=(
            f"We will visit you on {london_datetime(visit_at)} to see how you are settling into "
            f"your new home."
        ),
    )
    settling_in.refresh_from_db()
    return settling_in


@transaction.atomic
def settling_in_record_visit(
    *, settling_in: SettlingIn, actor: User, visited_at: dt.datetime, notes: str = ""
) -> SettlingIn:
    """The settling-in visit has happened: it meets the 6-week clock."""
    if timezone.is_naive(visited_at):
        raise ValueError("visited_at must be timezone-aware.")
    if visited_at > timezone.now():
        raise LettingRefused("Record a visit once it has happened.")
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.status != SettlingInStatus.MOVED_IN:
        raise LettingRefused("The settling-in visit has already been recorded.")
    SettlingIn.objects.filter(pk=settling_in.pk).update(
        visited_at=visited_at, visited_by=actor, visit_notes=notes.strip()
    )
    _move(
        settling_in,
        SettlingInStatus.VISITED,
        SETTLING_IN_TRANSITIONS,
        actor=actor,
        note="Settling-in visit done",
    )
    deadline_meet(case=settling_in, code=SETTLING_IN_VISIT, met_at=visited_at)
    settling_in.refresh_from_db()
    return settling_in


@transaction.atomic
def settling_in_record_satisfaction(
    *, settling_in: SettlingIn, customer: Customer, satisfaction: int, comment: str = ""
) -> SettlingIn:
    """The new tenant's view of their new home, once."""
    settling_in = _lock(SettlingIn, settling_in.pk)
    if settling_in.tenancy_id != customer.tenancy_id:
        raise LettingRefused("Only the new household can answer this.")
    if settling_in.satisfaction is not None:
        raise LettingRefused("You have already told us what you think of your new home. Thank you.")
    if satisfaction not in (1, 2, 3, 4, 5):
        raise LettingRefused("Choose how satisfied you are.")
    SettlingIn.objects.filter(pk=settling_in.pk).update(
        satisfaction=satisfaction,
        satisfaction_comment=comment.strip(),
        satisfaction_at=timezone.now(),
    )
    settling_in.refresh_from_db()
    return settling_in


# --------------------------------------------------------------------------------------------
# Mutual exchange
# --------------------------------------------------------------------------------------------


def exchange_url(exchange: MutualExchange) -> str:
    return _site(reverse("casework:case_detail", kwargs={"reference": exchange.reference}))


@transaction.atomic
def exchange_apply(
    *,
    customer: Customer,
    partner_name: str,
    partner_address: str,
    partner_landlord: str,
    partner_landlord_contact: str = "",
    partner_tenancy_reference: str = "",
    reason: str = "",
    received_by: str = ReceivedBy.PORTAL,
    actor: User | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> MutualExchange:
    """A tenant applies to exchange homes. The 42-day decision clock starts now."""
    if idempotency_key is not None:
        existing = MutualExchange.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.tenancy_id != customer.tenancy_id:
                raise LettingRefused("This form has already been used. Start again.")
            return existing
    if not customer.is_tenant or customer.has_left_home:
        raise LettingRefused("Only a current tenant can apply to exchange their home.")
    if MutualExchange.objects.filter(
        tenancy_id=customer.tenancy_id, closed_at__isnull=True
    ).exists():
        raise LettingRefused("Your household already has a mutual exchange application open.")
    exchange = case_open(
        model=MutualExchange,
        customer=customer,
        received_by=received_by,
        status=E.RECEIVED,
        actor=actor,
        team=lettings_team(),
        partner_name=partner_name.strip(),
        partner_address=partner_address.strip(),
        partner_landlord=partner_landlord.strip(),
        partner_landlord_contact=partner_landlord_contact.strip(),
        partner_tenancy_reference=partner_tenancy_reference.strip(),
        reason=reason.strip(),
        idempotency_key=idempotency_key,
    )
    clock = deadline_start(case=exchange, code=EXCHANGE_DECISION, started_at=exchange.opened_at)
    _tell(
        exchange,
        customer,
        key="received",
        subject=f"We have your mutual exchange application {exchange.reference}",
        body=(
            f"We have your application to exchange homes with {exchange.partner_name}. We will "
            f"check both homes and tenancies and give you our decision by "
            f"{london_date(clock.due_at)}.\n\n{exchange_url(exchange)}"
        ),
    )
    return exchange


@transaction.atomic
def exchange_record_checks(
    *,
    exchange: MutualExchange,
    actor: User,
    rent_account_clear: bool,
    no_tenancy_breach: bool,
    property_suitable: bool,
    safety_checks_arranged: bool,
    safety_checks_recharge_pence: int = 0,
    notes: str = "",
) -> MutualExchange:
    """The checks before a decision: rent account, tenancy conduct, suitability, and the gas
    and electrical checks arranged (and recharged to the tenant, as the commitments say)."""
    exchange = _lock(MutualExchange, exchange.pk)
    if exchange.status not in (E.RECEIVED, E.CHECKS_DONE):
        raise LettingRefused("The checks are recorded before the decision.")
    if safety_checks_recharge_pence < 0:
        raise LettingRefused("The recharge cannot be negative.")
    MutualExchange.objects.filter(pk=exchange.pk).update(
        rent_account_clear=rent_account_clear,
        no_tenancy_breach=no_tenancy_breach,
        property_suitable=property_suitable,
        safety_checks_arranged=safety_checks_arranged,
        safety_checks_recharge_pence=safety_checks_recharge_pence,
        checks_notes=notes.strip(),
        checks_done_at=timezone.now(),
    )
    _move(exchange, E.CHECKS_DONE, EXCHANGE_TRANSITIONS, actor=actor, note="Checks recorded")
    exchange.refresh_from_db()
    return exchange


@transaction.atomic
def exchange_decide(
    *,
    exchange: MutualExchange,
    actor: User,
    decision: str,
    explanation: str,
    conditions: str = "",
    refusal_ground: str = "",
) -> MutualExchange:
    """Consent, consent with conditions, or refusal on a Schedule 3 ground; the tenant is told
    and the 42-day clock is met."""
    exchange = _lock(MutualExchange, exchange.pk)
    if exchange.status != E.CHECKS_DONE:
        raise LettingRefused("Record the checks before deciding.")
    if decision not in EXCHANGE_DECISIONS:
        raise LettingRefused("Choose consent, consent with conditions or refusal.")
    conditions, explanation = conditions.strip(), explanation.strip()
    if decision == E.CONDITIONAL and not conditions:
        raise LettingRefused("Write the conditions of the consent.")
    if decision == E.REFUSED and not refusal_ground:
        raise LettingRefused("Choose the statutory ground for refusing.")
    if decision != E.REFUSED:
        refusal_ground = ""
    if decision != E.CONDITIONAL:
        conditions = ""
    now = timezone.now()
    MutualExchange.objects.filter(pk=exchange.pk).update(
        decided_at=now,
        conditions=conditions,
        refusal_ground=refusal_ground,
        decision_explanation=explanation,
    )
    _move(
        exchange,
        decision,
        EXCHANGE_TRANSITIONS,
        actor=actor,
        note=explanation or str(E(decision).label),
        closes=True,
    )
    deadline_meet(case=exchange, code=EXCHANGE_DECISION, met_at=now)
    exchange.refresh_from_db()
    lines = [f"Our decision on your mutual exchange application: {E(decision).label}."]
    if conditions:
        lines.append(f"The conditions: {conditions}")
    if refusal_ground:
        lines.append(
            f"The reason, under the Housing Act 1985: {exchange.get_refusal_ground_display()}."
        )
    if explanation:
        lines.append(explanation)
    lines.append(exchange_url(exchange))
    _tell(
        exchange,
        exchange.customer,
        key="decision",
        subject=f"Decision on your mutual exchange {exchange.reference}",
        body="\n\n".join(lines),
    )
    return exchange
