"""allauth's pages in our GOV.UK look: sign in and out, password reset, email, security emails."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
NEW_PASSWORD = "lantern orchard kettle 77"


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("account_login", "Sign in"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
        ("account_signup", "Create an account"),
    ],
)
def test_signed_out_pages_render_inside_our_layout(client, name, title):
    response = client.get(reverse(name))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{title} - Riverside Homes</title>" in html
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in html
    assert 'class="portal-header"' in html
    assert "govuk-footer" in html


def test_sign_in_page_links_to_registration_and_password_reset(client):
    main = main_of(client.get(LOGIN))

    assert f'href="{reverse("accounts:register")}">Create an account</a>' in main
    assert f'href="{reverse("account_reset_password")}">Forgotten your password?</a>' in main
    assert '<label class="govuk-label" for="id_login">Email address</label>' in main
    assert '<label class="govuk-label" for="id_password">Password</label>' in main


def test_wrong_password_shows_one_error_linked_to_the_email_field(client, tenant_a):
    response = client.post(LOGIN, {"login": tenant_a.user.email, "password": "not it at all"})

    html = response.content.decode()
    assert "<title>Error: Sign in - Riverside Homes</title>" in html
    assert 'class="govuk-error-summary"' in html
    assert re.search(r'<li><a href="#id_login">[^<]+not correct', html)
    assert f'value="{tenant_a.user.email}"' in html
    assert 'type="password" autocomplete="current-password"' in html
    assert "not it at all" not in html
    assert "_auth_user_id" not in client.session


def test_empty_sign_in_links_each_error_to_its_field(client):
    html = client.post(LOGIN, {}).content.decode()

    assert '<li><a href="#id_login">' in html
    assert '<li><a href="#id_password">' in html
    assert html.count('class="govuk-error-message"') == 2


def test_sign_in_with_right_password_goes_to_your_home(client, tenant_a):
    response = client.post(LOGIN, {"login": tenant_a.user.email, "password": PASSWORD})

    assert response["Location"] == reverse("portal:your_home")
    assert int(client.session["_auth_user_id"]) == tenant_a.user.pk


def test_sign_out_by_link_only_asks_and_keeps_you_signed_in(client_a, tenant_a):
    response = client_a.get(reverse("account_logout"))

    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Sign out</h1>' in main_of(response)
    assert int(client_a.session["_auth_user_id"]) == tenant_a.user.pk


def test_sign_out_by_form_signs_you_out(client_a):
    response = client_a.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client_a.session


def test_password_reset_from_request_to_sign_in(client, tenant_a):
    response = client.post(reverse("account_reset_password"), {"email": tenant_a.user.email})

    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Riverside Homes: Reset your password"
    link = re.search(r"http://testserver(/account/password/reset/key/\S+/)", message.body)[1]

    # allauth moves the key out of the address before showing the form.
    form_page = client.get(link, follow=True)
    assert '<h1 class="govuk-heading-l">Choose a new password</h1>' in main_of(form_page)
    form_url = form_page.redirect_chain[-1][0]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == reverse("account_reset_password_from_key_done")
    assert "Your password has been changed" in main_of(client.get(done["Location"]))

    notice = mail.outbox[-1]
    assert notice.subject == "Riverside Homes: Your password has been reset"
    assert notice.to == [tenant_a.user.email]
    signed_in = client.post(LOGIN, {"login": tenant_a.user.email, "password": NEW_PASSWORD})
    assert signed_in["Location"] == reverse("portal:your_home")


def test_password_reset_mismatch_is_shown_next_to_the_second_password(client, tenant_a):
    client.post(reverse("account_reset_password"), {"email": tenant_a.user.email})
    link = re.search(r"http://testserver(/account/password/reset/key/\S+/)", mail.outbox[0].body)[1]
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": "different one 1"})

    html = response.content.decode()
    assert '<li><a href="#id_password2">' in html
    tenant_a.user.refresh_from_db()
    assert tenant_a.user.check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_looks_the_same(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox[0].to == ["nobody@example.org"]
    assert "http://testserver/account/register/" in mail.outbox[0].body


def test_used_or_forged_reset_link_says_it_has_expired(client, tenant_a):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "forged-key"}),
        follow=True,
    )

    assert "This link has expired" in main_of(response)


def test_email_confirmation_with_a_bad_key_says_it_has_expired(client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "forged"}))

    assert response.status_code == 200
    assert "This link has expired or has already been used." in main_of(response)


def test_email_page_shows_the_confirmed_address_and_the_change_waiting_for_its_link(
    client_a, tenant_a
):
    EmailAddress.objects.create(user=tenant_a.user, email="second@example.org", verified=False)

    main = main_of(client_a.get(reverse("account_email")))

    assert tenant_a.user.email in main
    assert "Confirmed" in main
    assert "second@example.org" in main
    assert "Not confirmed" in main
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in main


def test_adding_an_invalid_email_address_shows_the_error_summary(client_a):
    response = client_a.post(reverse("account_email"), {"action_add": "", "email": "not-an-email"})

    html = response.content.decode()
    assert '<li><a href="#id_email">' in html
    assert 'value="not-an-email"' in html


def test_changing_password_sends_a_security_notification(client, tenant_a):
    client.post(LOGIN, {"login": tenant_a.user.email, "password": PASSWORD})

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    tenant_a.user.refresh_from_db()
    assert tenant_a.user.check_password(NEW_PASSWORD)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [tenant_a.user.email]
    assert notice.subject == "Riverside Homes: Your password has been changed"
    assert "If you did not do this" in notice.body


def test_changing_password_with_the_wrong_current_one_changes_nothing(client, tenant_a):
    client.post(LOGIN, {"login": tenant_a.user.email, "password": PASSWORD})

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong wrong wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert '<li><a href="#id_oldpassword">' in response.content.decode()
    tenant_a.user.refresh_from_db()
    assert tenant_a.user.check_password(PASSWORD)
    assert mail.outbox == []


def test_sign_in_page_for_an_inactive_account_is_in_our_style(client):
    user = UserFactory(is_active=False)

    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD}, follow=True)

    assert "Your account is closed" in main_of(response)
