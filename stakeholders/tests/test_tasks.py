"""The registry's mail through a real Celery worker on Redis and a real SMTP server."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from stakeholders.models import Contact, ContactMessage
from stakeholders.tasks import sweep_unsent_messages_task

from .factories import PASSWORD, ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.worker
def test_relay_is_delivered_once_by_a_real_worker(client, celery_worker, smtp_server):
    stakeholder = StakeholderFactory()
    first = ContactFactory(stakeholder=stakeholder, email="one@private.example.net")
    second = ContactFactory(stakeholder=stakeholder, email="two@private.example.net", language="de")
    ContactFactory(stakeholder=stakeholder, email="never@private.example.net", mail_consent_at=None)
    sender = UserFactory(email="sender@example.org", first_name="Sara", last_name="Sender")
    client.force_login(sender)
    response = client.post(
        reverse("stakeholders:contact", args=[stakeholder.slug]),
        {"subject": "Joint project", "body": "Shall we talk?"},
    )
    assert response.status_code == 302

    messages = smtp_server.wait_for(2, timeout=30)
    assert sorted(m["To"] for m in messages) == sorted([first.email, second.email])
    for message in messages:
        assert message["Reply-To"] == "sender@example.org"
        with translation.override("de" if message["To"] == second.email else "en"):
            expected = translation.gettext("Message via AlpClusters: %(subject)s") % {
                "subject": "Joint project"
            }
        # Each in the recipient's language (the second contact reads German).
        assert message["Subject"].strip() == f"[AlpClusters] {expected}"
        assert "Shall we talk?" in message.get_body(("plain",)).get_content()
        assert message.get_body(("html",)) is not None
    # The stamp commits just after the last message left; give the worker a moment.
    deadline = time.monotonic() + 10
    while ContactMessage.objects.filter(sent_at=None).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    relayed = ContactMessage.objects.get()
    assert relayed.sent_at is not None and relayed.recipient_count == 2

    # A second run of the same task (a redelivery) sends nothing more.
    from stakeholders.tasks import relay_contact_message_task

    relay_contact_message_task.delay(message_id=relayed.pk)
    smtp_server.wait_for(3, timeout=3)
    assert len(smtp_server.messages) == 2


def test_broker_down_at_send_the_request_succeeds_and_the_sweep_delivers(
    client, settings, broker_down
):
    stakeholder = StakeholderFactory()
    ContactFactory(stakeholder=stakeholder, email="later@private.example.net")
    client.force_login(UserFactory())
    response = client.post(
        reverse("stakeholders:contact", args=[stakeholder.slug]),
        {"subject": "Hello", "body": "Are you there?"},
    )
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.sent_at is None and mail.outbox == []

    broker_down.restore()
    ContactMessage.objects.update(created_at=message.created_at.replace(year=2020))
    assert sweep_unsent_messages_task.apply().get() == 1
    assert [m.to for m in mail.outbox] == [["later@private.example.net"]]
    message.refresh_from_db()
    assert message.sent_at is not None
    assert sweep_unsent_messages_task.apply().get() == 0


def test_verifying_a_mapped_address_claims_the_contact(client, django_capture_on_commit_callbacks):
    mapped = ContactFactory(email="mapped@cluster.example.org", user=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "mapped@cluster.example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(link)
    mapped.refresh_from_db()
    assert mapped.user is not None and mapped.user.email == "mapped@cluster.example.org"
    assert Contact.objects.count() == 1
    # The profile shows the claimed organisation.
    client.force_login(mapped.user)
    assert mapped.stakeholder.name in client.get(reverse("profile")).content.decode()
