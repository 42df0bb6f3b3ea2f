"""Writes of the site app: queueing and sending the e-mail digests (the rows are the outbox)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from common.db import stamps_without_waiting_for_the_disk
from common.queueing import enqueue_on_commit
from common.wire import WireTemplate
from stakeholders.models import Contact

from . import digest
from .models import DigestDelivery

BATCH = 500
CLAIM_TIMEOUT = dt.timedelta(minutes=15)
Skipped = DigestDelivery.Skipped


def digests_queue(*, frequency: str, period_start: dt.date) -> int:
    """Create the period's DigestDelivery rows for every subscriber who accepts mail, and queue
    the unsent ones in batches. Running it again for the same period creates nothing and sends
    nothing that was sent. Returns the number of rows queued for sending."""
    start, end = digest.period_for(frequency, start=period_start)
    subscribers = (
        Contact.objects.mailable().filter(digest_frequency=frequency).values_list("pk", flat=True)
    )
    rows = [
        DigestDelivery(contact_id=pk, frequency=frequency, period_start=start, period_end=end)
        for pk in subscribers.iterator(chunk_size=5000)
    ]
    DigestDelivery.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    pending = list(
        DigestDelivery.objects.filter(
            frequency=frequency, period_start=start, sent_at__isnull=True, skipped=""
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queue_batches(pending)
    return len(pending)


def queue_batches(delivery_ids: list[int]) -> None:
    from .tasks import send_digests_task

    with transaction.atomic():
        for start in range(0, len(delivery_ids), BATCH):
            enqueue_on_commit(send_digests_task, delivery_ids=delivery_ids[start : start + BATCH])


def _claim(delivery_ids: list[int]) -> list[DigestDelivery]:
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            DigestDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=delivery_ids, sent_at__isnull=True, skipped="")
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
            .select_related("contact")
        )
        DigestDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(claimed_at=now)
    return rows


def _last_sent_ends(contact_ids: list[int]) -> dict[int, dt.date]:
    return dict(
        DigestDelivery.objects.filter(contact_id__in=contact_ids, sent_at__isnull=False)
        .values("contact_id")
        .annotate(last=Max("period_end"))
        .values_list("contact_id", "last")
    )


def digests_send(*, delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of digests over one SMTP connection; each row is stamped right after the
    server accepted its mail. Rows whose contact withdrew consent or unsubscribed since queueing,
    and rows with nothing new, are marked skipped and get no mail."""
    rows = _claim(delivery_ids)
    if not rows:
        return {"sent": 0, "skipped": 0}
    last_ends = _last_sent_ends([r.contact_id for r in rows])
    registrations = digest.own_registrations([r.contact_id for r in rows])
    contents: dict[tuple, digest.Content] = {}
    rendered: dict[tuple, digest.Rendered] = {}
    wires: dict[tuple, WireTemplate | None] = {}
    skipped: dict[str, list[int]] = defaultdict(list)
    sent = 0
    try:
        with get_connection() as connection, stamps_without_waiting_for_the_disk():
            # The SMTP backend's own smtplib connection, for pre-serialised digests.
            smtp = getattr(connection, "connection", None)
            for row in rows:
                contact = row.contact
                if not contact.accepts_mail:
                    skipped[Skipped.NO_CONSENT].append(row.pk)
                    continue
                if contact.digest_frequency != row.frequency:
                    skipped[Skipped.UNSUBSCRIBED].append(row.pk)
                    continue
                # What happened since this contact's last digest, within this period.
                since_day = max(row.period_start, last_ends.get(row.contact_id, row.period_start))
                key = (since_day, row.period_end)
                if key not in contents:
                    contents[key] = digest.shared_content(
                        digest.as_aware(since_day), digest.as_aware(row.period_end)
                    )
                content = contents[key]
                if not content.has_news:
                    skipped[Skipped.NOTHING_NEW].append(row.pk)
                    continue
                render_key = (*key, row.frequency, contact.language)
                if render_key not in rendered:
                    rendered[render_key] = digest.render_shared(
                        content, frequency=row.frequency, language=contact.language
                    )
                    wires[render_key] = smtp is not None and digest.wire_template(
                        rendered[render_key]
                    )
                personal = registrations.get(contact.pk, [])
                data = wires[render_key] and digest.wire_message(
                    wires[render_key], contact=contact, registrations=personal
                )
                if data:
                    smtp.sendmail(wires[render_key].sender, [contact.email], data)
                else:
                    digest.personalise(
                        rendered[render_key],
                        contact=contact,
                        registrations=personal,
                        connection=connection,
                    ).send()
                DigestDelivery.objects.filter(pk=row.pk).update(sent_at=timezone.now())
                sent += 1
    finally:
        for reason, ids in skipped.items():
            DigestDelivery.objects.filter(pk__in=ids).update(skipped=reason)
        done = {pk for ids in skipped.values() for pk in ids}
        DigestDelivery.objects.filter(
            pk__in=[r.pk for r in rows if r.pk not in done], sent_at__isnull=True
        ).update(claimed_at=None)
    return {"sent": sent, "skipped": sum(len(ids) for ids in skipped.values())}


def digests_sweep(
    *, older_than: dt.timedelta = dt.timedelta(minutes=10), claim_timeout=None
) -> int:
    """Queue again the digests left unsent (broker outage, killed worker, SMTP outage beyond
    the task's retries), releasing the claims of workers that died."""
    now = timezone.now()
    claim_timeout = CLAIM_TIMEOUT if claim_timeout is None else claim_timeout
    stale = DigestDelivery.objects.filter(
        sent_at__isnull=True, skipped="", queued_at__lt=now - older_than
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout))
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    DigestDelivery.objects.filter(pk__in=ids).update(claimed_at=None)
    queue_batches(ids)
    return len(ids)
