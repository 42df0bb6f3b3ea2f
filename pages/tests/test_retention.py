"""What is kept no longer than the privacy notice says goes, every night."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from common import audit
from outbox.models import Message
from pages.services import retention_purge
from pages.tasks import retention_purge_task
from stakeholders import services
from stakeholders.models import JoinRequest, User
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_nightly_purge_keeps_what_is_young_and_deletes_the_rest(settings):
    settings.RETENTION = {
        "unverified_accounts": 14,
        "sent_mail": 365,
        "decided_join_requests": 365,
        "audit_log": 1000,
        "invitation_links": 30,
    }
    now = timezone.now()
    old = now - timedelta(days=400)
    ghost = UserFactory(verified=False, email="ghost@example.org")
    User.objects.filter(pk=ghost.pk).update(date_joined=now - timedelta(days=20))
    EmailAddress.objects.create(user=ghost, email=ghost.email, verified=False, primary=True)
    newcomer = UserFactory(verified=False, email="new@example.org")  # joined today: kept
    member = UserFactory()  # verified: kept
    User.objects.filter(pk=member.pk).update(date_joined=old)
    contact = ContactFactory()
    services.join_request_create(user=UserFactory(), stakeholder=StakeholderFactory())
    decided = JoinRequest.objects.get()
    services.join_request_decide(join_request=decided, by=member, approve=False)
    JoinRequest.objects.update(decided_at=old)
    Message.objects.all().delete()
    alpcafe = AlpCafeFactory()
    for state, when in [("sent", old), ("sent", now), ("failed", old), ("queued", old)]:
        Message.objects.create(
            kind="alpcafes.reminder", contact=contact, about=alpcafe, state=state, queued_at=when
        )
    audit.record(user=member, obj=alpcafe, message="Old")
    LogEntry.objects.update(action_time=now - timedelta(days=1200))
    audit.record(user=member, obj=alpcafe, message="Recent")

    done = retention_purge_task.apply().get()
    assert done["unverified_accounts"] == 1
    assert set(User.objects.values_list("email", flat=True)) >= {newcomer.email, member.email}
    assert not User.objects.filter(email="ghost@example.org").exists()
    assert done["sent_mail"] == 2
    # A queued message is never purged, however old: it has yet to go out.
    assert sorted(Message.objects.values_list("state", flat=True)) == ["queued", "sent"]
    assert done["decided_join_requests"] == 1 and not JoinRequest.objects.exists()
    assert list(LogEntry.objects.values_list("change_message", flat=True)) == ["Recent"]
    assert retention_purge()["sent_mail"] == 0  # nothing left to do


def test_invitation_links_die_some_weeks_after_their_alpcafe(client, settings):
    settings.RETENTION = {**settings.RETENTION, "invitation_links": 30}
    now = timezone.now()
    long_over = AlpCafeFactory(starts_at=now - timedelta(days=40, hours=3))
    just_over = AlpCafeFactory(starts_at=now - timedelta(days=5, hours=3))
    old = ParticipationFactory(alpcafe=long_over)
    recent = ParticipationFactory(alpcafe=just_over)
    old_link, recent_link = old.get_rsvp_url(), recent.get_rsvp_url()
    assert client.get(old_link).status_code == 410
    assert retention_purge()["invitation_links"] == 1
    assert client.get(old_link).status_code == 404  # the link in the old mail opens nothing
    assert client.get(recent_link).status_code == 410  # "this AlpCafé is over", for a while
    assert retention_purge()["invitation_links"] == 0  # retired once
