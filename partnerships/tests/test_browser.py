"""The whole path in a real Chromium against a live server: a member publishes an offer; a
moderator approves it; it is suggested, with its reason, to a member of an organisation across
the border; that member expresses interest; the owner accepts and both receive each other's
details by mail; at an AlpCafé with matchmaking both join, one asks for a meeting, the other
accepts, the organiser schedules, and both find the same slot and table in their agendas."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from partnerships import services
from partnerships.models import MeetingRequest, Opportunity
from stakeholders.tests.factories import PASSWORD, SectorFactory, StakeholderFactory, UserFactory

from .conftest import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(browser, live_server, user):
    page = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
    return page


def test_offer_to_match_to_interest_to_meeting(browser, live_server):
    mechatronics = SectorFactory(name="Mechatronics", slug="mechatronics")
    tyrol = StakeholderFactory(name="Tyrol Mechatronics", country="AT", sectors=[mechatronics])
    lombardy = StakeholderFactory(
        name="Lombardy Robotics", country="IT", kind="sme", sectors=[mechatronics]
    )
    olivia = member_of(tyrol, email="olivia@tyrol.example", first_name="Olivia")
    oscar = member_of(lombardy, email="oscar@lombardy.example", first_name="Oscar")
    moderator = UserFactory(email="moderator@example.org")
    moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    organiser = UserFactory(email="orga@example.org", first_name="Orla")
    organiser.groups.add(Group.objects.get_or_create(name="Organisers")[0])

    # 1. Olivia publishes an offer for her organisation.
    owner = _as(browser, live_server, olivia)
    owner.goto("/partnerships/")
    owner.get_by_role("link", name="Publish an offer or a request").click()
    owner.get_by_label("Offer", exact=True).check()
    owner.get_by_label("Category").select_option("technology")
    owner.get_by_label("Title").fill("Sensor retrofit for machine tools")
    owner.get_by_label("Summary").fill("We retrofit sensors to ageing machine tools.")
    owner.get_by_label("Mechatronics").check()
    owner.get_by_label("Italy").check()
    owner.get_by_role("button", name="Send for review").click()
    expect(owner.get_by_text("a moderator reviews the opportunity")).to_be_visible()
    opportunity = Opportunity.objects.get()
    assert opportunity.is_pending

    # 2. A moderator approves it from the queue (the menu counts it).
    mod = _as(browser, live_server, moderator)
    mod.goto("/partnerships/moderation/")
    mod.get_by_role("button", name="Approve and publish").click()
    expect(mod.get_by_text("“Sensor retrofit for machine tools” is published.")).to_be_visible()
    opportunity.refresh_from_db()
    assert opportunity.is_open

    # 3. Oscar, across the border, sees it suggested with its reason.
    counterpart = _as(browser, live_server, oscar)
    counterpart.goto("/partnerships/mine/")
    suggestion = counterpart.locator(f"[data-match='{opportunity.pk}']")
    expect(suggestion).to_contain_text("Sensor retrofit for machine tools")
    expect(suggestion).to_contain_text("Both in Mechatronics")
    expect(suggestion).to_contain_text("they seek a partner in Italy")
    expect(suggestion).to_contain_text("across the border (Italy – Austria)")

    # 4. He expresses interest: the message goes to Olivia without his address.
    suggestion.get_by_role("link", name="Sensor retrofit for machine tools").click()
    counterpart.get_by_role("link", name="Express interest").click()
    counterpart.get_by_label("Your message").fill("We build sensors in Milan; let's talk.")
    counterpart.get_by_label("If they accept, also give them my phone number").check()
    counterpart.get_by_role("button", name="Send my interest").click()
    expect(counterpart.get_by_text("Your interest is passed on.")).to_be_visible()
    (relayed,) = [m for m in mail.outbox if m.to == [olivia.email]][-1:]
    assert "We build sensors in Milan" in relayed.body and oscar.email not in relayed.body

    # 5. Olivia accepts: both receive each other's details.
    owner.goto("/partnerships/mine/")
    expect(owner.get_by_text("We build sensors in Milan; let's talk.")).to_be_visible()
    owner.get_by_role("button", name="Accept and exchange contact details").click()
    expect(owner.get_by_text("Accepted: you both receive")).to_be_visible()
    to_oscar = [m for m in mail.outbox if m.to == [oscar.email]][-1]
    to_olivia = [m for m in mail.outbox if m.to == [olivia.email]][-1]
    assert olivia.email in to_oscar.body
    assert oscar.email in to_olivia.body and oscar.contact.phone in to_olivia.body
    owner.goto(opportunity.get_absolute_url())
    expect(owner.locator("#interest-counts")).to_contain_text("1 expression of interest")

    # 6. Both meet at an AlpCafé with 1:1 meetings.
    starts = timezone.now() + timedelta(days=10)
    alpcafe = AlpCafeFactory(
        title="Mechatronics AlpCafé", organisers=[organiser], starts_at=starts, venue="NOI"
    )
    for user in (olivia, oscar):
        ParticipationFactory(alpcafe=alpcafe, contact=user.contact, status="registered")
    orga = _as(browser, live_server, organiser)
    orga.goto(f"/partnerships/meetings/{alpcafe.slug}/setup/")
    orga.get_by_label("Number of slots").fill("4")
    orga.get_by_label("Number of tables").fill("3")
    orga.get_by_role("button", name="Save").click()
    expect(orga.get_by_text("Matchmaking is set up.")).to_be_visible()

    owner.goto("/partnerships/mine/")
    owner.get_by_role("link", name="Mechatronics AlpCafé").click()
    owner.get_by_role("button", name="Take part in the meetings").click()
    counterpart.goto(f"/partnerships/meetings/{alpcafe.slug}/")
    counterpart.get_by_role("button", name="Take part in the meetings").click()
    card = counterpart.locator("article", has_text="Olivia Example")
    expect(card).to_contain_text("Sensor retrofit for machine tools")
    card.get_by_role("button", name="Ask for a meeting").click()
    expect(counterpart.get_by_text("Your request is sent.")).to_be_visible()
    owner.reload()
    owner.get_by_role("button", name="Accept").click()
    expect(owner.get_by_text("Accepted: the meeting will appear in your agenda.")).to_be_visible()

    orga.goto(f"/partnerships/meetings/{alpcafe.slug}/grid/")
    orga.get_by_role("button", name="Schedule the accepted meetings").click()
    expect(orga.get_by_text("1 of 1 accepted meetings are scheduled")).to_be_visible()
    expect(orga.locator("#meeting-grid")).to_contain_text("Oscar Example ↔ Olivia Example")
    orga.get_by_role("button", name="Send the agendas").click()
    expect(orga.get_by_text("2 agendas are on their way.")).to_be_visible()

    meeting = MeetingRequest.objects.get()
    slot_time = timezone.localtime(meeting.slot.starts_at).strftime("%H:%M")
    for page, other in ((owner, "Oscar Example"), (counterpart, "Olivia Example")):
        page.goto(f"/partnerships/meetings/{alpcafe.slug}/agenda/")
        row = page.locator("#agenda tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(slot_time)
        expect(row).to_contain_text(other)
        expect(row.locator("td").nth(1)).to_have_text(str(meeting.table))
    agendas = [m for m in mail.outbox if "Your meetings at Mechatronics AlpCafé" in m.subject]
    assert sorted(m.to[0] for m in agendas) == sorted([olivia.email, oscar.email])
    assert all(m.attachments[0][0] == "meetings.ics" for m in agendas)
    assert services.agenda_of(meeting.requester)[0].slot == meeting.slot
