"""The catalogue's import is for staff with the right to add initiatives; the page never takes a
write. (Every impact URL × role: pages/tests/test_url_grid.py.)"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from impact.models import Initiative
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
