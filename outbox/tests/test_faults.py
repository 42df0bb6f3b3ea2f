"""Every kind of mail through a real Celery worker on Redis to a real SMTP server, with faults:
SMTP refusing then back, the worker SIGKILLed mid-batch, the broker down when the request queues.
None is lost; at most the one message in flight when a worker dies is sent twice."""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import Message

from .builders import BUILDERS

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(condition, timeout=60, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _all_sent():
    return not Message.objects.exclude(state=Message.State.SENT).exists()


def _build_every_kind(n: int) -> Counter:
    """n messages of every kind, queued by the services in one transaction each (as requests
    do); returns the expected (kind, address) pairs."""
    for builder in BUILDERS.values():
        with transaction.atomic():
            builder(n)
    rows = Message.objects.select_related("contact")
    return Counter((m.kind, m.recipient_address) for m in rows)


def _delivered(smtp_server) -> Counter:
    return Counter((m["X-AlpClusters-Kind"], m["To"]) for m in smtp_server.messages)


def test_smtp_refusing_then_back_delivers_every_kind_exactly_once(celery_worker, smtp_server):
    smtp_server.refuse = True
    expected = _build_every_kind(3)
    assert {kind for kind, _a in expected} == set(BUILDERS)
    assert _wait(lambda: "Retry in" in celery_worker.log(), timeout=30), celery_worker.log()
    assert smtp_server.messages == []
    smtp_server.refuse = False
    smtp_server.wait_for(sum(expected.values()), timeout=90)
    assert _wait(_all_sent, timeout=60), list(
        Message.objects.exclude(state="sent").values_list("kind", "state", "reason")
    )
    time.sleep(1)
    assert _delivered(smtp_server) == expected


def test_worker_killed_mid_batch_loses_no_mail_of_any_kind(celery_worker, smtp_server):
    from alpclusters.celery import app
    from testing import CeleryWorker

    smtp_server.delay = 0.05
    expected = _build_every_kind(8)
    total = sum(expected.values())
    assert _wait(lambda: len(smtp_server.messages) >= 15, timeout=30)
    celery_worker.kill()
    assert len(smtp_server.messages) < total, "everything went out before the kill"

    replacement = CeleryWorker(env=celery_worker.env)
    replacement.queue = celery_worker.queue
    replacement.hostname = f"{celery_worker.queue}-2@localhost"
    replacement.start(app)
    try:
        smtp_server.delay = 0
        # The beat's sweep, run as if the claim timeout had passed: the dead worker's claims
        # are released and its rows handed to the new worker.
        later = timezone.now() + timedelta(hours=1)
        assert services.outbox_sweep(now=later) > 0
        assert _wait(_all_sent, timeout=90), replacement.log()
    finally:
        replacement.stop()
    delivered = _delivered(smtp_server)
    assert set(delivered) == set(expected)  # none lost
    # At most the one message in flight when the worker died is sent twice.
    assert sum(delivered.values()) - len(delivered) <= 1


def test_broker_down_when_requests_queue_every_kind_goes_out_once_it_is_back(
    celery_worker, smtp_server, broker_down
):
    expected = _build_every_kind(2)
    time.sleep(1)
    assert smtp_server.messages == []
    assert Message.objects.filter(state=Message.State.QUEUED).count() == sum(expected.values())

    broker_down.restore()
    later = timezone.now() + timedelta(minutes=10)
    assert services.outbox_sweep(now=later) == sum(expected.values())
    smtp_server.wait_for(sum(expected.values()), timeout=60)
    assert _wait(_all_sent)
    time.sleep(1)
    assert _delivered(smtp_server) == expected
