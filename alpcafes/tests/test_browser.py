"""An organiser schedules and invites, a contact accepts from the link in the mail, the organiser
checks them in: in a real Chromium against a live server."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alpcafes.models import AlpCafe, Participation
from stakeholders.tests.factories import PASSWORD, ContactFactory, StakeholderFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def test_schedule_invite_accept_from_mail_and_check_in(page, live_server):
    organiser = UserFactory(email="orga@example.org", first_name="Olga")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    guest = ContactFactory(
        stakeholder=StakeholderFactory(name="Holzcluster Tirol", country="AT"),
        first_name="Gustav",
        last_name="Gast",
        email="gustav@private.example.net",
    )
    ContactFactory(stakeholder=StakeholderFactory(name="Cluster Lombardia", country="IT"))

    _log_in(page, organiser.email)
    page.goto("/alpcafes/")
    page.get_by_role("link", name="Schedule an AlpCafé").click()
    start = timezone.localtime() + timedelta(days=14)
    page.get_by_label("Title*", exact=True).fill("Wood and Tourism AlpCafé")
    page.get_by_label("Venue", exact=True).fill("Congress Innsbruck")
    page.get_by_label("City", exact=True).fill("Innsbruck")
    page.get_by_label("Starts*", exact=True).fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Ends*", exact=True).fill(start.strftime("%Y-%m-%dT13:00"))
    page.get_by_label("State*", exact=True).select_option("scheduled")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/manage/")
    alpcafe = AlpCafe.objects.get()

    page.get_by_role("link", name="Invite", exact=True).click()
    assert page.get_by_text("2 recipients").is_visible()
    # Changing a filter updates the count, and "Review" goes to exactly the people counted,
    # without pressing "Show results" first (it used to keep the page's old filters).
    page.get_by_label("Country", exact=True).select_option("AT")
    expect(page.locator("#recipient-count")).to_have_text("1 recipient")
    page.get_by_role("link", name="Review the invitation").click()
    assert page.get_by_text("Invitation: Wood and Tourism AlpCafé").is_visible()
    page.get_by_text("The 1 recipient").click()
    assert page.get_by_text("Gustav Gast").is_visible()
    assert page.get_by_text("Cluster Lombardia").count() == 0
    page.get_by_role("button", name="Send 1 invitation").click()
    page.wait_for_url("**/manage/")
    assert page.get_by_text("1 invitation is on its way.").is_visible()

    (message,) = mail.outbox
    assert message.to == [guest.email]
    link = re.search(r"https?://\S+/alpcafes/rsvp/\S+/", message.body).group(0)
    # The guest has no account: a separate browser context, logged out.
    guest_page = page.context.browser.new_context(base_url=live_server.url).new_page()
    guest_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    guest_page.get_by_role("button", name="Yes, I will come").click()
    assert guest_page.get_by_text("You are registered. See you there!").first.is_visible()
    guest_page.context.close()
    assert Participation.objects.get().status == "registered"

    page.goto(f"/alpcafes/{alpcafe.slug}/check-in/")
    assert page.get_by_text("Check-in opens on the day of the AlpCafé.").is_visible()
    # The day has come.
    AlpCafe.objects.filter(pk=alpcafe.pk).update(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=3)
    )
    page.goto(f"/alpcafes/{alpcafe.slug}/check-in/")
    page.get_by_role("button", name="Check in").click()
    page.get_by_role("button", name="Here ✓").wait_for()
    assert page.get_by_text("1 of 1 checked in").is_visible()
    assert Participation.objects.get().attended_at is not None
