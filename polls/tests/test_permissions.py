"""A refused POST changes nothing of a poll: no state, no person asked, no AlpCafé scheduled.
(Every poll URL × role, GET and POST: pages/tests/test_url_grid.py.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from polls.models import DatePoll
from stakeholders.tests.factories import UserFactory

from .conftest import person

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "other_organiser", "organiser", "staff"]
LOGIN = "login"


def _user_for(role, organiser):
    if role == "visitor":
        return None
    if role == "organiser":
        return organiser
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    if role == "other_organiser":
        user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.fixture
def polls(organiser, make_poll):
    preparing = make_poll(AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser]))
    running = make_poll(
        AlpCafeFactory(state=AlpCafe.State.DRAFT, organisers=[organiser]), people=[person()]
    )
    scheduled = AlpCafeFactory(organisers=[organiser])
    return {"preparing": preparing, "running": running, "scheduled": scheduled}


POSTS = {
    "close": [LOGIN, 403, 404, 302, 302],
    "choose": [LOGIN, 403, 404, 302, 302],
    "dates": [LOGIN, 403, 404, 302, 302],
    "review": [LOGIN, 403, 404, 302, 302],
}


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("action", POSTS)
def test_a_refused_post_changes_nothing(client, organiser, polls, action, role_index):
    running = polls["running"]
    alpcafe = running.alpcafe
    user = _user_for(ROLES[role_index], organiser)
    if user:
        client.force_login(user)
    response = client.post(
        reverse(f"polls:{action}", args=[alpcafe.slug]),
        {"option": running.options.first().pk, "asked": "x", "closes_at": "x"},
    )
    expected = POSTS[action][role_index]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected
    running.refresh_from_db()
    alpcafe.refresh_from_db()
    if expected != 302:
        assert running.state == DatePoll.State.OPEN and alpcafe.is_draft
        assert running.invitees.count() == 1


@pytest.mark.parametrize("name", ["close", "choose"])
def test_the_actions_are_posts_only(client, organiser, polls, name):
    client.force_login(organiser)
    alpcafe = polls["running"].alpcafe
    assert client.get(reverse(f"polls:{name}", args=[alpcafe.slug])).status_code == 405
