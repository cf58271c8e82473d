"""Factories and helpers for the compliance register, on top of tests/factories.py."""

from __future__ import annotations

import datetime as dt
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from safety.models import Contractor
from safety.services import RecordDetails, record_add

# A whole PDF with nothing active in it.
CLEAN_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def pdf(content: bytes = CLEAN_PDF, name: str = "lgsr.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def pdf_with_script() -> bytes:
    return CLEAN_PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )


def pdf_with_hidden_launch() -> bytes:
    """A launch action inside a deflated object stream, with its name escaped."""
    hidden = zlib.compress(b"<< /S /L#61unch /F (cmd.exe) >>")
    return (
        b"%PDF-1.5\n3 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
        + hidden
        + b"\nendstream\nendobj\n%%EOF\n"
    )


class ContractorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contractor

    name = factory.Sequence(lambda n: f"Safe Heat Ltd {n}")
    gas_safe_number = "123456"
    electrical_scheme = "NICEIC"
    electrical_number = "NIC-7788"


def record(
    check,
    done_on: dt.date,
    *,
    outcome="pass",
    contractor=None,
    certificate=True,
    actor=None,
    **extra,
):
    """Record a check done through the service, as the compliance team does."""
    if contractor is None and check.check_type in ("gas", "electrical"):
        contractor = ContractorFactory()
    registration = ""
    if check.check_type == "gas":
        registration = contractor.gas_safe_number
    elif check.check_type == "electrical":
        registration = contractor.electrical_number
    return record_add(
        check=check,
        details=RecordDetails(
            done_on=done_on,
            outcome=outcome,
            contractor=contractor,
            engineer_name="Pat Engineer",
            engineer_registration=extra.pop("engineer_registration", registration),
            **extra,
        ),
        certificate=pdf() if certificate else None,
        actor=actor,
    )
