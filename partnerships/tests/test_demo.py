import pytest
from django.core.management import call_command

from partnerships.models import ExpressionOfInterest, MeetingRequest, Opportunity
from partnerships.scheduling import Request, conflicts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_demo_opportunities_span_countries_and_sectors_and_a_grid_is_scheduled(client, demo):
    published = Opportunity.objects.published()
    assert published.count() == 8 and Opportunity.objects.pending().count() == 1
    assert len(set(published.values_list("stakeholder__country", flat=True))) >= 6
    assert len(set(published.values_list("sectors", flat=True))) >= 5
    assert ExpressionOfInterest.objects.filter(opportunity__created_by__email="member@example.org")
    placed = list(MeetingRequest.objects.exclude(slot=None))
    assert len(placed) >= 8
    matchmaking = placed[0].matchmaking
    requests = [Request(m.pk, m.requester_id, m.invitee_id) for m in placed]
    placement = {m.pk: (m.slot_id, m.table) for m in placed}
    assert conflicts(requests, placement, matchmaking.tables) == []
    assert "Partnerships: 9 opportunities" in demo
    html = client.get("/partnerships/").content.decode()
    assert "Prefabricated timber facades for renovations" in html
    assert "Compostable packaging" not in html  # waiting for the moderators


def test_demo_partnerships_are_idempotent(demo):
    before = (Opportunity.objects.count(), MeetingRequest.objects.count())
    placed = sorted(MeetingRequest.objects.exclude(slot=None).values_list("pk", "slot", "table"))
    call_command("seed_demo")
    assert (Opportunity.objects.count(), MeetingRequest.objects.count()) == before
    assert (
        sorted(MeetingRequest.objects.exclude(slot=None).values_list("pk", "slot", "table"))
        == placed
    )
