"""Moderators hear of what waits for them: one mail per batch (never when nothing is new, never
when they switched it off), and the counts in their menu."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from blog.tests.factories import PostFactory
from digests import services
from outbox.models import Message
from outbox.services import messages_send
from stakeholders.models import MODERATORS_GROUP
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderators():
    group = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    users = [UserFactory(first_name=name) for name in ("Mira", "Otto")]
    for user in users:
        user.groups.add(group)
    return users


def _send_all():
    messages_send(message_ids=list(Message.objects.values_list("pk", flat=True)))


def test_one_notice_per_moderator_when_something_new_waits(moderators):
    assert services.moderation_notices_queue() == 0  # nothing waits
    StakeholderFactory(state="pending", name="Waiting Cluster")
    PostFactory(state="pending", published_at=None)
    assert services.moderation_notices_queue() == 2
    _send_all()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in moderators)
    body = mail.outbox[0].body
    assert "Registrations to review: 1 (1 new)" in body and "Posts to review: 1 (1 new)" in body
    # Again, with nothing new since: no mail.
    assert services.moderation_notices_queue() == 0
    later = timezone.now() + timedelta(minutes=1)
    StakeholderFactory(state="pending")
    assert services.moderation_notices_queue(now=later) == 2


def test_a_moderator_who_switched_notices_off_gets_none(moderators):
    contact = contact_for_user(user=moderators[0])
    contact.moderation_mail = False
    contact.save()
    StakeholderFactory(state="pending")
    assert services.moderation_notices_queue() == 1
    _send_all()
    assert [m.to for m in mail.outbox] == [[moderators[1].email]]


def test_the_moderators_menu_counts_what_waits(client, moderators):
    for _ in range(3):
        StakeholderFactory(state="pending")
    client.force_login(moderators[0])
    html = client.get(reverse("home")).content.decode()
    assert "Registrations to review" in html and ">3</span>" in html
    client.force_login(UserFactory())
    assert "Registrations to review" not in client.get(reverse("home")).content.decode()
