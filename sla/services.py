"""Writes of the clock engine: start, meet, pause, resume and extend a case's clocks; the sweep
that marks breaches and "due soon" warnings; closure days.

A Deadline is started in the same transaction as the event that starts it and met in the same
transaction as the event that meets it, so the database is always the truth about time; no
queued message carries a clock. After every change the case's ``next_due_at`` is recomputed,
so staff queues sort by due time without joining the deadlines.

Locking: a service that changes a case's clocks locks the case row first, then its deadline
rows, the same order as the apps' transition services (which lock the case and then call these),
so two changes to one case queue behind each other instead of deadlocking or writing a stale
``next_due_at``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from sla import calendar, hooks
from sla.models import ClaimedBatch, ClosureDay, Commitment, Deadline
from sla.selectors import breach_due_q, open_due_at_for, warning_due_q

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Rows marked per transaction by the sweep: bounds lock time and memory after a long outage.
SWEEP_BATCH_SIZE = 5000


class UnknownCommitment(LookupError):
    """No active commitment has this code: a programming error, or a retired commitment."""


class NotAClock(ValueError):
    """The commitment is a constraint (a minimum notice period checked when booking)."""


def _require_aware(value: dt.datetime, name: str) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime.")


# --- the case's next due time --------------------------------------------------------------


def _case_has_next_due(model: type[models.Model]) -> bool:
    try:
        model._meta.get_field("next_due_at")
    except FieldDoesNotExist:
        return False
    return True


def _lock_case(model: type[models.Model], pk: int) -> None:
    # No-op on SQLite, which serialises writers for the whole database anyway.
    list(model._base_manager.select_for_update().filter(pk=pk).values_list("pk", flat=True))


def _refresh_next_due(content_type: ContentType, object_id: int) -> dt.datetime | None:
    model = content_type.model_class()
    if model is None or not _case_has_next_due(model):
        return None
    _lock_case(model, object_id)
    next_due = open_due_at_for(content_type=content_type, object_id=object_id)
    model._base_manager.filter(pk=object_id).update(next_due_at=next_due)
    return next_due


@transaction.atomic
def refresh_case_next_due(case: models.Model) -> None:
    """Set ``case.next_due_at`` to its earliest clock that is neither met nor paused (breached
    ones included: an overdue step is still due), or NULL when there is none.

    Does nothing for a model without that field. Updates the row with a queryset ``update``
    (no ``save()``, no signals) and the instance passed in.
    """
    _refresh_case(case)


def _refresh_case(case: models.Model) -> None:
    next_due = _refresh_next_due(ContentType.objects.get_for_model(case), case.pk)
    if _case_has_next_due(type(case)):
        setattr(case, "next_due_at", next_due)  # noqa: B010 - any case model, not one class


def _refresh_next_due_for_deadline(deadline: Deadline) -> None:
    content_type = ContentType.objects.get_for_id(deadline.content_type_id)
    _refresh_next_due(content_type, deadline.object_id)


def _lock_deadline(deadline: Deadline) -> Deadline:
    """The row as it is now, locked, with the case locked first (see the module docstring)."""
    content_type = ContentType.objects.get_for_id(deadline.content_type_id)
    model = content_type.model_class()
    if model is not None:
        _lock_case(model, deadline.object_id)
    return (
        Deadline.objects.select_related("commitment")
        .select_for_update(of=("self",))
        .get(pk=deadline.pk)
    )


# --- one case's clocks ---------------------------------------------------------------------


@transaction.atomic
def deadline_start(
    *,
    case: models.Model,
    code: str,
    started_at: dt.datetime | None = None,
    amount: int | None = None,
) -> Deadline:
    """Start the clock ``code`` on ``case`` at ``started_at`` (default now).

    The clock and amount are copied from the catalogue as they are now, so a later edit in the
    admin does not move a running clock. ``amount`` overrides the catalogue's for this clock
    only, where the record itself sets the period (an electrical report that asks for the next
    inspection in 3 years; a fire risk assessment review every 2 years for a low-risk block).

    Raises ``UnknownCommitment`` if no active commitment has the code, and ``NotAClock`` for a
    constraint such as ``lettings.viewing.notice``.
    """
    started_at = started_at or timezone.now()
    _require_aware(started_at, "started_at")
    commitment = _commitment_for(code)
    amount, due, warn_at = _clock_times(commitment, amount, started_at)
    deadline = Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(case),
        object_id=case.pk,
        commitment=commitment,
        clock=commitment.clock,
        amount=amount,
        started_at=started_at,
        original_due_at=due,
        due_at=due,
        warn_at=warn_at,
    )
    _refresh_case(case)
    return deadline


def _clock_times(
    commitment: Commitment, amount: int | None, started_at: dt.datetime
) -> tuple[int, dt.datetime, dt.datetime | None]:
    """A clock's amount, due time and warning time, started at ``started_at``."""
    if amount is None:
        amount = commitment.amount
    elif amount < 1:
        raise ValueError(f"A clock must run for at least 1 {commitment.clock} unit.")
    due = calendar.due_at(commitment.clock, amount, started_at)
    warn_at = None
    if commitment.warn_before is not None and due - commitment.warn_before > started_at:
        warn_at = due - commitment.warn_before
    return amount, due, warn_at


def _code_family(code: str) -> Q:
    # Meeting a promise meets its legal twin too: complaint.stage1.respond also meets
    # complaint.stage1.respond.code. The dot keeps complaint.stage1 from meeting stage10.
    return Q(commitment__code=code) | Q(commitment__code__startswith=f"{code}.")


@transaction.atomic
def deadline_meet(
    *,
    case: models.Model,
    code: str,
    met_at: dt.datetime | None = None,
    only: Deadline | None = None,
) -> list[Deadline]:
    """Mark met, at ``met_at`` (default now), every unmet clock of ``case`` whose code is
    ``code`` or starts with ``code + "."``. Returns the rows met (none if all were already met).

    A clock that has breached is still met (a late reply is recorded and counts as late);
    ``breached_at`` stays. If the meet is recorded after the sweep marked the breach but for a
    time before it (a phone call logged the next morning), the record, not the sweep, is the
    truth: met in time clears ``breached_at``; met late sets it to the due time. A clock met
    while paused first has its pause closed, so ``due_at`` is the one it was met against.

    ``only`` meets that one clock of the family, where a case runs several clocks of one code
    that are met one by one (the actions of an ASB action plan).

    Raises ``UnknownCommitment`` if nothing matched and no commitment has the code (a typo).
    """
    met_at = met_at or timezone.now()
    _require_aware(met_at, "met_at")
    content_type = ContentType.objects.get_for_model(case)
    model = content_type.model_class()
    if model is not None:
        _lock_case(model, case.pk)
    deadlines = list(
        Deadline.objects.filter(content_type=content_type, object_id=case.pk)
        .unmet()
        .filter(_code_family(code))
        .filter(Q(pk=only.pk) if only is not None else Q())
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if not deadlines:
        if not Commitment.objects.filter(code=code).exists():
            raise UnknownCommitment(f"No commitment has the code {code!r}.")
        return []
    for deadline in deadlines:
        if deadline.paused_at is not None:
            _close_pause(deadline, max(met_at, deadline.paused_at))
        deadline.met_at = met_at
        if deadline.breached_at is not None and met_at < deadline.breached_at:
            deadline.breached_at = None if met_at <= deadline.due_at else deadline.due_at
    Deadline.objects.bulk_update(
        deadlines, ["met_at", "breached_at", "paused_at", "paused_seconds", "due_at", "warn_at"]
    )
    _refresh_case(case)
    return deadlines


def _close_pause(deadline: Deadline, at: dt.datetime) -> None:
    """Add the time since ``paused_at`` to the clock: paused time does not count.

    Elapsed time is added whatever the clock type, so a day clock paused for a weekend moves
    by the weekend; the law's stop-the-clock rules (UK GDPR Art 12A) are framed the same way.
    """
    assert deadline.paused_at is not None
    paused_for = at - deadline.paused_at
    deadline.due_at += paused_for
    if deadline.warn_at is not None:
        deadline.warn_at += paused_for
    deadline.paused_seconds += int(paused_for.total_seconds())
    deadline.paused_at = None


def _refuse_if_finished(deadline: Deadline, action: str) -> None:
    if deadline.met_at is not None:
        raise ValidationError(f"This clock was met; it cannot be {action}.", code="met")
    if deadline.breached_at is not None:
        raise ValidationError(
            f"This clock has already been missed; it cannot be {action}.", code="breached"
        )


@transaction.atomic
def deadline_pause(*, deadline: Deadline, at: dt.datetime | None = None) -> Deadline:
    """Stop the clock (waiting for the customer's ID, a third party's consent...). While paused
    it is never breached and the case is not due at it. Returns the updated row."""
    at = at or timezone.now()
    _require_aware(at, "at")
    locked = _lock_deadline(deadline)
    _refuse_if_finished(locked, "paused")
    if locked.paused_at is not None:
        raise ValidationError("This clock is already paused.", code="paused")
    if at >= locked.due_at:
        raise ValidationError("This clock has already run out; it cannot be paused.", code="passed")
    locked.paused_at = at
    locked.save(update_fields=["paused_at"])
    _refresh_next_due_for_deadline(locked)
    return locked


@transaction.atomic
def deadline_resume(*, deadline: Deadline, at: dt.datetime | None = None) -> Deadline:
    """Restart a paused clock: the time it was paused is added to its due and warning times."""
    at = at or timezone.now()
    _require_aware(at, "at")
    locked = _lock_deadline(deadline)
    _refuse_if_finished(locked, "resumed")
    if locked.paused_at is None:
        raise ValidationError("This clock is not paused.", code="not_paused")
    if at < locked.paused_at:
        raise ValidationError("A clock cannot resume before it was paused.", code="before_pause")
    _close_pause(locked, at)
    locked.save(update_fields=["paused_at", "paused_seconds", "due_at", "warn_at"])
    _refresh_next_due_for_deadline(locked)
    return locked


@transaction.atomic
def deadline_extend(
    *,
    deadline: Deadline,
    new_due_at: dt.datetime,
    reason: str,
    by: User | None,
    customer_told_at: dt.datetime | None = None,
) -> Deadline:
    """Move the clock to ``new_due_at``, recording why, who and when the customer was told.

    Refused without a reason, to an earlier or equal time, and once the clock has run out:
    the Complaint Handling Code (6.4) wants the customer told of an extension within the
    original timescale, so an extension is a decision made before the deadline, not an excuse
    after it. How far a clock may be extended is the owning app's rule (the Code: 10 further
    working days at stage 1, 20 at stage 2, without good reason). The warning is re-armed at
    the same distance before the new due time.
    """
    _require_aware(new_due_at, "new_due_at")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give the reason for the extension.", code="reason_required")
    now = timezone.now()
    locked = _lock_deadline(deadline)
    _refuse_if_finished(locked, "extended")
    if now > locked.due_at:
        raise ValidationError(
            "This clock has already run out: extend before the deadline, not after it.",
            code="passed",
        )
    if new_due_at <= locked.due_at:
        raise ValidationError(
            "The new due time must be later than the current one.", code="not_later"
        )
    if locked.warn_at is not None:
        locked.warn_at = new_due_at - (locked.due_at - locked.warn_at)
        locked.warned_at = None
    locked.due_at = new_due_at
    locked.extended_at = now
    locked.extended_by = by
    locked.extension_reason = reason
    locked.customer_told_of_extension_at = customer_told_at
    locked.save(
        update_fields=[
            "due_at",
            "warn_at",
            "warned_at",
            "extended_at",
            "extended_by",
            "extension_reason",
            "customer_told_of_extension_at",
        ]
    )
    _refresh_next_due_for_deadline(locked)
    return locked


# --- many cases' clocks at once (an import) ---------------------------------------------------

# Rows per statement when many cases' clocks are written at once.
MANY_BATCH_SIZE = 2000


@dataclass(frozen=True)
class ClockStart:
    """One clock to start on one case (``object_id``) in ``deadlines_start_many``; ``met_at``
    for a clock already met by a later event of the same batch (an older record imported
    with a newer one)."""

    object_id: int
    started_at: dt.datetime
    amount: int | None = None
    met_at: dt.datetime | None = None


def _commitment_for(code: str) -> Commitment:
    try:
        commitment = Commitment.objects.get(code=code, is_active=True)
    except Commitment.DoesNotExist:
        raise UnknownCommitment(f"No active commitment has the code {code!r}.") from None
    if commitment.is_constraint:
        raise NotAClock(
            f"{code} is a minimum notice period, checked when booking; it is never started."
        )
    return commitment


@transaction.atomic
def deadlines_meet_many(
    *, model: type[models.Model], code: str, met_at_by_case: dict[int, dt.datetime]
) -> int:
    """``deadline_meet`` for many cases of ``model`` at once: each case's unmet clocks of
    ``code`` (and its family) met at that case's moment, by the same rules (a breach recorded
    before a meet in time is cleared; met late, it is the due time). One UPDATE per distinct
    moment and batch; a paused clock, which needs its pause closed, goes through
    ``deadline_meet``. The cases' ``next_due_at`` is not refreshed: call
    ``refresh_next_due_many`` once the batch's clocks are all written. Returns the rows met."""
    content_type = ContentType.objects.get_for_model(model)
    ids = list(met_at_by_case)
    met = 0
    for first in range(0, len(ids), MANY_BATCH_SIZE):
        chunk = ids[first : first + MANY_BATCH_SIZE]
        unmet = (
            Deadline.objects.filter(content_type=content_type, object_id__in=chunk)
            .unmet()
            .filter(_code_family(code))
        )
        paused = set(unmet.filter(paused_at__isnull=False).values_list("object_id", flat=True))
        by_moment: dict[dt.datetime, list[int]] = {}
        for object_id in chunk:
            if object_id not in paused:
                by_moment.setdefault(met_at_by_case[object_id], []).append(object_id)
        for met_at, object_ids in by_moment.items():
            _require_aware(met_at, "met_at")
            met += (
                unmet.filter(object_id__in=object_ids)
                .order_by()
                .update(
                    met_at=met_at,
                    breached_at=models.Case(
                        models.When(
                            breached_at__gt=met_at, due_at__gte=met_at, then=models.Value(None)
                        ),
                        models.When(breached_at__gt=met_at, then=models.F("due_at")),
                        default=models.F("breached_at"),
                    ),
                )
            )
        for object_id in paused:
            case = model._base_manager.get(pk=object_id)
            met += len(deadline_meet(case=case, code=code, met_at=met_at_by_case[object_id]))
    return met


@transaction.atomic
def deadlines_start_many(
    *, model: type[models.Model], code: str, starts: list[ClockStart]
) -> list[Deadline]:
    """``deadline_start`` for many cases of ``model`` at once, in batches; the clock, amount,
    due and warning times as ``deadline_start`` sets them. The cases' ``next_due_at`` is not
    refreshed: call ``refresh_next_due_many`` once the batch's clocks are all written."""
    commitment = _commitment_for(code)
    content_type = ContentType.objects.get_for_model(model)
    rows = []
    for start in starts:
        _require_aware(start.started_at, "started_at")
        amount, due, warn_at = _clock_times(commitment, start.amount, start.started_at)
        rows.append(
            Deadline(
                content_type=content_type,
                object_id=start.object_id,
                commitment=commitment,
                clock=commitment.clock,
                amount=amount,
                started_at=start.started_at,
                original_due_at=due,
                due_at=due,
                warn_at=warn_at,
                met_at=start.met_at,
            )
        )
    return Deadline.objects.bulk_create(rows, batch_size=MANY_BATCH_SIZE)


@transaction.atomic
def refresh_next_due_many(*, model: type[models.Model], ids: list[int]) -> None:
    """``refresh_case_next_due`` for many cases of ``model``: one UPDATE per batch, each row
    set to its earliest clock still to do (the same rule, ``STILL_TO_DO``)."""
    if not _case_has_next_due(model):
        return
    content_type = ContentType.objects.get_for_model(model)
    earliest = (
        Deadline.objects.still_to_do()
        .filter(content_type=content_type, object_id=models.OuterRef("pk"))
        .order_by("due_at")
        .values("due_at")[:1]
    )
    for first in range(0, len(ids), MANY_BATCH_SIZE):
        chunk = ids[first : first + MANY_BATCH_SIZE]
        model._base_manager.filter(pk__in=chunk).update(next_due_at=models.Subquery(earliest))


# --- the sweep -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    breached: int
    warned: int


def sweep_deadlines(
    *, now: dt.datetime | None = None, batch_size: int = SWEEP_BATCH_SIZE, hand_over: bool = True
) -> SweepResult:
    """Mark every running clock whose time is up as breached, then every clock inside its
    warning period as warned, and hand each batch to the registered handlers (``sla.hooks``).

    - Idempotent: a marked row no longer matches, so a second run finds nothing.
    - Safe with two workers at once: each row is claimed by one conditional UPDATE, and on
      PostgreSQL ``FOR UPDATE SKIP LOCKED`` lets the two split the work instead of queueing.
    - Catches up after downtime: it looks for ``due_at <= now``, not for what fell due in the
      last minute, so every row missed while beat was down is found on the next run (and marked
      breached at that run's time, when we noticed).
    - Costs what the breaches cost: the claim walks the partial index of running clocks by due
      time, never the whole table.

    Each batch of ``batch_size`` is its own transaction (not one for the whole run), so a
    backlog after an outage neither holds locks for long nor loses finished batches to a later
    failure. The transaction that marks a batch also records it as a ``ClaimedBatch``; the
    handlers (the case events and the emails, the slow part) run afterwards, one transaction
    per batch, in ``hand_over_claimed``: here when ``hand_over`` (the default), or in the
    follow-up task the worker's sweep queues. A handler that raises rolls back its batch's
    events and emails, not the marks, and the batch is handed over again by the next run.
    """
    now = now or timezone.now()
    _require_aware(now, "now")
    breached = _sweep_batches(_claim_breaches, ClaimedBatch.Kind.BREACH, now, batch_size)
    warned = _sweep_batches(_claim_warnings, ClaimedBatch.Kind.WARNING, now, batch_size)
    if breached or warned:
        logger.info("sla sweep at %s: %d breached, %d warned", now, breached, warned)
    if hand_over:
        hand_over_claimed()
    return SweepResult(breached=breached, warned=warned)


def hand_over_claimed() -> int:
    """Run the handlers for every batch the sweep has marked and not yet handed over, oldest
    first, each batch in its own transaction with the deletion of its ``ClaimedBatch``; return
    how many deadlines were handed over.

    Safe with two workers at once (a batch another holds is skipped, not waited for) and after
    any failure: a batch whose handlers raise stays, is logged, and is tried again by the next
    call, without holding up the batches after it.
    """
    handed = 0
    failed: list[int] = []
    while True:
        batch = None
        try:
            with transaction.atomic():
                batch = (
                    ClaimedBatch.objects.select_for_update(skip_locked=True)
                    .exclude(pk__in=failed)
                    .order_by("pk")
                    .first()
                )
                if batch is None:
                    return handed
                claimed = _claimed(batch.rows, batch.marked_at)
                claimed.sort(key=lambda row: (row.due_at, row.pk))
                handlers = (
                    hooks.breach_handlers()
                    if batch.kind == ClaimedBatch.Kind.BREACH
                    else hooks.warning_handlers()
                )
                for handler in handlers:
                    handler(claimed)
                batch.delete()
        except Exception:
            if batch is None:
                raise
            # Logged and left for the next run: one batch that cannot be handed over (a
            # handler's bug) must not stop the escalation of every batch after it.
            logger.exception("Could not hand over claimed batch %s; it will be retried.", batch.pk)
            failed.append(batch.pk)
            continue
        handed += len(claimed)


@dataclass(frozen=True, slots=True)
class ClaimedDeadline:
    """A deadline the sweep has just marked, as the handlers see it: the columns the claim
    returned, its commitment (the catalogue read once per batch) and its content type (Django's
    cache); no query per row.

    Handlers get these rather than model instances: a sweep after an outage claims thousands,
    and building three model instances per row cost more than marking them.
    """

    pk: int
    content_type_id: int
    object_id: int
    commitment: Commitment
    due_at: dt.datetime
    # When the sweep marked it: ``breached_at`` for a breach, ``warned_at`` for a warning.
    marked_at: dt.datetime

    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_id(self.content_type_id)

    @classmethod
    def of(cls, deadline: Deadline, *, marked_at: dt.datetime) -> ClaimedDeadline:
        """The row a claim marking ``deadline`` at ``marked_at`` would give."""
        return cls(
            pk=deadline.pk,
            content_type_id=deadline.content_type_id,
            object_id=deadline.object_id,
            commitment=deadline.commitment,
            due_at=deadline.due_at,
            marked_at=marked_at,
        )


def _sweep_batches(
    claim: Callable[[dt.datetime, int], list[tuple]], kind: str, now: dt.datetime, batch_size: int
) -> int:
    total = 0
    while True:
        with transaction.atomic():
            rows = claim(now, batch_size)
            if rows:
                ClaimedBatch.objects.create(
                    kind=kind,
                    marked_at=now,
                    rows=[[*row[:4], _as_datetime(row[4]).isoformat()] for row in rows],
                )
        total += len(rows)
        if len(rows) < batch_size:
            return total


def _claim_breaches(now: dt.datetime, batch_size: int) -> list[tuple]:
    return _claim(
        set_column="breached_at", q=breach_due_q(now), order_by="due_at", now=now, size=batch_size
    )


def _claim_warnings(now: dt.datetime, batch_size: int) -> list[tuple]:
    return _claim(
        set_column="warned_at", q=warning_due_q(now), order_by="warn_at", now=now, size=batch_size
    )


# What a claim returns of each row it marked, in ClaimedDeadline's order (the commitment by id).
_CLAIMED_COLUMNS = ("id", "content_type_id", "object_id", "commitment_id", "due_at")


def _claimed(rows: list, now: dt.datetime) -> list[ClaimedDeadline]:
    """ClaimedDeadline rows from ``_CLAIMED_COLUMNS`` tuples or lists, all marked at ``now``."""
    if not rows:
        return []
    commitments = _commitments_by_id({row[3] for row in rows})
    return [
        ClaimedDeadline(
            pk=pk,
            content_type_id=content_type_id,
            object_id=object_id,
            commitment=commitments[commitment_id],
            due_at=_as_datetime(due_at),
            marked_at=now,
        )
        for pk, content_type_id, object_id, commitment_id, due_at in rows
    ]


def _as_datetime(value: dt.datetime | str) -> dt.datetime:
    # Raw SQL gets SQLite's datetimes as text in UTC; PostgreSQL's as aware datetimes.
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _commitments_by_id(ids: set[int]) -> dict[int, Commitment]:
    # The catalogue is a few dozen rows: one query per batch, not a join per deadline.
    return Commitment.objects.in_bulk(ids)


def _claim(*, set_column: str, q: Q, order_by: str, now: dt.datetime, size: int) -> list[tuple]:
    """Stamp ``set_column`` with ``now`` on up to ``size`` rows matching ``q``; return their
    ``_CLAIMED_COLUMNS``.

    One statement, ``WITH batch AS MATERIALIZED (SELECT ... FOR UPDATE SKIP LOCKED) UPDATE ...
    FROM batch WHERE <q> RETURNING ...``, whose batch and condition are compiled by the ORM from
    ``q`` (the rule ``sla.models.RUNNING`` states once), never written out here. The batch is
    chosen once, in a materialised CTE: left as ``id IN (subquery)`` the planner may rescan the
    subquery, and each rescan under SKIP LOCKED picks new rows, so one UPDATE could claim far
    more than the batch. SKIP LOCKED (PostgreSQL; SQLite has one writer at a time and Django
    leaves it out there): rows another sweep holds are passed over, not waited for, so two
    sweeps split a backlog between them. The condition is checked again by the UPDATE itself,
    so a row another sweep (or a deadline_meet) changed after the batch chose it is left alone:
    the rows returned are exactly the rows this call changed, and no row is claimed twice.
    Needs SQLite 3.35 or later (UPDATE ... FROM ... RETURNING and MATERIALIZED).
    """
    matching = Deadline.objects.filter(q)
    batch_sql, batch_params = (
        matching.order_by(order_by)
        .select_for_update(skip_locked=True)
        .values("pk")[:size]
        .query.sql_with_params()
    )
    query = matching.query
    condition_sql, condition_params = query.get_compiler(connection=connection).compile(query.where)
    quote = connection.ops.quote_name
    table = quote(Deadline._meta.db_table)
    returning = ", ".join(f"{table}.{quote(column)}" for column in _CLAIMED_COLUMNS)
    sql = (
        f"WITH batch (id) AS MATERIALIZED ({batch_sql}) "  # noqa: S608 - compiled by the ORM
        f"UPDATE {table} SET {quote(set_column)} = %s "
        f"FROM batch WHERE {table}.{quote('id')} = batch.id AND {condition_sql} "
        f"RETURNING {returning}"
    )
    params = [
        *batch_params,
        connection.ops.adapt_datetimefield_value(now),
        *condition_params,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- closure days --------------------------------------------------------------------------


@transaction.atomic
def closure_day_add(*, day: dt.date, reason: str) -> ClosureDay:
    """Close the office on ``day``: it stops being a working day for clocks started from now
    on. Running clocks keep the due dates the customer was given."""
    closure_day = ClosureDay.objects.create(date=day, reason=reason.strip())
    calendar.reset_cache_now_and_on_commit()
    return closure_day


@transaction.atomic
def closure_day_remove(*, closure_day: ClosureDay) -> None:
    closure_day.delete()
    calendar.reset_cache_now_and_on_commit()
