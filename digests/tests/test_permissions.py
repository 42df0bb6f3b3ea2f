"""The staff digest preview: staff only, GET and POST; nobody else learns or sends anything."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from outbox.models import Message
from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP
from stakeholders.tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

# (role, expected for GET and POST): staff 200/302, everyone else to the admin's log-in.
ROLES = {
    "visitor": 302,
    "member": 302,
    "organiser": 302,
    "moderator": 302,
    "staff": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_digest_preview_is_for_staff_only(client, role, django_capture_on_commit_callbacks):
    contact = ContactFactory(digest_frequency="weekly")
    if role != "visitor":
        user = UserFactory(is_staff=role == "staff")
        group = {"organiser": ORGANISERS_GROUP, "moderator": MODERATORS_GROUP}.get(role)
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        client.force_login(user)
    query = f"?email={contact.email}&frequency=weekly&period_start=2026-11-16"
    url = reverse("digests:preview") + query
    response = client.get(url)
    assert response.status_code == ROLES[role]
    if role != "staff":
        assert "/admin/login/" in response.url
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url).status_code == 302
        assert mail.outbox == [] and not Message.objects.exists()
