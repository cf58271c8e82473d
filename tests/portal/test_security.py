"""Headers, redirects, hosts, error pages and the production configuration check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/steal", "https:/\\evil.example"]
)
def test_sign_in_never_redirects_off_the_site(client, tenant_a, next_url):
    response = client.post(
        f"{reverse('account_login')}?next={next_url}",
        {"login": tenant_a.user.email, "password": PASSWORD, "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:your_home")


@pytest.mark.django_db
def test_sign_in_follows_a_next_page_on_the_site(client, tenant_a):
    details = reverse("tenancy:your_details")

    response = client.post(
        reverse("account_login"),
        {"login": tenant_a.user.email, "password": PASSWORD, "next": details},
    )

    assert response["Location"] == details


def test_unknown_host_gets_400_in_our_style(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "Sorry, we could not understand that request" in response.content.decode()


@pytest.mark.django_db
def test_public_page_sends_the_security_headers(client):
    response = client.get(reverse("portal:home"))

    csp = response["Content-Security-Policy"]
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_home_page_may_be_cached(client):
    response = client.get(reverse("portal:home"))

    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal:home", "portal:your_home", "tenancy:your_details"])
def test_signed_in_pages_are_never_stored(client_a, name):
    response = client_a.get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_unknown_page_is_a_404_in_our_style(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found - Riverside Homes</title>" in html
    assert 'class="portal-header"' in html


@pytest.mark.django_db
def test_refused_page_is_a_403_in_our_style(client, repairs_officer):
    client.force_login(repairs_officer)

    response = client.get(reverse("portal:your_home"))

    assert response.status_code == 403
    assert "<title>You cannot see this page - Riverside Homes</title>" in response.content.decode()


def test_500_page_needs_no_database(client, settings):
    # No db fixture: any query on the way to the page would fail the test.
    settings.ROOT_URLCONF = "tests.portal.urls_with_failing_view"
    client.raise_request_exception = False

    response = client.get("/test-failure/")

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert '<link rel="stylesheet" href="/static/portal.css">' in html


def test_500_handler_names_the_organisation_without_context_processors(rf, settings):
    from portal.views import server_error

    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": ["tests.portal.test_security.broken"],
            },
        }
    ]

    response = server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Sorry, there is a problem with the service - Riverside Homes</title>" in html
    assert settings.ORGANISATION["office_phone"] in html


def broken(request):
    raise RuntimeError("A context processor that fails, as one reading the database might.")


def test_400_handler_names_the_organisation(rf):
    from portal.views import bad_request

    response = bad_request(rf.get("/"), exception=None)

    assert response.status_code == 400
    assert "Riverside Homes" in response.content.decode()


def test_deploy_check_passes_with_production_settings():
    env = {
        key: os.environ[key]
        for key in ("PATH", "HOME", "LANG", "DATABASE_URL", "REDIS_URL")
        if key in os.environ
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "portal.example",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        }
    )

    result = subprocess.run(  # noqa: S603 - our own manage.py with a fixed argument list
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output
