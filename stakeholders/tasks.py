"""Thin tasks: they take ids, fetch, and call the mail functions; retries live here."""

from smtplib import SMTPException

from celery import shared_task

from . import mail
from .models import ContactMessage, Stakeholder

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 10,
}


@shared_task(**RETRY)
def send_moderation_decision_task(*, stakeholder_id: int) -> None:
    stakeholder = (
        Stakeholder.objects.select_related("submitted_by").filter(pk=stakeholder_id).first()
    )
    if stakeholder is not None:
        mail.send_moderation_decision(stakeholder=stakeholder)


@shared_task(**RETRY)
def relay_contact_message_task(*, message_id: int) -> None:
    if ContactMessage.objects.filter(pk=message_id, sent_at__isnull=True).exists():
        mail.relay_contact_message(message_id=message_id)


@shared_task
def sweep_unsent_messages_task() -> int:
    """Re-queue relayed messages left unsent (broker outage, killed worker)."""
    from django.utils import timezone

    stale = timezone.now() - timezone.timedelta(minutes=5)
    ids = list(
        ContactMessage.objects.filter(sent_at__isnull=True, created_at__lt=stale).values_list(
            "pk", flat=True
        )
    )
    for message_id in ids:
        relay_contact_message_task.delay(message_id=message_id)
    return len(ids)
