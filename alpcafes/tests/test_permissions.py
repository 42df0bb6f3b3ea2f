"""An organiser of another AlpCafé changes nothing of this one, and no mail leaves. (Every AlpCafé
URL × role, GET and POST: pages/tests/test_url_grid.py.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders.tests.factories import UserFactory

from .factories import AlpCafeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


@pytest.mark.parametrize("action", ["cancel", "outcomes", "check_in", "invite_review"])
def test_organisers_of_another_alpcafe_cannot_change_it(client, organiser, action):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    participation = ParticipationFactory(alpcafe=alpcafe, status=Status.REGISTERED)
    other = UserFactory()
    other.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    client.force_login(other)
    response = client.post(
        reverse(f"alpcafes:{action}", args=[alpcafe.slug]),
        {"participation": participation.pk, "attended": "1", "mark_held": "1"},
    )
    assert response.status_code == 403
    alpcafe.refresh_from_db()
    participation.refresh_from_db()
    assert alpcafe.state == AlpCafe.State.SCHEDULED and participation.attended_at is None
    assert not Message.objects.exists()
