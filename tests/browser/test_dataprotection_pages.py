"""Your data in a real browser: axe-core on every customer page (0 violations at WCAG 2.2 AA),
with and without form errors; a request, and the one-use download without JavaScript."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dataprotection.models import DataRequest, PackLink
from tests.browser.helpers import assert_accessible, sign_in_with_cookie
from tests.dataprotection.factories import ask, data_protection_officer, released
from tests.factories import CustomerWithLoginFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def tenant(db):
    return CustomerWithLoginFactory(first_name="Amina", last_name="Khan")


def test_every_your_data_page_is_accessible(page, live_server, tenant):
    waiting = ask(tenant)
    ready = released(tenant, data_protection_officer())
    sign_in_with_cookie(page, tenant.user, live_server.url)
    for url in (
        reverse("dataprotection:your_data"),
        reverse("dataprotection:request_new"),
        reverse("dataprotection:who_has_looked"),
        reverse("dataprotection:request_detail", args=[waiting.reference]),
        reverse("dataprotection:request_detail", args=[ready.reference]),
    ):
        page.goto(url)
        assert_accessible(page)


def test_the_request_form_with_its_errors_is_accessible(page, live_server, tenant):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("dataprotection:request_new"))
    with page.expect_navigation():
        page.get_by_role("button", name="Send your request").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    assert not DataRequest.objects.exists()


def test_asking_for_a_copy(page, live_server, tenant):
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("dataprotection:request_new") + "?kind=subject_access")
    expect(page.get_by_label("A copy of the data you hold about me")).to_be_checked()
    page.get_by_label("Tell us more").fill("Everything since 2019, please.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "A copy of the data you hold about me"
    )
    request = DataRequest.objects.get()
    assert request.kind == "subject_access"
    assert_accessible(page)


def test_the_pack_downloads_once_without_javascript(page_without_javascript, live_server, tenant):
    page = page_without_javascript
    ready = released(tenant, data_protection_officer())
    sign_in_with_cookie(page, tenant.user, live_server.url)
    page.goto(reverse("dataprotection:request_detail", args=[ready.reference]))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data").click()
    assert download.value.suggested_filename == f"your-data-{ready.reference}.zip"
    assert PackLink.objects.get().used_at is not None
    page.goto(reverse("dataprotection:request_detail", args=[ready.reference]))
    expect(page.get_by_text("The download has been used or has expired.")).to_be_visible()
