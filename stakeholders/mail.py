"""The registry's mail: moderation decisions and messages relayed to stakeholders."""

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from common.mailing import absolute_url, render_mail

from .models import Contact, ContactMessage, Stakeholder


def _language_of(user) -> str:
    contact = Contact.objects.filter(user=user).only("language").first()
    return contact.language if contact else "en"


def send_moderation_decision(*, stakeholder: Stakeholder) -> None:
    """Tell the member who registered ``stakeholder`` whether it was published or rejected."""
    user = stakeholder.submitted_by
    if user is None or stakeholder.state == Stakeholder.State.PENDING:
        return
    render_mail(
        "stakeholders/email/decision",
        {
            "stakeholder": stakeholder,
            "published": stakeholder.state == Stakeholder.State.PUBLISHED,
            "url": absolute_url(stakeholder.get_absolute_url()),
        },
        to=[user.email],
        language=_language_of(user),
    ).send()


def relay_contact_message(*, message_id: int) -> None:
    """Send a member's message to each consenting contact of the stakeholder, one mail each, over
    one SMTP connection, and stamp the message as sent.

    The row is locked for the whole delivery, so a redelivered task waits and then finds it sent.
    """
    with transaction.atomic():
        message = (
            ContactMessage.objects.select_for_update()
            .select_related("sender", "stakeholder")
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return
        recipients = list(Contact.objects.mailable().filter(stakeholder=message.stakeholder))
        with get_connection() as connection:
            for contact in recipients:
                render_mail(
                    "stakeholders/email/relay",
                    {"message": message, "contact": contact, "sender": message.sender},
                    to=[contact.email],
                    language=contact.language,
                    reply_to=[message.sender.email],
                    connection=connection,
                ).send()
        message.sent_at = timezone.now()
        message.recipient_count = len(recipients)
        message.save(update_fields=["sent_at", "recipient_count"])
