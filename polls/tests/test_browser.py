"""The whole path in a real Chromium against a live server: an organiser proposes dates for a
draft AlpCafé, is warned of a holiday in Bavaria, sends the poll; a contact answers from the link
in the mail without an account; the organiser chooses the best date and invites the people who
said yes in two clicks."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alpcafes.models import AlpCafe, Participation
from alpcafes.tests.factories import AlpCafeFactory
from polls.models import DatePoll
from stakeholders.tests.factories import PASSWORD, UserFactory

from .conftest import person
from .test_views import _days_until, _plain_days

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def test_poll_to_alpcafe_to_invitation(page, live_server):
    from django.contrib.auth.models import Group

    organiser = UserFactory(email="orga@example.org", first_name="Olga")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    alpcafe = AlpCafeFactory(
        state=AlpCafe.State.DRAFT,
        title="Wood and Tourism AlpCafé",
        organisers=[organiser],
        starts_at=timezone.now() + timedelta(days=300),
        ends_at=timezone.now() + timedelta(days=300, hours=2),
    )
    guest = person("DE", "Bayern", "Rosenheim", first_name="Greta", last_name="Gast")
    person("IT", "Lombardia", "Milano", first_name="Not", last_name="Asked")
    holiday = timezone.localdate() + timedelta(days=_days_until("DE", "BY", "Corpus Christi"))
    plain = timezone.localdate() + timedelta(days=_plain_days(1)[0])
    closes = min(holiday, plain) - timedelta(days=2)

    _log_in(page, organiser.email)
    page.goto(f"/alpcafes/{alpcafe.slug}/manage/")
    page.get_by_role("link", name="Date poll").click()
    page.wait_for_url("**/poll/dates/")
    for number, day in ((1, holiday), (2, plain)):
        page.get_by_label(f"Date {number}", exact=True).fill(day.isoformat())
        page.get_by_label(f"From {number}", exact=True).fill("10:00")
        page.get_by_label(f"To {number}", exact=True).fill("12:00")
    page.get_by_label("The poll closes").fill(f"{closes.isoformat()}T18:00")
    page.get_by_role("button", name="Save the dates").click()
    page.wait_for_url("**/poll/")
    assert page.get_by_text("The dates are saved.").is_visible()

    page.get_by_role("link", name="Choose who is asked").click()
    page.get_by_label("Country", exact=True).select_option("DE")
    # (A locator, not wait_for_function: the Content-Security-Policy forbids eval.)
    expect(page.locator("#recipient-count")).to_have_text("1 person to ask")
    page.get_by_role("link", name="Review the poll").click()
    warning = page.locator("#holiday-warning")
    assert warning.is_visible()
    assert "1 candidate falls on a public holiday" in warning.inner_text()
    assert page.get_by_text("Germany (Bayern 1): Corpus Christi · 1 person").is_visible()
    page.get_by_role("button", name="Send the poll to 1 person").click()
    page.wait_for_url("**/poll/")
    assert page.get_by_text("The poll is on its way to 1 person.").is_visible()

    (message,) = mail.outbox
    assert message.to == [guest.email]
    link = re.search(r"https?://\S+/poll/[\w-]+/", message.body).group(0)
    guest_page = page.context.browser.new_context(base_url=live_server.url).new_page()
    guest_page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert "Greta" not in guest_page.content() and guest.email not in guest_page.content()
    fieldsets = guest_page.locator("fieldset[data-option]")
    assert fieldsets.count() == 2
    # The candidates in order: the holiday first if it comes first.
    holiday_index = 0 if holiday < plain else 1
    fieldsets.nth(holiday_index).get_by_text("No", exact=True).click()
    fieldsets.nth(1 - holiday_index).get_by_text("Yes", exact=True).click()
    guest_page.get_by_role("button", name="Save my answers").click()
    assert guest_page.get_by_text("Thank you: your answers are saved.").is_visible()
    # Changeable until the poll closes.
    guest_page.locator("fieldset[data-option]").nth(holiday_index).get_by_text(
        "If need be", exact=True
    ).click()
    guest_page.get_by_role("button", name="Save my answers").click()
    guest_page.get_by_text("So far: 0 yes, 1 if need be.").wait_for()
    assert guest_page.get_by_text("So far: 1 yes, 0 if need be.").is_visible()
    guest_page.context.close()

    page.goto(f"/alpcafes/{alpcafe.slug}/poll/")
    assert page.get_by_text("1 of 1 person asked has answered.").is_visible()
    best = page.locator("#results-table tbody tr").first
    assert best.locator("[data-count=yes]").inner_text() == "1"
    # Click 1: the best date.
    best.get_by_role("button", name="Choose this date and invite").click()
    page.wait_for_url("**/invite/review/?poll=*")
    assert page.get_by_text("Preselected from the date poll").is_visible()
    # Click 2: the invitation.
    page.get_by_role("button", name="Send 1 invitation").click()
    page.wait_for_url("**/manage/")
    assert page.get_by_text("1 invitation is on its way.").is_visible()

    alpcafe.refresh_from_db()
    poll = DatePoll.objects.get()
    assert alpcafe.state == AlpCafe.State.SCHEDULED
    assert timezone.localdate(alpcafe.starts_at) == plain
    assert poll.state == DatePoll.State.DECIDED
    assert Participation.objects.get().contact == guest
