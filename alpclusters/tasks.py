import datetime as dt
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from . import digest, services
from .mail import deliver_payload

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "max_retries": 12,
}


@shared_task(**RETRY)
def send_message_task(*, payload: dict) -> None:
    """Deliver one rendered message (account mail); retried with backoff while SMTP is down."""
    deliver_payload(payload)


@shared_task(**RETRY)
def send_digests_task(*, delivery_ids: list[int]) -> dict:
    return services.digests_send(delivery_ids=delivery_ids)


@shared_task
def queue_digests_task(*, frequency: str, period_start: str | None = None) -> int:
    """Run by beat: the digests of the period that just ended (last week, last month)."""
    if period_start:
        start = dt.date.fromisoformat(period_start)
    else:
        today = timezone.localdate()
        start, _end = digest.last_complete_period(frequency, today=today)
    return services.digests_queue(frequency=frequency, period_start=start)


@shared_task
def sweep_digests_task() -> int:
    return services.digests_sweep()
