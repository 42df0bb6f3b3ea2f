"""Invitations through a real Celery worker on Redis to a real SMTP server, with faults."""

import time
from collections import Counter

import pytest
from django.urls import reverse

from alpcafes import services
from alpcafes.tasks import sweep_invitations_task
from stakeholders.tests.factories import ContactFactory

from .factories import AlpCafeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(condition, timeout=60, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _all_stamped(alpcafe):
    return not alpcafe.participations.filter(invitation_sent_at__isnull=True).exists()


def test_smtp_refusing_then_back_delivers_every_invitation_exactly_once(celery_worker, smtp_server):
    alpcafe = AlpCafeFactory()
    contacts = [ContactFactory() for _ in range(30)]
    smtp_server.refuse = True
    services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    assert _wait(lambda: "Retry in" in celery_worker.log(), timeout=20), celery_worker.log()
    assert smtp_server.messages == []
    smtp_server.refuse = False
    smtp_server.wait_for(30, timeout=60)
    assert _wait(lambda: _all_stamped(alpcafe))
    time.sleep(1)
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert sorted(counts) == sorted(c.email for c in contacts)
    assert set(counts.values()) == {1}


def test_worker_killed_mid_batch_loses_no_invitation(celery_worker, smtp_server, settings):
    from alpclusters.celery import app
    from alpclusters.testing import CeleryWorker

    alpcafe = AlpCafeFactory()
    contacts = [ContactFactory() for _ in range(120)]
    smtp_server.delay = 0.05
    services.invitations_create(alpcafe=alpcafe, contacts=contacts)
    assert _wait(lambda: len(smtp_server.messages) >= 30, timeout=30)
    celery_worker.kill()
    delivered_before = len(smtp_server.messages)
    assert delivered_before < 120, "the batch finished before the kill; slow the server down"

    replacement = CeleryWorker(env=celery_worker.env)
    replacement.queue = celery_worker.queue
    replacement.hostname = f"{celery_worker.queue}-2@localhost"
    replacement.start(app)
    try:
        smtp_server.delay = 0
        stamped = alpcafe.participations.filter(invitation_sent_at__isnull=False).count()
        # The beat's sweep, run now, with the dead worker's claims already considered abandoned.
        requeued = sweep_invitations_task.apply(
            kwargs={"older_than_seconds": 0, "claim_timeout_seconds": 0}
        ).get()
        assert requeued == 120 - stamped > 0
        assert _wait(lambda: _all_stamped(alpcafe), timeout=60), replacement.log()
    finally:
        replacement.stop()
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert sorted(counts) == sorted(c.email for c in contacts)  # none lost
    # At most the one message in flight when the worker died is sent twice.
    assert sum(counts.values()) - len(counts) <= 1


def test_broker_down_at_send_the_request_succeeds_and_mail_goes_out_once_it_is_back(
    client, organiser, celery_worker, smtp_server, broker_down
):
    alpcafe = AlpCafeFactory(organisers=[organiser])
    contacts = [ContactFactory() for _ in range(5)]
    client.force_login(organiser)
    response = client.post(reverse("alpcafes:invite_review", args=[alpcafe.slug]), {})
    assert response.status_code == 302
    assert alpcafe.participations.filter(invitation_queued_at__isnull=False).count() == 5
    time.sleep(1)
    assert smtp_server.messages == []

    broker_down.restore()
    assert sweep_invitations_task.apply(kwargs={"older_than_seconds": 0}).get() == 5
    smtp_server.wait_for(5, timeout=30)
    assert _wait(lambda: _all_stamped(alpcafe))
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert sorted(counts) == sorted(c.email for c in contacts)
    assert set(counts.values()) == {1}
