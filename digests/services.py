"""Writes of the digests: queue one period's digests into the outbox."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from outbox.services import message_queue, messages_queue
from stakeholders.models import Contact

from . import content
from .mail import DigestMail, DigestTestMail


@transaction.atomic
def digests_queue(*, frequency: str, period_start: dt.date) -> int:
    """Queue the period's digest for every subscriber of ``frequency`` who accepts mail.

    Each (contact, frequency, period) gets one message at most, however often this runs; whether
    it goes out (something new, consent still given) is decided when it is sent. Returns how many
    messages were queued now.
    """
    start, end = content.period_for(frequency, start=period_start)
    subscribers = (
        Contact.objects.mailable().filter(digest_frequency=frequency).only("pk", "language")
    )
    ids = messages_queue(
        kind=DigestMail,
        contacts=subscribers.iterator(chunk_size=5000),
        data={
            "frequency": frequency,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
        },
        dedupe_key=lambda contact: f"{DigestMail.name}:{frequency}:{start}:{contact.pk}",
    )
    return len(ids)


def digest_test_send(*, staff_contact: Contact, email) -> None:
    """Send staff a copy of a digest they previewed (through the outbox, like every mail)."""
    from outbox.kinds import stored_data

    data = stored_data(email)
    data["subject"] = "[TEST] " + data["subject"]
    message_queue(kind=DigestTestMail, contact=staff_contact, data=data)
