"""factory_boy factories for every model the tests build. Service apps add theirs here."""

from __future__ import annotations

import datetime as dt

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts.models import User
from kernel.roles import Role
from tenancy.models import (
    STOCK_CLASS_FOR_TENURE,
    Block,
    Customer,
    HouseholdRole,
    Property,
    PropertyType,
    Tenancy,
    TenancyType,
    Tenure,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
            self.save()


class StaffFactory(UserFactory):
    """A member of staff as they work: with an authenticator app set up, which every staff page
    requires (``StaffFactory(authenticator=False)`` for one who has not yet)."""

    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=[Role(r).label for r in extracted]))

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if create and extracted is not False:
            Authenticator.objects.create(
                user=self, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Block

    name = factory.Sequence(lambda n: f"Alder Court {n}")
    address = "Alder Road, Riverton"
    postcode = "RV2 4AB"
    storeys = 6


class PropertyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Property

    uprn = factory.Sequence(lambda n: f"{100000000 + n}")
    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Mill Lane")
    town = "Riverton"
    postcode = factory.Sequence(lambda n: f"RV1 {n % 9 + 1}AA")
    property_type = PropertyType.HOUSE
    bedrooms = 2
    patch = "North"
    tenure = Tenure.GENERAL_NEEDS
    stock_class = factory.LazyAttribute(lambda home: STOCK_CLASS_FOR_TENURE[home.tenure])


class TenancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tenancy

    reference = factory.Sequence(lambda n: f"RH-{n:06d}")
    property = factory.SubFactory(PropertyFactory)
    tenancy_type = TenancyType.ASSURED
    start_date = dt.date(2020, 4, 6)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    tenancy = factory.SubFactory(TenancyFactory)
    household_role = HouseholdRole.LEAD_TENANT
    first_name = factory.Sequence(lambda n: f"Alex{n}")
    last_name = "Morgan"
    date_of_birth = dt.date(1980, 5, 17)
    email = factory.Sequence(lambda n: f"customer{n}@example.org")
    mobile = "07700 900123"


class CustomerWithLoginFactory(CustomerFactory):
    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))
