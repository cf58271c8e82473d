"""After signing in, each member of staff lands on their own queue, not on a page that refuses
them; a page they asked for wins, also when they first have to set up an authenticator app."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from kernel.roles import Role
from tests.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
ACTIVATE = reverse("mfa_activate_totp")
NOW = dt.datetime(2026, 12, 8, 9, 30, 10, tzinfo=dt.UTC)
# The secret StaffFactory gives every authenticator it sets up.
SECRET = "JBSWY3DPEHPK3PXP"


def sign_in_with_code(client, user, next_page: str = "") -> str:
    """Password, then the code from the app, as staff sign in; returns where they are sent."""
    query = f"?next={next_page}" if next_page else ""
    with time_machine.travel(NOW, tick=False):
        password_step = client.post(
            LOGIN + query, {"login": user.email, "password": PASSWORD, "next": next_page}
        )
        assert password_step["Location"] == reverse("mfa_authenticate")
        code = format_hotp_value(hotp_value(SECRET, int(NOW.timestamp()) // 30))
        code_step = client.post(reverse("mfa_authenticate"), {"code": code})
    assert code_step.status_code == 302
    return code_step["Location"]


@pytest.mark.parametrize(
    ("role", "queue"),
    [
        (Role.MANAGER, "performance:dashboard"),
        (Role.CUSTOMER_SERVICES, "workspace:my_work"),
        (Role.REPAIRS, "workspace:my_work"),
        (Role.COMPLAINTS, "workspace:my_work"),
        (Role.ASB, "workspace:my_work"),
        (Role.LETTINGS, "workspace:my_work"),
        (Role.INCOME, "workspace:my_work"),
        (Role.COMPLIANCE, "workspace:my_work"),
    ],
)
def test_each_role_lands_on_its_own_queue_after_signing_in(client, role, queue):
    officer = StaffFactory(roles=[role])

    landing = sign_in_with_code(client, officer)

    assert landing == reverse(queue)
    assert client.get(landing).status_code == 200


def test_a_manager_who_also_works_a_queue_lands_on_the_dashboard(client):
    manager = StaffFactory(roles=[Role.REPAIRS, Role.MANAGER])

    assert sign_in_with_code(client, manager) == reverse("performance:dashboard")


def test_staff_without_a_role_land_on_the_staff_index_not_a_refusal(client):
    administrator = StaffFactory(roles=[])

    landing = sign_in_with_code(client, administrator)

    assert landing == reverse("admin:index")
    assert client.get(landing).status_code == 200


def test_the_page_staff_asked_for_wins_over_their_queue(client):
    officer = StaffFactory(roles=[Role.REPAIRS])
    asked_for = reverse("repairs:measures")

    assert sign_in_with_code(client, officer, next_page=asked_for) == asked_for


def test_customers_still_land_on_their_home(client, tenant_a):
    response = client.post(LOGIN, {"login": tenant_a.user.email, "password": PASSWORD})

    assert response["Location"] == reverse("portal:your_home")


def set_up_an_authenticator(client) -> str:
    """Through allauth's real pages: password again, then a code from the new app; returns the
    page the set-up ends on."""
    with time_machine.travel(NOW, tick=False):
        confirm = client.get(ACTIVATE, follow=True)
        client.post(confirm.redirect_chain[-1][0], {"password": PASSWORD})
        client.get(ACTIVATE)
        secret = client.session["mfa.totp.secret"]
        code = format_hotp_value(hotp_value(secret, int(NOW.timestamp()) // 30))
        enrolled = client.post(ACTIVATE, {"code": code})
    assert enrolled["Location"] == reverse("mfa_view_recovery_codes")
    return client.get(enrolled["Location"]).content.decode()


@pytest.mark.parametrize(
    "asked_for", ["/admin/complaints/complaint/?o=1&q=x", reverse("complaints:performance")]
)
def test_setting_up_an_authenticator_leads_back_to_the_page_asked_for(client, asked_for):
    officer = StaffFactory(roles=[Role.COMPLAINTS, Role.MANAGER], authenticator=False)
    client.force_login(officer)

    sent_to_set_up = client.get(asked_for)
    codes_page = set_up_an_authenticator(client)

    assert sent_to_set_up["Location"] == ACTIVATE
    assert f'href="{asked_for.replace("&", "&amp;")}">Go to the staff pages' in codes_page


def test_without_a_page_asked_for_the_set_up_leads_to_the_staff_index(client):
    officer = StaffFactory(roles=[Role.REPAIRS], authenticator=False)
    client.force_login(officer)

    codes_page = set_up_an_authenticator(client)

    assert f'href="{reverse("admin:index")}">Go to the staff pages' in codes_page
