"""The demo association: about 40 homes in houses and two blocks of flats, with logins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from kernel.roles import Role
from tenancy.models import (
    STOCK_CLASS_FOR_TENURE,
    Block,
    Channel,
    Customer,
    HouseholdRole,
    Property,
    PropertyType,
    Tenancy,
    TenancyType,
    Tenure,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo, never used in production

STREETS = [
    ("Mill Lane", "RV1 2AB", "North"),
    ("Orchard Way", "RV1 3CD", "North"),
    ("Quay Street", "RV2 1EF", "South"),
]
FIRST_NAMES = [
    "Amina",
    "Ben",
    "Chloe",
    "Dev",
    "Ewa",
    "Farid",
    "Grace",
    "Hamza",
    "Isla",
    "Jon",
    "Kemi",
    "Liam",
    "Maya",
    "Noah",
    "Olu",
    "Priya",
    "Rhys",
    "Sara",
    "Tomasz",
    "Una",
    "Victor",
    "Wen",
    "Yusuf",
    "Zara",
    "Aled",
    "Bea",
    "Cai",
    "Dina",
    "Emil",
    "Fay",
    "Gus",
    "Hana",
    "Ivo",
    "Jess",
    "Kit",
    "Lena",
    "Milo",
    "Nia",
    "Oren",
    "Pia",
]
LAST_NAMES = [
    "Khan",
    "Okafor",
    "Smith",
    "Patel",
    "Nowak",
    "Rahman",
    "Jones",
    "Ali",
    "Evans",
    "Brown",
]


@dataclass
class Demo:
    """What later seeders need: the people and homes by role, and logins to print."""

    tenant: Customer
    other_tenant: Customer
    leaseholder: Customer
    shared_owner: Customer
    new_build_tenant: Customer
    staff: dict[Role, User]
    customers: list[Customer]
    logins: list[tuple[str, str]] = field(default_factory=list)


def _login(email: str, *, staff: bool = False, roles: tuple[Role, ...] = (), first="", last=""):
    user, created = User.objects.get_or_create(
        email=email, defaults={"is_staff": staff, "first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    if roles:
        user.groups.set(Group.objects.filter(name__in=[r.label for r in roles]))
    return user


def _home(n: int, **fields) -> Property:
    fields.setdefault("stock_class", STOCK_CLASS_FOR_TENURE[fields["tenure"]])
    prop, _ = Property.objects.update_or_create(uprn=f"10009{n:05d}", defaults=fields)
    return prop


def _household(
    n: int, prop: Property, tenancy_type: str, role: str, start: dt.date, **customer_fields
) -> Customer:
    tenancy, _ = Tenancy.objects.update_or_create(
        reference=f"RH-{n:06d}",
        defaults={"property": prop, "tenancy_type": tenancy_type, "start_date": start},
    )
    defaults = {
        "household_role": role,
        "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
        "last_name": LAST_NAMES[n % len(LAST_NAMES)],
        "date_of_birth": dt.date(1960 + n % 40, n % 12 + 1, n % 27 + 1),
        "email": f"household{n}@example.org",
        "mobile": f"07700 900{n:03d}",
        "preferred_channel": Channel.EMAIL,
    }
    defaults.update(customer_fields)
    customer, _ = Customer.objects.update_or_create(
        tenancy=tenancy, household_role=role, defaults=defaults
    )
    return customer


def seed_people_and_homes() -> Demo:
    today = timezone.localdate()
    alder, _ = Block.objects.update_or_create(
        name="Alder Court",
        defaults={
            "address": "Alder Road, Riverton",
            "postcode": "RV2 4AB",
            "storeys": 4,
            "height_metres": 12,
            "has_lift": True,
        },
    )
    birch, _ = Block.objects.update_or_create(
        name="Birch House",
        defaults={
            "address": "Birch Street, Riverton",
            "postcode": "RV2 5CD",
            "storeys": 8,
            "height_metres": 24,
            "has_lift": True,
        },
    )
    customers: list[Customer] = []
    n = 0
    # 24 houses on three streets.
    for street, postcode, patch in STREETS:
        for number in range(1, 9):
            n += 1
            prop = _home(
                n,
                address_line_1=f"{number} {street}",
                town="Riverton",
                postcode=postcode,
                property_type=PropertyType.HOUSE,
                bedrooms=2 + number % 3,
                patch=patch,
                tenure=Tenure.GENERAL_NEEDS,
            )
            customers.append(
                _household(
                    n,
                    prop,
                    TenancyType.ASSURED,
                    HouseholdRole.LEAD_TENANT,
                    dt.date(2010 + n % 14, 4, 1),
                )
            )
    # 16 flats in two blocks; one leasehold and one shared ownership flat.
    for block, patch in ((alder, "South"), (birch, "South")):
        for flat in range(1, 9):
            n += 1
            tenure, ttype, member = (
                Tenure.GENERAL_NEEDS,
                TenancyType.ASSURED,
                HouseholdRole.LEAD_TENANT,
            )
            if block == alder and flat == 8:
                tenure, ttype, member = (
                    Tenure.LEASEHOLD,
                    TenancyType.LEASE,
                    HouseholdRole.LEASEHOLDER,
                )
            if block == birch and flat == 8:
                tenure, ttype, member = (
                    Tenure.SHARED_OWNERSHIP,
                    TenancyType.SHARED_OWNERSHIP,
                    HouseholdRole.SHARED_OWNER,
                )
            prop = _home(
                n,
                address_line_1=f"Flat {flat}, {block.name}",
                town="Riverton",
                postcode=block.postcode,
                property_type=PropertyType.FLAT,
                bedrooms=1,
                patch=patch,
                tenure=tenure,
                block=block,
            )
            customers.append(_household(n, prop, ttype, member, dt.date(2015 + n % 9, 6, 1)))
    # One new build still in its 12-month defects period.
    n += 1
    new_build = _home(
        n,
        address_line_1="1 Heron Close",
        town="Riverton",
        postcode="RV3 1HC",
        property_type=PropertyType.HOUSE,
        bedrooms=3,
        patch="North",
        tenure=Tenure.GENERAL_NEEDS,
        joined_stock_on=today - dt.timedelta(days=90),
        handover_date=today - dt.timedelta(days=90),
        builder="Kestrel Construction Ltd",
        defects_period_months=12,
    )
    customers.append(
        _household(
            n,
            new_build,
            TenancyType.STARTER,
            HouseholdRole.LEAD_TENANT,
            today - dt.timedelta(days=60),
        )
    )

    logins: list[tuple[str, str]] = []

    def give_login(customer: Customer, email: str, label: str) -> Customer:
        customer.user = _login(email, first=customer.first_name, last=customer.last_name)
        customer.email = email
        customer.save(update_fields=["user", "email"])
        logins.append((label, email))
        return customer

    tenant = give_login(customers[0], "tenant@example.org", "Tenant (house)")
    other = give_login(customers[9], "tenant2@example.org", "Tenant, another home")
    leaseholder = give_login(customers[31], "leaseholder@example.org", "Leaseholder")
    shared = give_login(customers[39], "sharedowner@example.org", "Shared owner")
    new_build_tenant = give_login(customers[40], "newbuild@example.org", "Tenant (new build)")
    tenant.large_print = True
    tenant.save(update_fields=["large_print"])

    staff: dict[Role, User] = {}
    for role in Role:
        email = f"{role.value.replace('_', '-')}@riverside-homes.example"
        staff[role] = _login(email, staff=True, roles=(role,), first=role.label, last="Officer")
        logins.append((f"Staff: {role.label}", email))
    admin_user = _login("admin@riverside-homes.example", staff=True, first="Site", last="Admin")
    if not admin_user.is_superuser:
        admin_user.is_superuser = True
        admin_user.save(update_fields=["is_superuser"])
    logins.append(("Administrator", admin_user.email))

    return Demo(
        tenant=tenant,
        other_tenant=other,
        leaseholder=leaseholder,
        shared_owner=shared,
        new_build_tenant=new_build_tenant,
        staff=staff,
        customers=customers,
        logins=logins,
    )
