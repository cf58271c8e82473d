"""Load the demo association: homes, households, logins and staff. Safe to run again.

Each of our apps may add its own demo records in ``<app>/demo.py`` with a ``seed(demo)``
function; they run in INSTALLED_APPS order after the homes and people exist.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import DEMO_PASSWORD, seed_people_and_homes

OUR_APPS = (
    "accounts",
    "tenancy",
    "notifications",
    "sla",
    "casework",
    "performance",
    "enquiries",
    "repairs",
    "complaints",
    "asb",
    "safety",
    "lettings",
    "rent",
    "neighbourhoods",
    "engagement",
    "dataprotection",
)


class Command(BaseCommand):
    help = "Load (or refresh) the demo association's homes, customers, staff and cases."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo = seed_people_and_homes()
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name not in OUR_APPS:
                    continue
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(demo)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Sign in at {settings.SITE_URL}"))
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for label, email in demo.logins:
            self.stdout.write(f"  {label:<28} {email}")
        self.stdout.write(
            "Staff are asked to set up an authenticator app the first time they open "
            "the admin (/admin/)."
        )
