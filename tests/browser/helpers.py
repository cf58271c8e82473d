"""What the browser tests share: signing in, and asking axe-core about a page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import PASSWORD

WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}
_axe = Axe()


# The narrowest phone screen WCAG's reflow rule asks for (1.4.10: 320 CSS pixels).
PHONE = {"width": 320, "height": 640}


def assert_accessible(page) -> None:
    """Zero axe-core violations at WCAG 2.2 AA on the page as it stands, at the window's width
    and again on a 320 px phone, where the page must not scroll sideways either. The window is
    put back as it was, so a test can go on from where it was."""
    # A click on a link returns before the next page has loaded; axe on a page half torn
    # down finds no document at all.
    page.wait_for_load_state("load")
    results = _axe.run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    window = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 320 px phone"
        results = _axe.run(page, options=WCAG_22_AA)
        assert results.violations_count == 0, f"{page.url} at 320 px\n{results.generate_report()}"
    finally:
        page.set_viewport_size(window)


def sign_in_with_form(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def sign_in_with_cookie(page, user, live_server_url: str) -> None:
    """A signed-in session without the form, for pages that are not about signing in."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server_url,
            }
        ]
    )
