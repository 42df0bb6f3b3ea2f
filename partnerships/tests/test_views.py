from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from common.versions import data_changed
from partnerships import services
from partnerships.models import ExpressionOfInterest, Opportunity
from partnerships.tokens import renewal_url
from stakeholders.tests.factories import SectorFactory, StakeholderFactory

from .conftest import send_all
from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def test_list_shows_open_opportunities_only_by_default(client, offer):
    OpportunityFactory(title="Pending one", state="pending")
    OpportunityFactory(title="Closed one", state="closed")
    OpportunityFactory(title="Expired one", expires_on=timezone.localdate() - timedelta(days=1))
    html = client.get(reverse("partnerships:list")).content.decode()
    assert offer.title in html
    assert "Pending one" not in html and "Closed one" not in html and "Expired one" not in html
    closed = client.get(reverse("partnerships:list"), {"status": "closed"}).content.decode()
    assert "Closed one" in closed and "Expired one" in closed and offer.title not in closed
    assert "Pending one" not in closed


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ({"q": "retrofit"}, True),
        ({"q": "tyrol"}, True),  # the organisation's name is in the index
        ({"q": "bakery"}, False),
        ({"type": "offer"}, True),
        ({"type": "request"}, False),
        ({"category": "technology"}, True),
        ({"category": "research"}, False),
        ({"sector": "mechatronics"}, True),
        ({"country": "AT"}, True),
        ({"country": "IT"}, False),
        ({"kind": "sme"}, True),  # it names no kind: any kind
    ],
)
def test_list_search_and_facets(client, offer, query, found):
    OpportunityFactory(title="Wooden facades", sectors=[SectorFactory(name="Wood")])
    html = client.get(reverse("partnerships:list"), query).content.decode()
    assert (offer.title in html) is found


def test_kind_sought_facet(client, offer):
    Opportunity.objects.filter(pk=offer.pk).update(kinds_sought="|research|")
    assert (
        offer.title
        in client.get(reverse("partnerships:list"), {"kind": "research"}).content.decode()
    )
    assert (
        offer.title
        not in client.get(reverse("partnerships:list"), {"kind": "sme"}).content.decode()
    )


def test_invalid_facet_answers_a_page_not_an_error(client, offer):
    response = client.get(reverse("partnerships:list"), {"type": "bogus", "sector": "nope"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_list_query_count_is_constant(client, django_assert_num_queries, size, mechatronics):
    for _ in range(size):
        OpportunityFactory(sectors=[mechatronics])
    # count, rows, sectors, the filter's sectors, the footer's facts; nothing per row
    with django_assert_num_queries(5):
        assert client.get(reverse("partnerships:list")).status_code == 200


def test_detail_shows_no_address_and_counts_only_to_the_owner(client, offer, owner, other):
    contact = other.contact
    services.interest_express(opportunity=offer, sender=other, message="Hi")
    html = client.get(offer.get_absolute_url()).content.decode()
    assert offer.title in html and "interest-counts" not in html
    assert owner.email not in html and owner.contact.phone not in html
    client.force_login(owner)
    html = client.get(offer.get_absolute_url()).content.decode()
    assert "1 expression of interest" in html and "1 waiting, 0 accepted" in html
    assert contact.email not in html


def test_pending_opportunity_is_hidden_from_the_public(client, org_at, owner):
    pending = OpportunityFactory(stakeholder=org_at, state="pending")
    assert client.get(pending.get_absolute_url()).status_code == 404
    client.force_login(owner)
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_stakeholder_page_lists_its_open_opportunities(client, offer):
    closed = OpportunityFactory(stakeholder=offer.stakeholder, title="Old closed", state="closed")
    html = client.get(offer.stakeholder.get_absolute_url()).content.decode()
    assert offer.title in html and closed.title not in html


def test_stakeholder_page_shows_a_new_opportunity_at_once(client, org_at):
    """The profile is cached for visitors; a change of the "partnerships" domain shows."""
    assert "Brand new offer" not in client.get(org_at.get_absolute_url()).content.decode()
    OpportunityFactory(stakeholder=org_at, title="Brand new offer")
    data_changed("partnerships")  # what the services do on commit
    assert "Brand new offer" in client.get(org_at.get_absolute_url()).content.decode()


def test_feeds_list_open_opportunities_without_addresses(client, offer, owner):
    for name in ("partnerships:feed_rss", "partnerships:feed_atom"):
        body = client.get(reverse(name)).content.decode()
        assert offer.title in body and "Tyrol Mechatronics" in body
        assert owner.email not in body


def test_feed_escapes_the_summary(client, offer):
    Opportunity.objects.filter(pk=offer.pk).update(summary="<script>alert(1)</script>")
    body = client.get(reverse("partnerships:feed_rss")).content.decode()
    assert "<script>" not in body


def test_member_publishes_and_a_moderator_approves(client, org_at, owner, moderator, mechatronics):
    client.force_login(owner)
    response = client.post(
        reverse("partnerships:create"),
        {
            "type": "request",
            "category": "eu_consortium",
            "title": "Partners for a Horizon Europe call",
            "summary": "We build a consortium on circular mechatronics.",
            "sectors": [mechatronics.pk],
            "countries_sought": ["SI", "FR"],
            "kinds_sought": ["research"],
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "language": "en",
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == opportunity.get_absolute_url()
    assert opportunity.is_pending and opportunity.created_by == owner
    client.force_login(moderator)
    queue = client.get(reverse("partnerships:moderation")).content.decode()
    assert "Partners for a Horizon Europe call" in queue
    home = client.get(reverse("home")).content.decode()
    assert "Opportunities to review" in home
    client.post(reverse("partnerships:moderate", args=[opportunity.pk]), {"decision": "approve"})
    opportunity.refresh_from_db()
    assert opportunity.is_open


def test_member_without_organisation_cannot_publish(client):
    from stakeholders.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("partnerships:create")).status_code == 403


def test_renewal_link_shows_a_button_and_renews_once(client, offer):
    url = renewal_url(offer)
    response = client.get(url)
    assert response.status_code == 200 and "Keep it open until" in response.content.decode()
    offer.refresh_from_db()
    before = offer.expires_on
    assert client.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.expires_on > before
    assert client.post(url).status_code == 410
    assert client.get(url.replace(url.split("/")[-2], "forged")).status_code == 404


def test_interest_form_passes_the_message_on(client, offer, owner, other):
    client.force_login(other)
    response = client.post(
        reverse("partnerships:interest", args=[offer.slug]), {"message": "Let's talk."}
    )
    assert response.status_code == 302
    assert ExpressionOfInterest.objects.get().message == "Let's talk."
    (message,) = send_all()
    assert message.to == [owner.email]


def test_interest_form_says_at_once_when_the_organisation_has_written_already(client, offer, other):
    """It was shown again, and the member learnt only on sending that it would be refused."""
    services.interest_express(opportunity=offer, sender=other, message="First")
    client.force_login(other)
    response = client.get(reverse("partnerships:interest", args=[offer.slug]), follow=True)
    assert response.redirect_chain[-1][0] == offer.get_absolute_url()
    assert "has already expressed interest" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_the_phone_is_offered_only_to_a_member_who_has_one(client, offer, other):
    from stakeholders.services import contact_for_user

    client.force_login(other)
    url = reverse("partnerships:interest", args=[offer.slug])
    assert 'name="share_phone"' in client.get(url).content.decode()
    contact = contact_for_user(user=other)
    contact.phone = ""
    contact.save()
    assert 'name="share_phone"' not in client.get(url).content.decode()
    client.post(url, {"message": "No phone", "share_phone": "on"})
    assert ExpressionOfInterest.objects.get().sender_shares_phone is False


def test_interest_is_rate_limited_and_keeps_the_text(client, settings, other, org_at, owner):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "interest": "1/h"}
    first, second = OpportunityFactory(stakeholder=org_at), OpportunityFactory(stakeholder=org_at)
    client.force_login(other)
    client.post(reverse("partnerships:interest", args=[first.slug]), {"message": "One"})
    response = client.post(
        reverse("partnerships:interest", args=[second.slug]), {"message": "Typed text kept"}
    )
    assert response.status_code == 429
    assert "Typed text kept" in response.content.decode()
    assert ExpressionOfInterest.objects.count() == 1


def test_owner_accepts_from_their_page_and_counts_show(client, offer, owner, other):
    interest = services.interest_express(opportunity=offer, sender=other, message="Hello there")
    client.force_login(owner)
    page = client.get(reverse("partnerships:mine")).content.decode()
    assert "Hello there" in page and "1 (1 waiting, 0 accepted)" in page
    assert other.email not in page
    client.post(reverse("partnerships:interest_decide", args=[interest.pk]), {"decision": "accept"})
    interest.refresh_from_db()
    assert interest.is_accepted
    page = client.get(reverse("partnerships:mine")).content.decode()
    assert "1 (0 waiting, 1 accepted)" in page


def test_owner_closes(client, offer, owner):
    client.force_login(owner)
    client.post(reverse("partnerships:close", args=[offer.slug]))
    offer.refresh_from_db()
    assert offer.state == Opportunity.State.CLOSED


def test_someone_elses_interest_is_not_found(client, offer, other, org_it):
    interest = services.interest_express(opportunity=offer, sender=other, message="Hi")
    intruder = StakeholderFactory(name="Intruder")
    from .conftest import member_of

    client.force_login(member_of(intruder))
    response = client.post(
        reverse("partnerships:interest_decide", args=[interest.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    interest.refresh_from_db()
    assert interest.is_pending


def test_visitors_list_is_cached_and_a_publication_shows_at_once(
    client, org_at, moderator, django_capture_on_commit_callbacks
):
    pending = OpportunityFactory(stakeholder=org_at, title="Freshly approved", state="pending")
    first = client.get(reverse("partnerships:list"))
    assert "Freshly approved" not in first.content.decode()
    assert client.get(reverse("partnerships:list"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_approve(opportunity=pending, moderator=moderator)
    response = client.get(reverse("partnerships:list"))
    assert "X-Page-Cache" not in response and "Freshly approved" in response.content.decode()


@pytest.mark.parametrize("sectors", [1, 5])
def test_detail_query_count_is_constant(client, django_assert_num_queries, sectors):
    opportunity = OpportunityFactory(
        sectors=[SectorFactory(name=f"Detail sector {i}") for i in range(sectors)]
    )
    # the opportunity with its organisation, its sectors, the footer's facts
    with django_assert_num_queries(3):
        assert client.get(opportunity.get_absolute_url()).status_code == 200


def test_no_address_or_phone_on_any_public_partnership_page_or_feed(client, offer, owner, other):
    """Scan every public response of partnerships for the addresses and phones of everyone
    involved: the owner, the sender of an accepted interest, the organisation's contacts."""
    from stakeholders.tests.factories import ContactFactory

    listed = ContactFactory(stakeholder=offer.stakeholder)
    interest = services.interest_express(
        opportunity=offer, sender=other, message="Hi", share_phone=True
    )
    services.interest_decide(interest=interest, user=owner, accept=True, share_phone=True)
    people = [owner.contact, other.contact, listed]
    secrets = [c.email for c in people] + [c.phone for c in people]
    urls = [
        reverse("partnerships:list"),
        reverse("partnerships:list") + "?q=sensor",
        offer.get_absolute_url(),
        reverse("partnerships:feed_rss"),
        reverse("partnerships:feed_atom"),
        offer.stakeholder.get_absolute_url(),
        other.contact.stakeholder.get_absolute_url(),
        reverse("impact:page"),
        reverse("impact:export_csv"),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
