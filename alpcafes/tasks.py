"""Thin tasks: they take ids, fetch, return quietly if the rows are gone, and call alpcafes.mail."""

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.db.models import F, Q
from django.utils import timezone

from . import mail
from .models import AlpCafe, Participation

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "max_retries": 12,
}


@shared_task(**RETRY)
def send_invitations_task(*, alpcafe_id: int, participation_ids: list[int]) -> int:
    alpcafe = AlpCafe.objects.filter(pk=alpcafe_id).first()
    if alpcafe is None:
        return 0
    return mail.send_invitations(alpcafe=alpcafe, participation_ids=participation_ids)


@shared_task(**RETRY)
def send_promotion_task(*, participation_id: int) -> None:
    participation = (
        Participation.objects.select_related("contact", "alpcafe")
        .filter(pk=participation_id)
        .first()
    )
    if participation is not None and participation.status == Participation.Status.REGISTERED:
        mail.send_promotion(participation=participation)


@shared_task(**RETRY)
def send_cancellation_task(*, alpcafe_id: int, participation_ids: list[int]) -> int:
    alpcafe = AlpCafe.objects.filter(pk=alpcafe_id).first()
    if alpcafe is None:
        return 0
    return mail.send_cancellation(alpcafe=alpcafe, participation_ids=participation_ids)


@shared_task
def sweep_invitations_task(
    *, older_than_seconds: int = 300, claim_timeout_seconds: int | None = None
) -> int:
    """Queue again the invitations left unsent: broker outage at "send", killed worker."""
    from .services import queue_invitations

    now = timezone.now()
    claim_timeout = (
        mail.CLAIM_TIMEOUT
        if claim_timeout_seconds is None
        else timedelta(seconds=claim_timeout_seconds)
    )
    stale = (
        Participation.objects.invitation_unsent()
        .filter(invitation_queued_at__lt=now - timedelta(seconds=older_than_seconds))
        .filter(
            Q(invitation_claimed_at__isnull=True) | Q(invitation_claimed_at__lt=now - claim_timeout)
        )
    )
    rows = list(stale.order_by("alpcafe_id", "pk").values_list("alpcafe_id", "pk"))
    # Their claims belong to workers that died: release them so the next worker may send.
    Participation.objects.filter(pk__in=[pk for _a, pk in rows]).update(invitation_claimed_at=None)
    by_alpcafe: dict[int, list[int]] = {}
    for alpcafe_id, pk in rows:
        by_alpcafe.setdefault(alpcafe_id, []).append(pk)
    for alpcafe_id, ids in by_alpcafe.items():
        queue_invitations(alpcafe_id=alpcafe_id, participation_ids=ids)
    return sum(len(ids) for ids in by_alpcafe.values())


@shared_task(**RETRY)
def send_reminders_task() -> int:
    """Remind the registered participants of every AlpCafé whose reminder time has come."""
    now = timezone.now()
    due = AlpCafe.objects.filter(
        state=AlpCafe.State.SCHEDULED,
        starts_at__gt=now,
        reminder_hours__gt=0,
        starts_at__lte=now + timedelta(hours=1) * F("reminder_hours"),
    )
    return sum(mail.send_reminders(alpcafe=alpcafe) for alpcafe in due)


@shared_task(**RETRY)
def send_outcome_reminders_task() -> int:
    """The day after an AlpCafé, ask its organisers to record attendance and outcomes."""
    now = timezone.now()
    due = AlpCafe.objects.filter(
        state=AlpCafe.State.SCHEDULED,
        ends_at__lte=now - timedelta(days=1),
        ends_at__gt=now - timedelta(days=8),
        outcome_reminder_sent_at__isnull=True,
    )
    count = 0
    for alpcafe in due:
        mail.send_outcome_reminder(alpcafe=alpcafe)
        count += 1
    return count
