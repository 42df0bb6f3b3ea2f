import datetime as dt

from celery import shared_task
from django.utils import timezone

from . import content, services


@shared_task
def queue_digests_task(*, frequency: str, period_start: str | None = None) -> int:
    """Run by beat: the digests of the period that just ended (last week, last month)."""
    if period_start:
        start = dt.date.fromisoformat(period_start)
    else:
        start, _end = content.last_complete_period(frequency, today=timezone.localdate())
    return services.digests_queue(frequency=frequency, period_start=start)


@shared_task
def queue_moderation_notices_task() -> int:
    """Run by beat: one mail per moderator when something new waits for them."""
    return services.moderation_notices_queue()
