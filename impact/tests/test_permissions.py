"""Every impact URL × role: the page and its downloads are public (aggregates only) and never
write; the catalogue's admin and its import are for staff."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from impact.models import Initiative
from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "organiser", "moderator", "staff"]
LOGIN = "login"
PUBLIC = [200, 200, 200, 200, 200]
GRID = {
    reverse("impact:page"): PUBLIC,
    reverse("impact:page") + "?from=2025-01-01&to=2025-12-31": PUBLIC,
    reverse("impact:export_csv"): PUBLIC,
    reverse("impact:export_xlsx"): PUBLIC,
    **{reverse("impact:data", args=[name]): PUBLIC for name in ("countries", "growth")},
    reverse("admin:impact_initiative_changelist"): [LOGIN, LOGIN, LOGIN, LOGIN, 200],
    reverse("admin:impact_initiative_import"): [LOGIN, LOGIN, LOGIN, LOGIN, 200],
    reverse("admin:impact_initiative_add"): [LOGIN, LOGIN, LOGIN, LOGIN, 200],
}


def _login(client, role):
    if role == "visitor":
        return
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    group = {"organiser": ORGANISERS_GROUP, "moderator": MODERATORS_GROUP}.get(role)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    client.force_login(user)


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("url", GRID)
def test_impact_permission_grid(client, url, role_index):
    _login(client, ROLES[role_index])
    response = client.get(url)
    expected = GRID[url][role_index]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES[:-1])
def test_nobody_but_staff_imports(client, role):
    _login(client, role)
    csv = b"name,programme,start_date,end_date\nX,Alpine Space,2010-01-01,2011-01-01\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("admin:impact_initiative_import"),
        {"file": SimpleUploadedFile("i.csv", csv, "text/csv")},
    )
    client.post(reverse("admin:impact_initiative_import"), {"confirm": "1", "token": "x"})
    assert Initiative.objects.count() == 0


def test_staff_without_the_add_permission_cannot_import(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:impact_initiative_import")).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_the_page_refuses_writes(client, role):
    _login(client, role)
    # The period form is a GET form; nothing here takes a POST.
    for url in (reverse("impact:page"), reverse("impact:export_csv")):
        assert client.post(url, {"from": "2025-01-01"}).status_code == 405
