"""Digests through a real Celery worker on Redis to a real SMTP server (the faults every kind of
mail goes through are in outbox/tests/test_faults.py)."""

import datetime as dt
import time
from collections import Counter

import pytest

from digests import content as digest
from digests import services
from outbox.models import Message
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
    return not Message.objects.filter(state=Message.State.QUEUED).exists()


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
    url = message["List-Unsubscribe"].strip().strip("<>")
    assert read_unsubscribe_token(url.rstrip("/").rsplit("/", 1)[1]) == (first.pk, "digest")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"Hallo {first.first_name}," in text and f"Hallo {first.first_name}," in html
    assert message["X-AlpClusters-Kind"] == "digests.digest"
    assert "Brand New Cluster" in text and "Brand New Cluster" in html
    assert "Jürgen's AlpCafé" in text and "Jürgen&#x27;s AlpCafé" in html
    assert url in text
    assert len({m["Message-ID"] for m in smtp_server.messages}) == 40
