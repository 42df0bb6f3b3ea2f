"""The language choice answers every role and never leads off the site. (Who may see which
page: the generated grid, pages/tests/test_url_grid.py.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "organiser", "moderator", "staff"]


def _login(client, role):
    if role == "visitor":
        return
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    group = {"organiser": ORGANISERS_GROUP, "moderator": MODERATORS_GROUP}.get(role)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_language_choice_answers_every_role_and_stays_on_the_site(client, role):
    _login(client, role)
    response = client.get(
        reverse("choose_language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example")
