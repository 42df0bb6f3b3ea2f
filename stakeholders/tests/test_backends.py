"""A member's groups are read with the member (stakeholders/backends.py): one query less on
every page they see, and a change of role still counts from the next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stakeholders.models import MODERATORS_GROUP
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _group_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return sum(
        '"auth_group"' in q["sql"]
        and "string_agg" not in q["sql"]
        and "group_concat" not in q["sql"]
        for q in queries
    ), html


def test_a_members_groups_come_with_the_member(client):
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    moderator.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    client.force_login(moderator)
    queue = reverse("stakeholders:members")
    count, html = _group_queries(client, reverse("about") + "?q=1")
    assert count == 0
    assert queue in html  # the moderators' entries in the menu: the role was read


def test_a_role_taken_away_counts_from_the_next_request(client):
    moderators = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    moderator = UserFactory()
    moderator.groups.add(moderators)
    client.force_login(moderator)
    assert client.get(reverse("stakeholders:members")).status_code == 200
    moderator.groups.remove(moderators)
    assert client.get(reverse("stakeholders:members")).status_code == 403
    _, html = _group_queries(client, reverse("about") + "?q=2")
    assert reverse("stakeholders:members") not in html


def test_a_member_without_groups_and_a_deactivated_one(client):
    member = UserFactory()
    client.force_login(member)
    assert client.get(reverse("profile")).status_code == 200
    member.is_active = False
    member.save()
    response = client.get(reverse("profile"))
    assert response.status_code == 302  # logged out: sent to log in


@pytest.mark.parametrize("backend", ["GroupsModelBackend", "GroupsAllauthBackend"])
def test_the_backends_read_a_member_and_nothing_for_a_wrong_id(backend):
    from stakeholders import backends

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    moderator.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    found = getattr(backends, backend)().get_user(str(moderator.pk))
    assert found == moderator and found.email == moderator.email
    assert found._alp_group_names == {MODERATORS_GROUP, "Organisers"}
    assert getattr(backends, backend)().get_user(UserFactory().pk)._alp_group_names == set()
    for wrong in ("not-a-number", None, 10**9):
        assert getattr(backends, backend)().get_user(wrong) is None
