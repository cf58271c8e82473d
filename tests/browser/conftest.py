"""Playwright in Debian's Chromium against pytest-django's live server.

The browser is never downloaded: Playwright drives /usr/bin/chromium. Where Chromium is not
installed the browser tests are reported as not run, with the reason; CI sets
REQUIRE_BROWSER_TESTS=1 so that they fail there instead of quietly going missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The live server runs in a thread of this process and the tests call the ORM between Playwright
# calls; Playwright's sync API runs an event loop, which Django would otherwise take for async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MISSING = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"


def _browser_tests_required() -> bool:
    return os.environ.get("REQUIRE_BROWSER_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or _browser_tests_required():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skipif(True, reason=f"{MISSING}; CI runs these"))


@pytest.fixture(scope="session")
def _media_url_for_the_test_server() -> str | None:
    """MEDIA_URL is None on purpose (uploads are served only by views that check access), but
    Django's test server wraps the site in a media handler that cannot parse None. Give it a
    prefix while the server starts; live_server below puts the real value back."""
    from django.conf import settings

    original = settings.MEDIA_URL
    settings.MEDIA_URL = "/media-never-served/"
    return original


@pytest.fixture(scope="session")
def live_server(_media_url_for_the_test_server, live_server):
    from django.conf import settings

    settings.MEDIA_URL = _media_url_for_the_test_server
    return live_server


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but {MISSING}.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()
