"""The outbox's routine: queue → claim → send → stamp → release, its retry policy and its sweep."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alpcafes import services as alpcafe_services
from alpcafes.tests.factories import AlpCafeFactory
from outbox import services
from outbox.models import Message
from stakeholders import services as stakeholder_services
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db
State = Message.State


def _invite(n=3, **alpcafe_fields):
    alpcafe = AlpCafeFactory(**alpcafe_fields)
    contacts = [ContactFactory() for _ in range(n)]
    alpcafe_services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    return alpcafe, contacts, list(Message.objects.order_by("pk"))


@pytest.fixture
def smtp_backend(settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    return smtp_server


def test_queued_mail_goes_out_after_the_commit_and_is_stamped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _alpcafe, contacts, _messages = _invite(3, title="R&D in the Alps")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in contacts)
    for message in Message.objects.all():
        assert message.state == State.SENT and message.sent_at and message.attempts == 1
        # A subject is text: "R&D", never "R&amp;D".
        assert "R&D in the Alps" in message.subject and "&amp;" not in message.subject
    assert "R&D in the Alps" in mail.outbox[0].subject


def test_nothing_is_sent_before_the_commit():
    _invite(2)
    assert mail.outbox == []
    assert Message.objects.filter(state=State.QUEUED).count() == 2


def test_a_dedupe_key_queues_a_message_once():
    alpcafe, contacts, _messages = _invite(2)
    again = services.messages_queue(
        kind="alpcafes.invitation",
        contacts=contacts,
        about=alpcafe,
        dedupe_key=lambda c: f"alpcafes.invitation:{alpcafe.pk}:{c.pk}",
    )
    assert again == []
    assert Message.objects.count() == 2


def test_bulk_mail_to_someone_who_withdrew_consent_is_not_sent_and_says_why():
    _alpcafe, contacts, messages = _invite(2)
    stakeholder_services.contact_unsubscribe(contact=contacts[0], what="mail")
    counts = services.messages_send(message_ids=[m.pk for m in messages])
    assert counts == {"sent": 1, "cancelled": 1, "failed": 0}
    withdrawn = Message.objects.get(contact=contacts[0])
    assert withdrawn.state == State.CANCELLED and "consent" in withdrawn.reason
    assert [m.to for m in mail.outbox] == [[contacts[1].email]]


def test_service_mail_goes_out_whatever_the_consent_to_bulk_mail():
    alpcafe = AlpCafeFactory()
    contact = ContactFactory(mail_consent_at=None)
    alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)
    message = Message.objects.get(kind="alpcafes.confirmation")
    assert services.messages_send(message_ids=[message.pk])["sent"] == 1


def test_a_permanent_refusal_fails_that_message_and_the_rest_go_out(smtp_backend):
    _alpcafe, contacts, messages = _invite(3)
    smtp_backend.refuse_recipient(contacts[1].email)
    counts = services.messages_send(message_ids=[m.pk for m in messages])
    assert counts == {"sent": 2, "cancelled": 0, "failed": 1}
    failed = Message.objects.get(contact=contacts[1])
    assert failed.state == State.FAILED and "550" in failed.reason
    assert sorted(smtp_backend.recipients) == sorted([contacts[0].email, contacts[2].email])


def test_a_temporary_failure_releases_the_batch_and_fails_it_after_the_last_attempt(
    smtp_backend, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    _alpcafe, _contacts, messages = _invite(2)
    ids = [m.pk for m in messages]
    smtp_backend.refuse = True
    with pytest.raises(services.TemporaryFailure) as first:
        services.messages_send(message_ids=ids)
    assert first.value.retry_in == settings.OUTBOX_RETRY_BASE
    for message in Message.objects.filter(pk__in=ids):
        assert message.state == State.QUEUED and message.claimed_at is None
        assert message.attempts == 1 and message.next_attempt_at > timezone.now()
        assert "451" in message.reason
    with pytest.raises(services.TemporaryFailure):
        services.messages_send(message_ids=ids)
    assert set(Message.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.FAILED}
    # Staff send them again from the admin once the server is back.
    smtp_backend.refuse = False
    assert services.messages_retry(messages=Message.objects.filter(pk__in=ids)) == 2
    assert services.messages_send(message_ids=ids)["sent"] == 2


def test_a_claimed_message_is_not_sent_by_a_second_worker():
    _alpcafe, _contacts, messages = _invite(1)
    Message.objects.update(claimed_at=timezone.now())
    assert services.messages_send(message_ids=[messages[0].pk])["sent"] == 0
    assert mail.outbox == []


def test_the_sweep_hands_on_only_what_is_stuck(settings, django_capture_on_commit_callbacks):
    _alpcafe, _contacts, messages = _invite(4)
    now = timezone.now()
    stuck, dead_claim, fresh, waiting = messages
    Message.objects.filter(pk=stuck.pk).update(queued_at=now - timedelta(minutes=10))
    Message.objects.filter(pk=dead_claim.pk).update(
        queued_at=now - timedelta(hours=1), claimed_at=now - timedelta(hours=1)
    )
    Message.objects.filter(pk=waiting.pk).update(
        queued_at=now - timedelta(hours=1), attempts=1, next_attempt_at=now + timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.outbox_sweep() == 2
    sent = set(Message.objects.filter(state=State.SENT).values_list("pk", flat=True))
    assert sent == {stuck.pk, dead_claim.pk}
    assert Message.objects.get(pk=fresh.pk).state == State.QUEUED  # its task is on its way


def test_an_object_deleted_before_sending_cancels_its_mail():
    user = UserFactory()
    stakeholder = stakeholder_services.stakeholder_register(
        user=user, name="Gone Cluster", kind="cluster", country="AT"
    )
    stakeholder_services.stakeholder_publish(stakeholder=stakeholder)
    message = Message.objects.get(kind="stakeholders.decision")
    stakeholder.delete()
    services.messages_send(message_ids=[message.pk])
    message.refresh_from_db()
    assert message.state == State.CANCELLED and mail.outbox == []


def test_relayed_messages_reach_each_consenting_contact_with_unsubscribe_headers():
    stakeholder = StakeholderFactory()
    yes = ContactFactory(stakeholder=stakeholder, language="de")
    ContactFactory(stakeholder=stakeholder, mail_consent_at=None)
    sender = UserFactory()
    stakeholder_services.contact_message_send(
        sender=sender, stakeholder=stakeholder, subject="Hallo & willkommen", body="Text"
    )
    services.messages_send(message_ids=list(Message.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [yes.email] and sent.reply_to == [sender.email]
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in sent.extra_headers["List-Unsubscribe"]
    assert "Hallo & willkommen" in sent.subject
