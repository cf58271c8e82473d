"""Customers with a portal account get the address they confirmed as their one email.

Before, a tenancy record's old address was kept even after the tenant registered and confirmed
another, and every message went to the old one.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def use_confirmed_addresses(apps, schema_editor):
    Customer = apps.get_model("tenancy", "Customer")
    EmailAddress = apps.get_model("account", "EmailAddress")
    confirmed = EmailAddress.objects.filter(
        user_id=OuterRef("user_id"), primary=True, verified=True
    )
    Customer.objects.filter(Exists(confirmed)).update(
        email=Subquery(confirmed.values("email")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tenancy", "0002_property_stock_register"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(use_confirmed_addresses, migrations.RunPython.noop)]
