import pytest
from django.urls import reverse

from partnerships.models import Opportunity

from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    from stakeholders.tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_changelists_show_opportunities_with_their_interest_count(client, staff):
    OpportunityFactory(title="Admin-visible offer")
    html = client.get(reverse("admin:partnerships_opportunity_changelist")).content.decode()
    assert "Admin-visible offer" in html
    assert (
        client.get(reverse("admin:partnerships_expressionofinterest_changelist")).status_code == 200
    )


def test_admin_action_publishes_through_the_service(client, staff):
    pending = OpportunityFactory(state="pending", published_at=None)
    client.post(
        reverse("admin:partnerships_opportunity_changelist"),
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.state == Opportunity.State.PUBLISHED and pending.published_at is not None


def test_matchmaking_changelist_counts_participants_and_meetings(client, staff):
    from alpcafes.tests.factories import AlpCafeFactory
    from partnerships import services

    alpcafe = AlpCafeFactory(title="Admin AlpCafé")
    services.matchmaking_setup(
        alpcafe=alpcafe, first_start=alpcafe.starts_at, slot_minutes=20, slot_count=2, tables=3
    )
    html = client.get(reverse("admin:partnerships_matchmaking_changelist")).content.decode()
    assert "Admin AlpCafé" in html
