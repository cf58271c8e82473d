"""Empty homes: a void from a tenancy's end, the lettable standard, void repairs, sign-off."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from lettings.models import (
    LettableStandardItem,
    StandardItemKind,
    Void,
    VoidCheck,
    VoidRepair,
)
from lettings.selectors import (
    lead_tenant_of,
    lettable_standard_missing,
)
from lettings.services._common import (
    LettingRefused,
    _lock,
)
from repairs.handover import RepairRefused, void_repair_create
from tenancy.models import Tenancy
from tenancy.services import tenancy_end


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
