"""The demo seed registers every home's and block's checks with real PDF certificates, and
running it again changes nothing."""

from __future__ import annotations

from pypdf import PdfReader

from portal.demo import seed_people_and_homes
from safety.demo import seed
from safety.models import CheckRecord, ComplianceCheck, RemedialWork, SafetyReport
from sla.models import Deadline


def test_the_demo_seed_is_idempotent_and_its_certificates_are_pdfs(db):
    demo = seed_people_and_homes()

    seed(demo)
    counts = (
        ComplianceCheck.objects.count(),
        CheckRecord.objects.count(),
        RemedialWork.objects.count(),
        SafetyReport.objects.count(),
        Deadline.objects.count(),
    )
    seed(demo)

    assert (
        ComplianceCheck.objects.count(),
        CheckRecord.objects.count(),
        RemedialWork.objects.count(),
        SafetyReport.objects.count(),
        Deadline.objects.count(),
    ) == counts
    assert counts[2] == 1 and counts[3] == 1
    gas = CheckRecord.objects.filter(compliance_check__check_type="gas").first()
    with gas.certificate.open("rb") as stored:
        text = PdfReader(stored).pages[0].extract_text()
    assert "Gas safety check" in text
