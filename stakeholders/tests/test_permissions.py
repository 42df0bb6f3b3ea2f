"""Every registry URL × every role: logged out → log-in, wrong role → 403, hidden object → 404."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from .factories import ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "organiser", "moderator", "staff"]
LOGIN = "login"

# url name → expected outcome per role, in the order of ROLES.
GRID = {
    "directory": [200, 200, 200, 200, 200],
    "map": [200, 200, 200, 200, 200],
    "map_geojson": [200, 200, 200, 200, 200],
    "export_csv": [200, 200, 200, 200, 200],
    "export_json": [200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200],
    "detail_pending": [404, 404, 404, 200, 200],
    "contact": [LOGIN, 200, 200, 200, 200],
    "register": [LOGIN, 200, 200, 200, 200],
    "moderation": [LOGIN, 403, 403, 200, 200],
    "profile": [LOGIN, 200, 200, 200, 200],
}


def _url(name, published, pending):
    if name == "detail":
        return published.get_absolute_url()
    if name == "detail_pending":
        return pending.get_absolute_url()
    if name == "contact":
        return reverse("stakeholders:contact", args=[published.slug])
    if name == "profile":
        return reverse("profile")
    return reverse(f"stakeholders:{name}")


def _login_as(client, role):
    if role == "visitor":
        return
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    if role in ("organiser", "moderator"):
        user.groups.add(Group.objects.get_or_create(name=f"{role.capitalize()}s")[0])
    client.force_login(user)


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("name", GRID)
def test_registry_permission_grid(client, name, role_index):
    published = StakeholderFactory(name="Public Org")
    ContactFactory(stakeholder=published)
    pending = StakeholderFactory(name="Pending Org", state="pending", submitted_by=UserFactory())
    _login_as(client, ROLES[role_index])
    expected = GRID[name][role_index]
    response = client.get(_url(name, published, pending))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


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
