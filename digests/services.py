"""Writes of the digests: queue one period's digests into the outbox."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction

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


def moderation_notices_queue(*, now=None) -> int:
    """Tell each moderator (once per batch) that new registrations, posts, reports or requests to
    join wait: a notice goes out when something arrived since their last one. Run by beat.
    Returns how many notices were queued."""
    from django.utils import timezone

    from outbox.models import Message
    from stakeholders.models import MODERATORS_GROUP, User
    from stakeholders.services import contact_for_user

    from .mail import ModerationNoticeMail
    from .moderation import QUEUES

    now = now or timezone.now()
    users = User.objects.filter(groups__name=MODERATORS_GROUP, is_active=True).distinct()
    moderators = [c for c in (contact_for_user(user=u) for u in users) if c.moderation_mail]
    last = dict(
        Message.objects.filter(kind=ModerationNoticeMail.name, contact__in=moderators)
        .values("contact_id")
        .annotate(last=models.Max("queued_at"))
        .values_list("contact_id", "last")
    )
    newest = max(
        (
            queue.items()
            .order_by(f"-{queue.date_field}")
            .values_list(queue.date_field, flat=True)
            .first()
            for queue in QUEUES
        ),
        key=lambda value: value or dt.datetime.min.replace(tzinfo=dt.UTC),
        default=None,
    )
    queued = 0
    for moderator in moderators:
        since = last.get(moderator.pk) or now - dt.timedelta(days=1)
        if newest is None or newest <= since:
            continue
        message_queue(
            kind=ModerationNoticeMail, contact=moderator, data={"since": since.isoformat()}
        )
        queued += 1
    return queued
