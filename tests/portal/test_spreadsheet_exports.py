"""Every file a member of staff downloads opens in a spreadsheet with text shown as typed:
nothing a customer wrote runs as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from kernel.spreadsheets import SpreadsheetSafeResource, spreadsheet_safe
from tests.factories import CustomerFactory


def test_every_formula_trigger_is_shown_as_text_and_numbers_stay_numbers():
    values = ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=x", "plain", None, 3, -2, Decimal("9.5"))

    assert [spreadsheet_safe(v) for v in values] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "'\r=x",
        "plain",
        "",
        3,
        -2,
        Decimal("9.5"),
    ]


def test_every_admin_export_escapes_formulae():
    unsafe = [
        f"{model._meta.label}: {resource.__name__}"
        for model, model_admin in admin.site._registry.items()
        for resource in getattr(model_admin, "resource_classes", [])
        if not issubclass(resource, SpreadsheetSafeResource)
    ]
    assert unsafe == []


@pytest.mark.django_db
def test_a_contact_email_written_as_a_formula_reaches_the_managers_export_as_text(client, manager):
    CustomerFactory(email="=2+5@example.org", first_name="@SUM(A1)")
    client.force_login(manager)

    response = client.post(
        reverse("admin:tenancy_customer_export"),
        {
            "format": "0",
            "resource": "0",
            "customerresource_email": "on",
            "customerresource_first_name": "on",
        },
    )

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["email"] == "'=2+5@example.org"
    assert rows[0]["first_name"] == "'@SUM(A1)"
