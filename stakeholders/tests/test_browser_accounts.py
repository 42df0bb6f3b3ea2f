"""The account flow in a real Chromium: sign up, open the link from the mail, log in, log out."""

import re

import pytest
from django.core import mail

from .factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_account_flow_sign_up_verify_log_in_log_out(page, live_server):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("First name").fill("Bettina")
    page.get_by_label("Last name").fill("Browser")
    page.get_by_label("Email").fill("bettina.private@example.org")
    page.get_by_label("Password").first.fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    # Not without accepting the community rules and privacy notice.
    accept = page.get_by_label("I accept the community rules and have read the privacy notice")
    assert accept.evaluate("box => box.required")
    page.get_by_role("button", name="Sign Up").click()
    assert page.url.endswith("/accounts/signup/")
    accept.check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert page.get_by_role("heading", name="Verify Your Email Address").is_visible()

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # Branded with the portal's name and address, not with the host name the request came in on
    # (the link itself keeps the host, so that it opens in the session that signed up).
    assert body.startswith("Hello from AlpClusters!")
    assert body.rstrip().endswith("127.0.0.1:8000") and "localhost!" not in body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    # Confirmed from the browser that signed up: logged in at once, greeted by name (never
    # by the part of the address before the @).
    page.wait_for_url(live_server.url + "/")
    member_menu = page.get_by_role("button", name="Bettina Browser")
    assert member_menu.is_visible()
    assert "bettina.private" not in member_menu.inner_text()

    member_menu.click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Log in").is_visible()
    assert page.get_by_role("link", name="Sign up").is_visible()


def test_navigation_collapses_on_a_phone_and_opens_by_keyboard(page):
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto("/")
    about = page.get_by_role("navigation", name="Main").get_by_role("link", name="About")
    assert not about.is_visible()
    toggler = page.get_by_role("button", name="Toggle navigation")
    toggler.focus()
    page.keyboard.press("Enter")
    about.wait_for(state="visible")
    # The skip link is the first thing a keyboard reaches and moves focus to the content.
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
