"""The benchmark loader: a small run on PostgreSQL gives repairs the services would have made."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F

from repairs.models import Appointment, Hazard, Repair, Slot
from sla.models import Deadline


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_bulk_repairs_have_clocks_events_and_consistent_slots(require_postgres, capsys):
    call_command("seed_bulk", homes=40)
    call_command("seed_bulk_repairs", repairs=2000)

    assert Repair.objects.count() == 2000
    assert not Repair.objects.exclude(customer__tenancy_id=F("tenancy_id")).exists()
    assert not Repair.objects.filter(target_at__isnull=True).exists()
    open_repairs = Repair.objects.filter(closed_at__isnull=True)
    assert open_repairs.exists()
    assert not open_repairs.filter(next_due_at__isnull=True).exists()
    assert not Repair.objects.filter(closed_at__isnull=False, next_due_at__isnull=False).exists()
    assert Deadline.objects.filter(commitment__code__startswith="repair.").count() == 2000
    assert Hazard.objects.count() == Repair.objects.filter(catalogue_code="hazard.damp").count()
    assert not Slot.objects.filter(booked__gt=F("capacity")).exists()
    booked = Appointment.objects.filter(status="booked")
    assert not booked.exclude(repair__status="booked").exists()
    assert not Repair.objects.filter(priority="emergency", appointments__isnull=False).exists()
    assert "2000 repairs" in capsys.readouterr().out
