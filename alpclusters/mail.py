"""Shared mail helpers: hand a rendered message to a Celery worker once the transaction commits.

Account mail (verification, password reset) has no outbox row of its own, so a request that cannot
reach the broker delivers the message itself rather than failing or dropping it.
"""

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection

from common.queueing import enqueue_on_commit


def message_to_payload(message: EmailMessage) -> dict:
    """A JSON-serialisable form of ``message`` (attachments are not supported here)."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [content, mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }


def payload_to_message(payload: dict, *, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload.get("cc") or None,
        bcc=payload.get("bcc") or None,
        reply_to=payload.get("reply_to") or None,
        headers=payload.get("headers") or None,
        connection=connection,
    )
    message.content_subtype = payload.get("content_subtype", "plain")
    for content, mimetype in payload.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    return message


def deliver_payload(payload: dict) -> None:
    """Send one message now over the configured backend; SMTP errors propagate to the caller."""
    payload_to_message(payload, connection=get_connection()).send()


def send_after_commit(message: EmailMessage) -> None:
    """Queue ``message`` for a worker once the current transaction commits.

    Side effects: one Celery task per message. If the broker is unreachable the message is sent
    from this process instead, so the request neither fails nor loses the mail.
    """
    from .tasks import send_message_task

    enqueue_on_commit(
        send_message_task, run_inline_if_broker_down=True, payload=message_to_payload(message)
    )
