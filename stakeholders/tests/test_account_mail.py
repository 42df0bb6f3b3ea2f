"""Account mail goes through a real Celery worker on Redis to a real SMTP server."""

import re
import time

import pytest
from django.urls import reverse

from stakeholders.tests.factories import PASSWORD

NAME = {"first_name": "Wilma", "last_name": "Worker", "accept_terms": "on"}

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_signup_mail_is_delivered_by_a_real_worker(client, celery_worker, smtp_server):
    response = client.post(
        reverse("account_signup"),
        {"email": "worker@example.org", "password1": PASSWORD, "password2": PASSWORD, **NAME},
    )
    assert response.status_code == 302

    messages = smtp_server.wait_for(1, timeout=30)
    assert len(messages) == 1, celery_worker.log()
    message = messages[0]
    assert message["To"] == "worker@example.org"
    assert message["Subject"].startswith("[AlpClusters] ")
    body = message.get_body(("plain",)).get_content()
    assert re.search(r"http://testserver/accounts/confirm-email/[^/\s]+/", body)
    # Branded with the portal's name and address, whatever host name the request used.
    assert "AlpClusters" in body and "127.0.0.1:8000" in body
    assert "send_messages_task" in celery_worker.log()
    # The confirmation link is a secret: erased from the outbox once the mail went out.
    from outbox.models import Message

    deadline = time.monotonic() + 10
    while Message.objects.filter(state="queued").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Message.objects.get().data == {}


def test_smtp_refusing_then_back_delivers_once(client, celery_worker, smtp_server):
    smtp_server.refuse = True
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    # The worker retries with backoff; the first attempt was refused (451).
    deadline = time.monotonic() + 10
    while "Retry in" not in celery_worker.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Retry in" in celery_worker.log()
    smtp_server.refuse = False
    messages = smtp_server.wait_for(1, timeout=30)
    assert len(messages) == 1
    time.sleep(2)
    assert len(smtp_server.messages) == 1


def test_request_succeeds_and_mail_goes_out_when_the_broker_is_down(
    client, settings, smtp_server, broker_down
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    response = client.post(
        reverse("account_signup"),
        {"email": "nobroker@example.org", "password1": PASSWORD, "password2": PASSWORD, **NAME},
    )
    assert response.status_code == 302
    assert smtp_server.messages == []  # waiting in the outbox, not lost

    broker_down.restore()
    from datetime import timedelta

    from django.utils import timezone

    from outbox.services import outbox_sweep

    assert outbox_sweep(now=timezone.now() + timedelta(minutes=10)) == 1
    messages = smtp_server.wait_for(1, timeout=5)
    assert [m["To"] for m in messages] == ["nobroker@example.org"]
