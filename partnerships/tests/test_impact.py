"""The partnership figures on the impact page and in the indicator export."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from impact.selectors import Period, compute_figures
from partnerships import services
from partnerships.models import MeetingRequest, MeetingSlot
from stakeholders.tests.factories import StakeholderFactory

from .conftest import member_of
from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _held_meetings(count: int, countries=("AT", "IT")):
    """``count`` meetings held at a past AlpCafé, each between two new organisations."""
    past = timezone.now() - timedelta(days=3)
    alpcafe = AlpCafeFactory(starts_at=past, ends_at=past + timedelta(hours=3))
    matchmaking = services.matchmaking_setup(
        alpcafe=alpcafe, first_start=past, slot_minutes=20, slot_count=1, tables=count
    )
    slot = matchmaking.slots.get()
    attendees = []
    for i in range(2 * count):
        user = member_of(StakeholderFactory(country=countries[i % 2]))
        participation = ParticipationFactory(
            alpcafe=alpcafe, contact=user.contact, status="registered"
        )
        attendees.append(
            services.attendee_join(matchmaking=matchmaking, participation=participation)
        )
    for table in range(1, count + 1):
        a, b = attendees[2 * table - 2], attendees[2 * table - 1]
        MeetingRequest.objects.create(
            matchmaking=matchmaking,
            requester=a,
            invitee=b,
            status="accepted",
            slot=slot,
            table=table,
        )


def test_figures_count_opportunities_interest_meetings_and_cross_border_pairs(
    offer, owner, other, org_it
):
    OpportunityFactory(stakeholder=org_it, state="pending", published_at=None)  # not published
    interest = services.interest_express(opportunity=offer, sender=other, message="Hi")
    services.interest_decide(interest=interest, user=owner, accept=True)
    _held_meetings(2)
    _held_meetings(1, countries=("SI", "SI"))  # held, but not across a border
    totals = compute_figures(Period()).totals
    assert (totals.opportunities, totals.interests) == (1, 1)
    assert totals.meetings == 3
    assert totals.cross_border_pairs == 3  # the accepted interest (AT–IT) and two meetings
    cells = compute_figures(Period()).cells
    assert cells[("AT", "cluster")].opportunities == 1  # Tyrol Mechatronics
    assert cells[("IT", "sme")].interests == 1  # Lombardy Robotics
    assert cells[("SI", "cluster")].meetings == 1  # both sides in one row: counted once


def test_a_meeting_still_to_come_is_not_held():
    _held_meetings(1)
    soon = timezone.now() + timedelta(days=1)
    MeetingSlot.objects.update(starts_at=soon, ends_at=soon + timedelta(minutes=20))
    assert compute_figures(Period()).totals.meetings == 0


def test_impact_page_and_export_show_them(client, offer, owner, other):
    services.interest_express(opportunity=offer, sender=other, message="Hi")
    _held_meetings(2)
    html = client.get(reverse("impact:page")).content.decode()
    assert '<dd data-figure="opportunities">1</dd>' in html
    assert '<dd data-figure="meetings">2</dd>' in html
    assert '<dd data-figure="cross-border-pairs">2</dd>' in html
    rows = client.get(reverse("impact:export_csv")).content.decode("utf-8-sig").splitlines()
    assert rows[0].endswith("opportunities,interests,meetings,cross_border_pairs")
    assert rows[-1].endswith(",1,1,2,2")


@pytest.mark.parametrize("meetings", [1, 12])
def test_partnership_figures_take_a_fixed_number_of_queries(django_assert_num_queries, meetings):
    _held_meetings(meetings)
    with django_assert_num_queries(16):
        compute_figures(Period())
