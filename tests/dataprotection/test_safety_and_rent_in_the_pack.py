"""What a subject access pack holds of a household's home safety records and rent account, and
that another household's never reach it."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
import zipfile

import pytest
import time_machine
from pypdf import PdfReader

from kernel.formatting import LONDON
from rent import selectors as rent_selectors
from rent.models import SupportRequestKind
from rent.services import (
    account_open,
    direct_debit_set_up,
    household_access_set,
    ledger_post,
    support_request_make,
    suspense_allocate,
)
from safety import selectors as safety_selectors
from safety.models import Appliance
from safety.services import block_checks_register, check_register, peep_request
from tenancy.models import HouseholdRole
from tests.dataprotection.factories import released
from tests.factories import (
    BlockFactory,
    CustomerWithLoginFactory,
    PropertyFactory,
    TenancyFactory,
)
from tests.rent.factories import held_payment
from tests.safety.factories import record

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _pack(request) -> zipfile.ZipFile:
    with request.pack.open("rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _pdf_text(pack: zipfile.ZipFile) -> str:
    reader = PdfReader(io.BytesIO(pack.read("summary.pdf")))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _keys(part) -> set[str]:
    return {r.key for r in part.records}


def _household(first_name: str, *, moved_in: dt.date = dt.date(2020, 4, 6)):
    block = BlockFactory(storeys=9, height_metres=27, has_lift=True)
    home = PropertyFactory(block=block)
    tenant = CustomerWithLoginFactory(
        first_name=first_name, tenancy=TenancyFactory(property=home, start_date=moved_in)
    )
    account = account_open(tenancy=tenant.tenancy, rent_pence=10000)
    return tenant, account


def _gas_record(tenant, done_on=dt.date(2026, 6, 1)):
    check = check_register(
        check_type="gas", home=tenant.tenancy.property, appliance=Appliance.BOILER
    )
    return record(check, done_on, notes=f"Boiler of {tenant.first_name} serviced")


def _payment(account, description: str):
    return ledger_post(
        account=account,
        kind="payment",
        amount_pence=-2500,
        on=dt.date(2026, 6, 9),
        description=description,
        actor=None,
        method="cash",
    )


def _direct_debit(tenant, account, holder: str):
    return direct_debit_set_up(
        account=account,
        customer=tenant,
        account_holder=holder,
        sort_code="309430",
        account_number="12345678",
        collection_day=5,
    )


def test_a_tenants_pack_holds_their_ledger_and_certificates_and_never_another_households(
    officer,
):
    amina, amina_account = _household("Amina")
    ben, ben_account = _household("Ben")
    amina_record = _gas_record(amina)
    ben_record = _gas_record(ben)
    _direct_debit(amina, amina_account, "A KHAN")
    _direct_debit(ben, ben_account, "B OKAFOR")
    amina_payment = _payment(amina_account, "Paid at the office by Amina")
    _payment(ben_account, "Paid at the office by Ben")
    support_request_make(
        account=ben_account,
        customer=ben,
        kind=SupportRequestKind.CALL_FROM_INCOME_TEAM,
        phone="07700 900999",
        idempotency_key=uuid.uuid4(),
    )

    pack = _pack(released(amina, officer))
    data = pack.read("data.json").decode()

    assert f"rent.RentAccount:{amina_account.pk}" in data
    assert f"rent.LedgerEntry:{amina_payment.pk}" in data
    assert "Paid at the office by Amina" in data
    assert f"safety.CheckRecord:{amina_record.pk}" in data
    assert "Boiler of Amina serviced" in data
    # The certificate itself is in the pack, as the PDF it is.
    certificates = [name for name in pack.namelist() if name.endswith("lgsr.pdf")]
    assert len(certificates) == 1
    assert pack.read(certificates[0]).startswith(b"%PDF")
    # The Direct Debit as we keep it: the last two digits, never the full account number.
    assert "A KHAN" in data
    assert "12345678" not in data
    # Nothing of Ben's household.
    assert f"rent.RentAccount:{ben_account.pk}" not in data
    assert ben.tenancy.reference not in data
    assert f"safety.CheckRecord:{ben_record.pk}" not in data
    assert "Boiler of Ben serviced" not in data
    assert "B OKAFOR" not in data
    assert "Paid at the office by Ben" not in data
    assert "07700 900999" not in data
    assert len([name for name in pack.namelist() if name.startswith("files/")]) == 1
    # The full record, her figures as the data has them, is in the web page; the printed
    # overview counts her rent and safety records; neither holds anything of Ben's.
    html = pack.read("index.html").decode()
    pdf = _pdf_text(pack)
    payment = next(
        record
        for part in json.loads(data)["parts"]
        for record in part["records"]
        if record["key"] == f"rent.LedgerEntry:{amina_payment.pk}"
    )
    figures = [value for _label, value in payment["fields"] if value and len(value) < 30]
    assert any(any(digit in value for digit in "0123456789") for value in figures)
    for value in figures:
        assert value in html, value
    for expected in ("Paid at the office by Amina", "Boiler of Amina serviced", "A KHAN"):
        assert expected in html
        assert expected not in pdf
    assert "Rent account 1" in pdf
    assert "Home safety" in pdf and "Files in the files folder 1" in pdf
    for absent in ("Ben", "B OKAFOR", "12345678", "07700 900999"):
        assert absent not in pdf
        assert absent not in html


def test_a_joint_tenant_gets_the_joint_account_and_is_offered_the_other_tenants_bank_name():
    amina, account = _household("Amina")
    sam = CustomerWithLoginFactory(
        tenancy=amina.tenancy, first_name="Sam", household_role=HouseholdRole.JOINT_TENANT
    )
    _direct_debit(amina, account, "A KHAN")

    part = rent_selectors.personal_data_for(sam)

    assert f"rent.RentAccount:{account.pk}" in _keys(part)
    instruction = next(r for r in part.records if r.key.startswith("rent.DirectDebit"))
    assert set(instruction.third_parties) == {"A KHAN", amina.full_name}
    assert ("Account number ending", "78") in instruction.fields
    assert rent_selectors.personal_data_for(amina).records  # the lead tenant's own, unoffered
    own = next(
        r
        for r in rent_selectors.personal_data_for(amina).records
        if r.key.startswith("rent.DirectDebit")
    )
    assert own.third_parties == ()


def test_a_household_member_gets_the_account_only_once_the_lead_tenant_allows_it():
    amina, account = _household("Amina")
    son = CustomerWithLoginFactory(
        tenancy=amina.tenancy, first_name="Omar", household_role=HouseholdRole.MEMBER
    )

    assert not any(k.startswith("rent.") for k in _keys(rent_selectors.personal_data_for(son)))

    household_access_set(account=account, by=amina, allowed=True)
    account.refresh_from_db()

    assert f"rent.RentAccount:{account.pk}" in _keys(rent_selectors.personal_data_for(son))


def test_a_held_payment_is_in_no_pack_until_it_is_matched_to_the_account():
    amina, account = _household("Amina")
    payment = held_payment(reference="KHAN RENT", transaction_id="HELD-7")

    assert f"rent.SuspensePayment:{payment.pk}" not in _keys(
        rent_selectors.personal_data_for(amina)
    )

    suspense_allocate(payment=payment, account=account, actor=None)

    matched = next(
        r
        for r in rent_selectors.personal_data_for(amina).records
        if r.key == f"rent.SuspensePayment:{payment.pk}"
    )
    assert ("Reference given", "KHAN RENT") in matched.fields


def test_safety_records_before_the_household_moved_in_and_the_blocks_are_not_theirs():
    amina, _ = _household("Amina", moved_in=dt.date(2026, 1, 5))
    previous = _gas_record(amina, done_on=dt.date(2025, 6, 1))
    ours = record(previous.compliance_check, dt.date(2026, 5, 20))
    block_checks = block_checks_register(block=amina.tenancy.property.block)
    assessment = next(c for c in block_checks if c.check_type == "fire_risk")
    block_record = record(assessment, dt.date(2026, 5, 1), outcome="satisfactory")

    keys = _keys(safety_selectors.personal_data_for(amina))

    assert f"safety.CheckRecord:{ours.pk}" in keys
    assert f"safety.CheckRecord:{previous.pk}" not in keys
    assert f"safety.CheckRecord:{block_record.pk}" not in keys
    assert f"safety.ComplianceCheck:{assessment.pk}" not in keys
    assert f"safety.ComplianceCheck:{ours.compliance_check_id}" in keys


def test_an_evacuation_plan_is_in_its_own_persons_pack_only():
    amina, _ = _household("Amina")
    partner = CustomerWithLoginFactory(
        tenancy=amina.tenancy, first_name="Sam", household_role=HouseholdRole.JOINT_TENANT
    )
    plan = peep_request(
        customer=amina, needs="I use a wheelchair", consent=True, share_with_fire_service=True
    )

    amina_plan = next(
        r
        for r in safety_selectors.personal_data_for(amina).records
        if r.key == f"safety.Peep:{plan.pk}"
    )
    assert ("Share with fire service", "Yes") in amina_plan.fields
    assert f"safety.Peep:{plan.pk}" not in _keys(safety_selectors.personal_data_for(partner))
