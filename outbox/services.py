"""Writes of the outbox: queue, send (claim → send → stamp → release), sweep, retry.

Every e-mail goes through here. Services of the apps queue messages in the transaction of the
change they report; the Celery task is sent once that transaction commits, and if the broker is
down the beat's sweep finds the row later. A batch is claimed by one worker, sent over one SMTP
connection, and each row stamped as soon as the server accepted its message, so a killed worker
leaves at most the message in flight to be sent again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from common.db import stamps_without_waiting_for_the_disk
from common.queueing import enqueue_on_commit

from .composer import Wire, Writer, full_email
from .kinds import MailKind, get_kind
from .models import Message

logger = logging.getLogger(__name__)
State = Message.State


class TemporaryFailure(Exception):
    """SMTP failed for the whole batch; the unsent rows were released and will be retried."""

    def __init__(self, error: Exception, retry_in: int):
        super().__init__(f"{error.__class__.__name__}: {error}")
        self.retry_in = retry_in


def retry_delay(attempts: int) -> int:
    """Seconds to wait before attempt ``attempts + 1``: doubling from OUTBOX_RETRY_BASE, capped."""
    return min(settings.OUTBOX_RETRY_BASE * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX)


def _kind_name(kind: MailKind | str) -> str:
    return kind if isinstance(kind, str) else kind.name


def _about_fields(about) -> dict:
    if about is None:
        return {"about_type": None, "about_id": None}
    return {
        "about_type": ContentType.objects.get_for_model(about, for_concrete_model=False),
        "about_id": about.pk,
    }


# --- Queueing ------------------------------------------------------------------------------------


def messages_queue(
    *,
    kind: MailKind | str,
    contacts: Iterable,
    about=None,
    data: dict | None = None,
    dedupe_key=None,
) -> list[int]:
    """Queue one message of ``kind`` about ``about`` to each of ``contacts``.

    ``dedupe_key(contact)`` names a message that must exist once at most; a contact whose key is
    already taken gets nothing new. Side effects: after the commit, Celery tasks in batches of
    OUTBOX_BATCH; if the broker is down, the sweep sends them. Returns the ids of the new rows.
    """
    name = _kind_name(kind)
    fields = _about_fields(about)
    now = timezone.now()
    rows = [
        Message(
            kind=name,
            contact=contact,
            language=contact.language,
            data=data or {},
            dedupe_key=dedupe_key(contact) if dedupe_key else None,
            queued_at=now,
            **fields,
        )
        for contact in contacts
    ]
    if not rows:
        return []
    if dedupe_key is None:
        ids = [m.pk for m in Message.objects.bulk_create(rows, batch_size=1000)]
    else:
        Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        # Rows created now (not those that existed): ignore_conflicts returns no ids.
        keys = [m.dedupe_key for m in rows]
        ids = []
        for start in range(0, len(keys), 5000):
            ids += Message.objects.filter(
                dedupe_key__in=keys[start : start + 5000], queued_at=now, state=State.QUEUED
            ).values_list("pk", flat=True)
    send_later(ids)
    return ids


def message_queue(
    *,
    kind: MailKind | str,
    contact=None,
    about=None,
    data: dict | None = None,
    address: str = "",
    language: str = "en",
    dedupe_key: str | None = None,
) -> Message | None:
    """Queue one message; ``address`` (with ``language``) only for account mail to someone who
    has no contact. Returns None when ``dedupe_key`` was taken already."""
    if contact is not None:
        ids = messages_queue(
            kind=kind,
            contacts=[contact],
            about=about,
            data=data,
            dedupe_key=(lambda _c: dedupe_key) if dedupe_key else None,
        )
        return Message.objects.filter(pk__in=ids).first()
    message = Message.objects.create(
        kind=_kind_name(kind),
        address=address,
        language=language,
        data=data or {},
        dedupe_key=dedupe_key,
        **_about_fields(about),
    )
    send_later([message.pk])
    return message


def send_later(message_ids: list[int]) -> None:
    """Hand the messages to workers, in batches, once the current transaction commits."""
    from .tasks import send_messages_task

    batch = settings.OUTBOX_BATCH
    for start in range(0, len(message_ids), batch):
        enqueue_on_commit(send_messages_task, message_ids=message_ids[start : start + batch])


# --- Sending -------------------------------------------------------------------------------------


def _claim(message_ids: list[int]) -> list[Message]:
    """Claim the queued rows among ``message_ids`` for this worker; rows another worker holds
    (claimed less than OUTBOX_CLAIM_TIMEOUT ago) are left to it."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    with transaction.atomic():
        rows = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=message_ids, state=State.QUEUED)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .select_related("contact", "about_type")
            .order_by("pk")
        )
        Message.objects.filter(pk__in=[m.pk for m in rows]).update(claimed_at=now)
    return rows


def _permanent(error: Exception) -> bool:
    """An SMTP answer that will not change on a retry (5xx) for this one message."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    return isinstance(error, SMTPResponseException) and 500 <= error.smtp_code < 600


def messages_send(*, message_ids: list[int]) -> dict[str, int]:
    """Send the queued messages among ``message_ids`` over one SMTP connection.

    Each row is stamped sent as soon as the server accepted its message. A message that must not
    go out (consent withdrawn, its object gone) is marked "not sent" with the reason; one the
    server refuses for good (5xx) or that cannot be written is marked failed. If SMTP fails for
    the batch, the unsent rows are released with an attempt counted and TemporaryFailure is
    raised (the task retries after ``retry_delay``); after OUTBOX_MAX_ATTEMPTS they fail.
    """
    claimed = _claim(message_ids)
    counts = {"sent": 0, "cancelled": 0, "failed": 0}
    if not claimed:
        return counts
    by_kind: dict[str, list[Message]] = defaultdict(list)
    for message in claimed:
        by_kind[message.kind].append(message)
    kinds = {name: get_kind(name) for name in by_kind}
    for name, messages in by_kind.items():
        if kinds[name] is not None:
            kinds[name].prepare(messages)
    done: set[int] = set()
    try:
        with get_connection() as connection, stamps_without_waiting_for_the_disk():
            # The SMTP backend's own smtplib connection, for bulk mail written as bytes.
            smtp = getattr(connection, "connection", None)
            writer = Writer(raw_smtp=smtp is not None)
            for message in claimed:
                kind = kinds[message.kind]
                reason = kind.skip_reason(message) if kind else f"Unknown kind {message.kind}"
                if reason:
                    _finish(message, State.CANCELLED, reason)
                    counts["cancelled"] += 1
                    done.add(message.pk)
                    continue
                try:
                    written = writer.write(kind, message)
                except Exception as error:
                    logger.exception("Could not write outbox message %s", message.pk)
                    _finish(message, State.FAILED, f"{error.__class__.__name__}: {error}")
                    counts["failed"] += 1
                    done.add(message.pk)
                    continue
                try:
                    _send(connection, smtp, message, written)
                except (SMTPRecipientsRefused, SMTPResponseException) as error:
                    if not _permanent(error):
                        raise
                    _finish(message, State.FAILED, f"{error.__class__.__name__}: {error}")
                    counts["failed"] += 1
                    done.add(message.pk)
                    continue
                _stamp_sent(message, kind, written.subject)
                counts["sent"] += 1
                done.add(message.pk)
    except (SMTPException, OSError) as error:
        unsent = [m for m in claimed if m.pk not in done]
        attempts = max((m.attempts for m in unsent), default=0) + 1
        _release(unsent, error)
        raise TemporaryFailure(error, retry_delay(attempts)) from error
    finally:
        # Rows neither sent nor finished (an unexpected error): free for the next worker.
        Message.objects.filter(
            pk__in=[m.pk for m in claimed if m.pk not in done], state=State.QUEUED
        ).update(claimed_at=None)
    return counts


def _send(connection, smtp, message: Message, written) -> None:
    if isinstance(written, Wire):
        smtp.sendmail(written.sender, [message.recipient_address], written.data)
    else:
        written.connection = connection
        written.send()


# One statement per message on the hot path of bulk mail: written once, without the ORM's
# per-query compilation (a fifth of the time per digest when it went through .update()).
_STAMP_SQL = (
    "UPDATE outbox_message SET state = %s, sent_at = %s, subject = %s, reason = '', "
    "attempts = attempts + 1{erase} WHERE id = %s"
)


def _stamp_sent(message: Message, kind: MailKind, subject: str) -> None:
    erase = ", data = '{}'" if kind.erase_data_when_sent else ""
    with connection.cursor() as cursor:
        cursor.execute(
            _STAMP_SQL.format(erase=erase),
            [State.SENT, timezone.now(), subject[:300], message.pk],
        )


def _finish(message: Message, state: str, reason: str) -> None:
    Message.objects.filter(pk=message.pk).update(state=state, reason=reason[:2000])


def _release(messages: list[Message], error: Exception) -> None:
    """Count a failed attempt on each; retry later, or fail those out of attempts."""
    now = timezone.now()
    reason = f"{error.__class__.__name__}: {error}"[:2000]
    for message in messages:
        attempts = message.attempts + 1
        if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            update = {"state": State.FAILED}
        else:
            update = {"next_attempt_at": now + timedelta(seconds=retry_delay(attempts))}
        Message.objects.filter(pk=message.pk, state=State.QUEUED).update(
            claimed_at=None, attempts=attempts, reason=reason, **update
        )


# --- The sweep and staff actions -------------------------------------------------------------


def outbox_sweep(*, now=None) -> int:
    """Hand to workers again what is queued but not moving: rows whose task never reached the
    broker, claims of workers that died (older than OUTBOX_CLAIM_TIMEOUT), retries now due.
    Run by beat every minute. Returns how many rows were queued again."""
    now = now or timezone.now()
    waited = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER)
    stale_claim = now - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    rows = (
        Message.objects.queued()
        .filter(
            Q(claimed_at__isnull=True, queued_at__lt=waited)
            | Q(claimed_at__isnull=True, next_attempt_at__isnull=False)
            | Q(claimed_at__lt=stale_claim)
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("pk")
    )
    ids = list(rows.values_list("pk", flat=True))
    # Their claims belong to workers that died: release them so the next worker may send.
    Message.objects.filter(pk__in=ids, claimed_at__lt=stale_claim).update(claimed_at=None)
    with transaction.atomic():
        send_later(ids)
    return len(ids)


@transaction.atomic
def messages_retry(*, messages: Iterable[Message]) -> int:
    """Staff: queue failed or unsent messages again, with their attempts reset."""
    ids = [m.pk for m in messages if m.can_be_retried]
    Message.objects.filter(pk__in=ids).update(
        state=State.QUEUED,
        attempts=0,
        claimed_at=None,
        next_attempt_at=None,
        reason="",
        queued_at=timezone.now(),
    )
    send_later(ids)
    return len(ids)


def message_preview(message: Message):
    """The message as it would be written now (an EmailMultiAlternatives), for staff and
    organisers; works for unsaved messages too. The recipient's personal links are stood in
    for: the real ones open their settings and data without a log-in."""
    kind = get_kind(message.kind)
    if kind is None:
        return None
    kind.prepare([message])
    return full_email(kind, message, stand_ins=True)
