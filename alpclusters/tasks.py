from smtplib import SMTPException

from celery import shared_task

from .mail import deliver_payload


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def send_message_task(*, payload: dict) -> None:
    """Deliver one rendered message (account mail); retried with backoff while SMTP is down."""
    deliver_payload(payload)
