import datetime as dt
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from digests import content as digest
from digests import services as digest_services
from partnerships import matching
from partnerships.models import Opportunity
from stakeholders.tests.factories import ContactFactory, SectorFactory, StakeholderFactory

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wood():
    return SectorFactory(name="Wood", slug="wood")


def test_an_offer_meets_a_request_with_its_reason_in_words(offer, org_it, mechatronics):
    request = OpportunityFactory(
        stakeholder=org_it,
        type="request",
        title="Looking for sensor retrofits",
        sectors=[mechatronics],
        countries_sought="|AT|",
    )
    (match,) = matching.for_opportunity(offer)
    assert match.counterpart == request and match.cross_border
    with translation.override("en"):
        assert match.reason == (
            "Their request meets your offer (Technology); both in Mechatronics; they seek a "
            "partner in Austria; across the border (Austria – Italy)"
        )
    with translation.override("de"):
        assert "Österreich" in match.reason  # read in the reader's language


def test_same_type_and_own_organisation_never_match(offer, org_it, mechatronics):
    OpportunityFactory(stakeholder=org_it, type="offer", sectors=[mechatronics])
    OpportunityFactory(stakeholder=offer.stakeholder, type="request", sectors=[mechatronics])
    assert matching.for_opportunity(offer) == []


def test_a_sought_country_or_kind_excludes_others_both_ways(offer, org_it, mechatronics):
    elsewhere = OpportunityFactory(
        stakeholder=org_it, type="request", sectors=[mechatronics], countries_sought="|FR|"
    )
    assert matching.for_opportunity(offer) == []
    Opportunity.objects.filter(pk=elsewhere.pk).update(
        countries_sought="", kinds_sought="|research|"
    )
    assert matching.for_opportunity(offer) == []  # Tyrol Mechatronics is a cluster
    Opportunity.objects.filter(pk=elsewhere.pk).update(kinds_sought="|cluster|")
    assert [m.counterpart.pk for m in matching.for_opportunity(offer)] == [elsewhere.pk]
    Opportunity.objects.filter(pk=offer.pk).update(countries_sought="|SI|")
    offer.refresh_from_db()
    assert matching.for_opportunity(offer) == []  # they are in Italy; the offer seeks Slovenia


def test_cross_border_ranks_first_then_points(offer, mechatronics, wood):
    home = StakeholderFactory(name="Vienna Mechatronics", country="AT", sectors=[mechatronics])
    abroad = StakeholderFactory(name="Ljubljana Labs", country="SI", sectors=[wood])
    OpportunityFactory(
        stakeholder=home,
        type="request",
        title="Home, many points",
        sectors=[mechatronics],
        countries_sought="|AT|",
    )
    OpportunityFactory(stakeholder=abroad, type="request", title="Abroad, few points")
    titles = [m.counterpart.title for m in matching.for_opportunity(offer)]
    assert titles == ["Abroad, few points", "Home, many points"]


def test_expired_and_closed_counterparts_are_not_suggested(offer, org_it, mechatronics):
    OpportunityFactory(stakeholder=org_it, type="request", sectors=[mechatronics], state="closed")
    OpportunityFactory(
        stakeholder=org_it,
        type="request",
        sectors=[mechatronics],
        expires_on=timezone.localdate() - timedelta(days=1),
    )
    assert matching.for_opportunity(offer) == []


def test_an_organisation_without_opportunities_gets_suggestions_from_its_sectors(
    offer, mechatronics
):
    newcomer = StakeholderFactory(name="Bolzano Automation", country="IT", sectors=[mechatronics])
    (match,) = matching.for_stakeholder(newcomer)
    assert match.counterpart == offer
    with translation.override("en"):
        assert match.reason.startswith("Both in Mechatronics")
    unrelated = StakeholderFactory(name="Alpine Bakery", country="IT")
    assert matching.for_stakeholder(unrelated) == []


def test_owner_sees_matches_on_the_page_and_visitors_do_not(
    client, offer, owner, org_it, mechatronics
):
    OpportunityFactory(
        stakeholder=org_it, type="request", title="Sensors wanted", sectors=[mechatronics]
    )
    assert "Sensors wanted" not in client.get(offer.get_absolute_url()).content.decode()
    client.force_login(owner)
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "Suggested matches" in html and "Sensors wanted" in html
    assert "both in Mechatronics" in html
    mine = client.get("/partnerships/mine/").content.decode()
    assert "Suggested partners for your organisation" in mine and "Sensors wanted" in mine


def test_new_matches_appear_in_the_weekly_digest(
    org_it, mechatronics, django_capture_on_commit_callbacks
):
    week = dt.date(2026, 11, 16)
    contact = ContactFactory(stakeholder=org_it, digest_frequency="weekly", first_name="Ida")
    offer = OpportunityFactory(
        stakeholder=StakeholderFactory(name="Graz Motion", country="AT", sectors=[mechatronics]),
        title="Motion control know-how",
        sectors=[mechatronics],
        expires_on=timezone.localdate() + timedelta(days=200),
    )
    Opportunity.objects.filter(pk=offer.pk).update(
        published_at=digest.as_aware(week) + timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_services.digests_queue(frequency="weekly", period_start=week)
    (message,) = mail.outbox
    assert message.to == [contact.email]
    assert "New partnership matches for your organisation" in message.body
    assert "Motion control know-how" in message.body and "Both in Mechatronics" in message.body
    assert "Motion control know-how" in message.alternatives[0][0]


def test_an_older_match_is_not_news_for_the_digest(
    org_it, mechatronics, django_capture_on_commit_callbacks
):
    week = dt.date(2026, 11, 16)
    ContactFactory(stakeholder=org_it, digest_frequency="weekly")
    offer = OpportunityFactory(
        sectors=[mechatronics], expires_on=timezone.localdate() + timedelta(days=200)
    )
    Opportunity.objects.filter(pk=offer.pk).update(
        published_at=digest.as_aware(week) - timedelta(days=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_services.digests_queue(frequency="weekly", period_start=week)
    assert mail.outbox == []
