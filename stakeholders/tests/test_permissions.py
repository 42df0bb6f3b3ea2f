"""Refused moderation changes nothing. (Every registry URL × role: pages/tests/test_url_grid.py.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from .factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _login_as(client, role):
    if role == "visitor":
        return
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    if role in ("organiser", "moderator"):
        user.groups.add(Group.objects.get_or_create(name=f"{role.capitalize()}s")[0])
    client.force_login(user)


@pytest.mark.parametrize("role", ["member", "organiser"])
def test_moderation_actions_are_forbidden_without_the_role(client, role):
    pending = StakeholderFactory(state="pending")
    _login_as(client, role)
    response = client.post(
        reverse("stakeholders:moderate", args=[pending.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_moderating_a_published_stakeholder_is_404(client):
    published = StakeholderFactory()
    _login_as(client, "moderator")
    response = client.post(
        reverse("stakeholders:moderate", args=[published.pk]),
        {"decision": "reject", "reason": "x"},
    )
    assert response.status_code == 404
