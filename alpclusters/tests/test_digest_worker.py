"""Digests through a real Celery worker on Redis to a real SMTP server, with faults."""

import datetime as dt
import time
from collections import Counter

import pytest

from alpclusters import digest, services
from alpclusters.models import DigestDelivery
from stakeholders.models import Stakeholder
from stakeholders.tests.factories import ContactFactory, StakeholderFactory
from stakeholders.unsubscribe import read_unsubscribe_token

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

WEEK = dt.date(2026, 11, 16)


def _wait(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not condition():
        time.sleep(0.2)
    return condition()


def _all_done():
    return not DigestDelivery.objects.filter(sent_at__isnull=True, skipped="").exists()


@pytest.fixture
def subscribers():
    news = StakeholderFactory(name="Brand New Cluster")
    Stakeholder.objects.filter(pk=news.pk).update(
        created_at=digest.as_aware(WEEK) + dt.timedelta(days=1)
    )
    contacts = [ContactFactory(digest_frequency="weekly") for _ in range(39)]
    # A name that is not ASCII, with an own registration: the per-contact parts of the wire.
    jurgen = ContactFactory(digest_frequency="weekly", first_name="Jürgen", language="de")
    from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory

    ParticipationFactory(
        alpcafe=AlpCafeFactory(title="Jürgen's AlpCafé"), contact=jurgen, status="registered"
    )
    return [jurgen, *contacts]


def test_rerun_of_the_same_period_sends_nothing(celery_worker, smtp_server, subscribers):
    assert services.digests_queue(frequency="weekly", period_start=WEEK) == 40
    smtp_server.wait_for(40, timeout=60)
    assert _wait(_all_done)
    assert services.digests_queue(frequency="weekly", period_start=WEEK) == 0
    time.sleep(1)
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert sorted(counts) == sorted(c.email for c in subscribers)
    assert set(counts.values()) == {1}
    by_address = {m["To"]: m for m in smtp_server.messages}
    first = subscribers[0]
    message = by_address[first.email]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    assert read_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1]) == (first.pk, "digest")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"Hallo {first.first_name}," in text and f"Hallo {first.first_name}," in html
    assert "Brand New Cluster" in text and "Brand New Cluster" in html
    assert "Jürgen's AlpCafé" in text and "Jürgen&#x27;s AlpCafé" in html
    assert url in text
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 40


def test_smtp_outage_then_recovery_delivers_each_digest_once(
    celery_worker, smtp_server, subscribers
):
    smtp_server.refuse = True
    services.digests_queue(frequency="weekly", period_start=WEEK)
    assert _wait(lambda: "Retry in" in celery_worker.log(), timeout=20)
    smtp_server.refuse = False
    smtp_server.wait_for(40, timeout=90)
    assert _wait(_all_done, timeout=60)
    time.sleep(1)
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert len(counts) == 40 and set(counts.values()) == {1}


def test_worker_killed_mid_run_loses_nothing(celery_worker, smtp_server, subscribers):
    from alpclusters.celery import app
    from alpclusters.testing import CeleryWorker

    smtp_server.delay = 0.1
    services.digests_queue(frequency="weekly", period_start=WEEK)
    assert _wait(lambda: len(smtp_server.messages) >= 10, timeout=30)
    celery_worker.kill()
    assert len(smtp_server.messages) < 40
    replacement = CeleryWorker(env=celery_worker.env)
    replacement.queue = celery_worker.queue
    replacement.hostname = f"{celery_worker.queue}-2@localhost"
    replacement.start(app)
    try:
        smtp_server.delay = 0
        # What the beat's sweep does, with the dead worker's claims already counted as abandoned.
        requeued = services.digests_sweep(older_than=dt.timedelta(0), claim_timeout=dt.timedelta(0))
        assert requeued > 0
        assert _wait(_all_done, timeout=60), replacement.log()
    finally:
        replacement.stop()
    counts = Counter(m["To"] for m in smtp_server.messages)
    assert len(counts) == 40  # none lost
    assert sum(counts.values()) - len(counts) <= 1  # at most the one in flight twice
