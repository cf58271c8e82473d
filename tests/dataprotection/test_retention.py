"""The retention schedule applied: what has expired is anonymised (or deleted) in batches,
what has not is untouched, each run records and logs its count, and a second run finds
nothing."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import Attachment, CaseEvent
from casework.services import attachment_add, case_add_note
from dataprotection.models import RetentionRule, RetentionRun
from dataprotection.retention import ANONYMISED, retention_apply, rule_apply
from enquiries.models import ChatMessage, ChatSession
from repairs.models import Repair
from tenancy.models import Tenancy
from tests.enquiries.factories import submit_enquiry
from tests.repairs.conftest import report

pytestmark = pytest.mark.django_db


def _closed(case, years_ago: float):
    closed = timezone.now() - dt.timedelta(days=365.25 * years_ago)
    type(case).objects.filter(pk=case.pk).update(closed_at=closed, status="completed")
    return type(case).objects.get(pk=case.pk)


def test_repairs_closed_over_six_years_ago_are_anonymised_and_newer_ones_kept(
    tenant_a, officer, caplog
):
    old = _closed(report(tenant_a, description="My name is Amina and the sink leaks."), 6.2)
    recent = _closed(report(tenant_a, description="The tap drips."), 5.5)
    case_add_note(
        case=old, actor=officer, note="Amina says her son is ill.", visible_to_customer=False
    )
    attachment_add(
        case=old,
        uploaded_file=SimpleUploadedFile(
            "sink.pdf", b"%PDF-1.4\n%sink\n", content_type="application/pdf"
        ),
        uploaded_by=tenant_a.user,
    )
    with caplog.at_level(logging.INFO, logger="portal.retention"):
        run = rule_apply(rule=RetentionRule.objects.get(code="repairs.closed"), batch_size=1)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.description == ANONYMISED
    assert recent.description == "The tap drips."
    assert not CaseEvent.objects.filter(object_id=old.pk, note__contains="son is ill").exists()
    assert not Attachment.objects.filter(object_id=old.pk).exists()
    # The record of the repair stays for the figures: its reference, dates and status.
    assert (old.reference, old.status) == (Repair.objects.get(pk=old.pk).reference, "completed")
    assert run.count == 1
    assert RetentionRun.objects.get(rule__code="repairs.closed").count == 1
    assert "retention repairs.closed: anonymise 1 records" in caplog.text


def test_a_second_run_finds_nothing(tenant_a):
    _closed(report(tenant_a), 7)
    first = retention_apply()
    second = retention_apply()
    assert first["repairs.closed"] == 1
    assert second["repairs.closed"] == 0


def test_batches_are_small_transactions_that_together_do_everything(tenant_a):
    repairs = [_closed(report(tenant_a), 7) for _ in range(5)]
    run = rule_apply(rule=RetentionRule.objects.get(code="repairs.closed"), batch_size=2)
    assert (run.count, run.batches) == (5, 3)
    assert set(
        Repair.objects.filter(pk__in=[r.pk for r in repairs]).values_list("description", flat=True)
    ) == {ANONYMISED}


def test_a_kept_repair_between_two_expired_ones_in_a_batch_keeps_its_text_and_notes(
    tenant_a, officer
):
    """A batch names its rows by the range of their keys: a repair inside the range that is
    not expired (closed five years ago, or open) is not one of them."""
    first = _closed(report(tenant_a, description="Old leak."), 7)
    kept = _closed(report(tenant_a, description="Newer leak."), 5)
    still_open = report(tenant_a, description="Still broken.")
    last = _closed(report(tenant_a, description="Old crack."), 7)
    for case in (kept, still_open):
        case_add_note(case=case, actor=officer, note="Kept note.", visible_to_customer=False)
    run = rule_apply(rule=RetentionRule.objects.get(code="repairs.closed"), batch_size=2)
    assert (run.count, run.batches) == (2, 1)
    descriptions = dict(
        Repair.objects.filter(pk__in=[first.pk, kept.pk, still_open.pk, last.pk]).values_list(
            "pk", "description"
        )
    )
    assert descriptions == {
        first.pk: ANONYMISED,
        kept.pk: "Newer leak.",
        still_open.pk: "Still broken.",
        last.pk: ANONYMISED,
    }
    for case in (kept, still_open):
        assert CaseEvent.objects.filter(object_id=case.pk, note="Kept note.").exists()


def test_open_repairs_are_never_touched_however_old(tenant_a):
    repair = report(tenant_a, description="Still broken.")
    Repair.objects.filter(pk=repair.pk).update(opened_at=timezone.now() - dt.timedelta(days=4000))
    retention_apply()
    assert Repair.objects.get(pk=repair.pk).description == "Still broken."


def test_chat_transcripts_are_deleted_a_year_after_the_chat(tenant_a):
    chat = ChatSession.objects.create(
        reference="CHAT-2024-000001",
        customer=tenant_a,
        tenancy=tenant_a.tenancy,
        property=tenant_a.tenancy.property,
        status="closed",
        opened_at=timezone.now() - dt.timedelta(days=400),
        closed_at=timezone.now() - dt.timedelta(days=400),
    )
    ChatMessage.objects.create(chat=chat, sender="customer", body="Hello", sent_at=chat.opened_at)
    counts = retention_apply()
    assert counts["enquiries.chat_transcripts"] == 1
    assert not ChatMessage.objects.filter(chat=chat).exists()
    assert ChatSession.objects.filter(pk=chat.pk).exists()


def test_a_former_tenants_sign_in_is_closed_two_years_after_the_tenancy_ended(tenant_a, tenant_b):
    Tenancy.objects.filter(pk=tenant_a.tenancy_id).update(
        end_date=timezone.localdate() - dt.timedelta(days=800)
    )
    counts = retention_apply()
    assert counts["accounts.former_tenants"] == 1
    tenant_a.user.refresh_from_db()
    tenant_b.user.refresh_from_db()
    assert not tenant_a.user.is_active
    assert tenant_a.user.email == f"former-{tenant_a.user.pk}@anonymised.invalid"
    assert not tenant_a.user.has_usable_password()
    assert tenant_b.user.is_active


def test_a_rule_with_no_records_here_records_a_run_of_nothing():
    counts = retention_apply()
    assert counts["calls.recording_metadata"] == 0
    assert RetentionRun.objects.filter(rule__code="calls.recording_metadata").count() == 1


def test_enquiries_are_anonymised_after_two_years(tenant_a):
    enquiry = _closed(submit_enquiry(tenant_a, details="My phone is 07700 900123"), 2.1)
    retention_apply()
    enquiry.refresh_from_db()
    assert enquiry.details == ANONYMISED
