"""The retention schedule applied: what each rule does to the records it names, in batches.

A rule (``RetentionRule``, managed in the admin) says how long a kind of record is kept; a
target here says what "anonymise" or "delete" means for it. Anonymising keeps the row (its
reference, dates, status and clocks stay for the regulator's figures and the statistics, which
name nobody) and removes what the person told us and what identifies them: free text, the
notes on the case's events and its files. A rule whose records no app keeps yet (call
recordings) has no target, and its run records nothing.

Batches: each batch is its own short transaction that takes row locks on at most
``BATCH_SIZE`` rows and never a table lock (plain ``UPDATE ... WHERE`` the expired rows not yet
done in a range of primary keys), so the tables stay writable throughout and a crash loses at
most one batch, which the next run redoes. Rows already anonymised no longer match, so a run
is idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from casework.models import Attachment, CaseEvent
from dataprotection.models import RetentionAction, RetentionRule, RetentionRun

logger = logging.getLogger("portal.retention")

# A batch holds its row locks from its first write to its commit: a median of 0.07 s and at
# worst 0.45 s for 2,000 rows on a loaded two-core machine (bench/README.md), inside the second
# allowed; fewer batches took the run over a million rows from 57 s to 42 s.
BATCH_SIZE = 2000
# What anonymised free text reads as (a required text field cannot be blank).
ANONYMISED = "[Removed under our retention schedule]"


@dataclass(frozen=True)
class Target:
    """The records a rule applies to: rows of ``model_label`` whose ``expired_field`` is before
    the cutoff and that ``pending`` says are not yet done. ``changes`` are the values written
    (anonymise); ``delete`` removes the rows instead. ``case_history``: also blank the notes
    of the case's events and delete its files."""

    model_label: str
    expired_field: str
    pending: Q
    changes: dict[str, Any] = field(default_factory=dict)
    delete: bool = False
    case_history: bool = False
    # Extra work per batch of ids, inside the batch's transaction (a sign-in's email addresses).
    also: Callable[[list[int]], None] | None = None


def _former_tenant_sign_ins_also(user_ids: list[int]) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user_id__in=user_ids).delete()


def _asb_closed_also(case_ids: list[int]) -> None:
    # The diary and the action plan tell the story of the report in the reporter's words and
    # name the other party; the model is found by name, as this app imports no service app.
    apps.get_model("asb.DiaryEntry")._base_manager.filter(case_id__in=case_ids).update(
        what_happened=ANONYMISED
    )
    apps.get_model("asb.AsbAction")._base_manager.filter(case_id__in=case_ids).update(
        description=ANONYMISED
    )


TARGETS: dict[str, Target] = {
    "repairs.closed": Target(
        model_label="repairs.Repair",
        expired_field="closed_at",
        pending=~Q(description=ANONYMISED),
        changes={
            "description": ANONYMISED,
            "satisfaction_comment": "",
            "builder_response": "",
        },
        case_history=True,
    ),
    "complaints.closed": Target(
        model_label="complaints.Complaint",
        expired_field="closed_at",
        pending=~Q(details=ANONYMISED),
        changes={
            "details": ANONYMISED,
            "outcome_wanted": "",
            "escalation_note": "",
            "stage1_outcomes_sought": "",
            "stage2_outcomes_sought": "",
            "refusal_explanation": "",
        },
        case_history=True,
    ),
    "asb.closed": Target(
        model_label="asb.AsbCase",
        expired_field="closed_at",
        pending=~Q(details=ANONYMISED),
        # Kind, category, place, risk, the close reason and the satisfaction answer stay: the
        # hate-incident and ASB figures (NM01, TP12) are counted from them and name nobody.
        changes={
            "details": ANONYMISED,
            "witnesses": "",
            "place_detail": "",
            "other_party_address": "",
            "other_party_tenancy": None,
            "safe_phone": "",
            "safe_times": "",
            "code_word": "",
        },
        case_history=True,
        also=_asb_closed_also,
    ),
    "enquiries.closed": Target(
        model_label="enquiries.Enquiry",
        expired_field="closed_at",
        pending=~Q(details=ANONYMISED),
        changes={"details": ANONYMISED, "answer": ""},
        case_history=True,
    ),
    "enquiries.callbacks": Target(
        model_label="enquiries.CallBack",
        expired_field="closed_at",
        pending=~Q(reason=ANONYMISED),
        changes={"reason": ANONYMISED, "phone": "", "outcome_note": ""},
        case_history=True,
    ),
    "enquiries.chat_transcripts": Target(
        model_label="enquiries.ChatMessage",
        expired_field="chat__closed_at",
        pending=Q(),
        delete=True,
    ),
    "accounts.former_tenants": Target(
        model_label="accounts.User",
        expired_field="customer__tenancy__end_date",
        pending=~Q(email__endswith="@anonymised.invalid"),
        # The sign-in goes; the housing record of the tenancy (tenancy.Customer) is its own rule.
        changes={
            "is_active": False,
            "password": "!",
            "email": Concat(
                Value("former-"), Cast("pk", CharField()), Value("@anonymised.invalid")
            ),
            "first_name": "",
            "last_name": "",
        },
        also=_former_tenant_sign_ins_also,
    ),
}


def _cutoff(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _batch(target: Target, model: type[models.Model], expired: QuerySet, ids: list[int]) -> int:
    """One batch: the expired rows not yet done between the first and the last of ``ids`` (the
    batch's rows, taken in primary key order from the same query, so the same rows). They are
    named by that range rather than by a list of their ids, and the case's events and files by
    a subquery of them, so no statement carries a thousand parameters to build and send. The
    events and files go first: once anonymised, a row is no longer "not yet done"."""
    rows = expired.filter(pk__gte=ids[0], pk__lte=ids[-1])
    if target.also is not None:
        target.also(ids)
    if target.delete:
        count, _ = rows.delete()
        return len(ids) if count else 0
    if target.case_history:
        content_type = ContentType.objects.get_for_model(model)
        cases = rows.values("pk")
        CaseEvent.objects.filter(content_type=content_type, object_id__in=cases).exclude(
            note=""
        ).update(note="")
        files = Attachment.objects.filter(content_type=content_type, object_id__in=cases)
        names = list(files.values_list("file", flat=True))
        if names:
            files.delete()
            transaction.on_commit(lambda: _delete_files(names))
    return rows.update(**target.changes)


def rule_apply(
    *, rule: RetentionRule, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE
) -> RetentionRun:
    """Apply one rule, batch by batch, and record the run with its count."""
    now = now or timezone.now()
    cutoff = _cutoff(now, rule.keep_years)
    run = RetentionRun.objects.create(rule=rule, started_at=now, cutoff=cutoff)
    target = TARGETS.get(rule.code)
    if target is None or target.delete != (rule.action == RetentionAction.DELETE):
        # No app keeps these records yet, or the rule was edited to an action this target does
        # not do: record a run of nothing rather than guess.
        logger.info("retention %s: no target for %s, nothing done", rule.code, rule.action)
        RetentionRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
        return run
    model = apps.get_model(target.model_label)
    expired_value: dt.datetime | dt.date = cutoff
    if target.expired_field.endswith("_date"):
        expired_value = cutoff.date()
    expired = model._base_manager.filter(**{f"{target.expired_field}__lt": expired_value}).filter(
        target.pending
    )
    last_pk = 0
    total = 0
    batches = 0
    while True:
        with transaction.atomic():
            ids = list(
                expired.filter(pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            last_pk = ids[-1]
            total += _batch(target, model, expired, ids)
            batches += 1
    RetentionRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), count=total, batches=batches
    )
    run.count, run.batches = total, batches
    logger.info(
        "retention %s: %s %d records in %d batches (cutoff %s)",
        rule.code,
        rule.get_action_display().split(":")[0].lower(),
        total,
        batches,
        cutoff.isoformat(),
    )
    return run


def retention_apply(now: dt.datetime | None = None) -> dict[str, int]:
    """Apply every active rule; the count each rule anonymised or deleted."""
    return {
        rule.code: rule_apply(rule=rule, now=now).count
        for rule in RetentionRule.objects.filter(is_active=True).order_by("code")
    }
