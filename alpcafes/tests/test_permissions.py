"""Every AlpCafé URL × role, GET and POST: visitors are sent to log in, the wrong role gets 403,
someone else's draft is a 404, and nothing changes on a refused POST."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alpcafes.models import AlpCafe, Participation
from outbox.models import Message
from stakeholders.tests.factories import UserFactory

from .factories import AlpCafeFactory, ParticipationFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status

ROLES = ["visitor", "member", "other_organiser", "organiser", "staff"]
LOGIN = "login"
GRID = {
    "list": [200, 200, 200, 200, 200],
    "feed": [200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200],
    "ics": [200, 200, 200, 200, 200],
    "create": [LOGIN, 403, 200, 200, 200],
    "manage": [LOGIN, 403, 403, 200, 200],
    "edit": [LOGIN, 403, 403, 200, 200],
    "invite": [LOGIN, 403, 403, 200, 200],
    "invite_review": [LOGIN, 403, 403, 200, 200],
    "guests_csv": [LOGIN, 403, 403, 200, 200],
    "progress": [LOGIN, 403, 403, 200, 200],
    "check_in": [LOGIN, 403, 403, 200, 200],
    "draft_detail": [404, 404, 404, 200, 200],
    # A member has the wrong role (403, whatever the slug); another organiser learns nothing of
    # a draft that is not theirs (404).
    "draft_manage": [LOGIN, 403, 404, 200, 200],
    "mail": [LOGIN, 403, 403, 200, 200],
}


def _user_for(role, organiser):
    if role == "visitor":
        return None
    if role == "organiser":
        return organiser
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    if role == "other_organiser":
        user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("name", GRID)
def test_alpcafe_permission_grid(client, organiser, name, role_index):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    draft = AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser])
    user = _user_for(ROLES[role_index], organiser)
    if user:
        client.force_login(user)
    if name in ("list", "feed", "create"):
        url = reverse(f"alpcafes:{name}")
    elif name.startswith("draft_"):
        url = reverse(f"alpcafes:{name.removeprefix('draft_')}", args=[draft.slug])
    else:
        url = reverse(f"alpcafes:{name}", args=[alpcafe.slug])
    response = client.get(url)
    expected = GRID[name][role_index]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


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
