"""AlpCafé mail: invitations (the participations are the outbox), promotions from the waitlist,
cancellations, reminders and the organisers' reminder to record outcomes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from common.db import stamps_without_waiting_for_the_disk
from common.mailing import absolute_url, render_mail
from common.wire import WireTemplate, placeholder
from stakeholders.models import Contact
from stakeholders.unsubscribe import list_unsubscribe_headers, unsubscribe_url

from .calendar import calendar_bytes
from .models import AlpCafe, Participation

logger = logging.getLogger(__name__)

#: A claim older than this belongs to a worker that died; the sweep queues the row again.
CLAIM_TIMEOUT = timedelta(minutes=15)


def _message(template: str, participation: Participation, alpcafe: AlpCafe, ics: bytes, **extra):
    contact = participation.contact
    message = render_mail(
        f"alpcafes/email/{template}",
        {
            "alpcafe": alpcafe,
            "contact": contact,
            "participation": participation,
            "alpcafe_url": absolute_url(alpcafe.get_absolute_url()),
            "rsvp_url": absolute_url(participation.get_rsvp_url()),
            **extra,
        },
        to=[contact.email],
        language=contact.language,
    )
    message.attach("alpcafe.ics", ics, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


# Stand-ins for the per-recipient parts of an invitation rendered once per batch: characters of
# Unicode's private use area, which no template, translation or AlpCafé text contains.
_NAME = "\ue000name\ue000"
_RSVP_URL = "\ue001rsvp\ue001"


class _Invitations:
    """Invitations for one batch, rendered once per language (and with or without a first name),
    then personalised with the name and the RSVP link.

    The first message of each kind is also rendered in full and compared: should the templates
    ever read more of the contact or the participation than the first name and the link, the
    batch falls back to rendering each message with ``_message``.
    """

    def __init__(self, alpcafe: AlpCafe, ics: bytes):
        self.alpcafe, self.ics = alpcafe, ics
        self.shared: dict[tuple[str, bool], EmailMultiAlternatives | None] = {}
        self.wires: dict[tuple[str, bool], WireTemplate | None] = {}

    def wire_bytes(self, participation: Participation) -> tuple[str, bytes] | None:
        """(sender, bytes) of this invitation serialised from the batch's template, or None
        while there is none for its kind (see common/wire.py)."""
        contact = participation.contact
        key = (contact.language, bool(contact.first_name))
        if self.shared.get(key) is None:
            return None
        if key not in self.wires:
            self.wires[key] = self._wire_template(self.shared[key])
        wire = self.wires[key]
        if wire is None:
            return None
        rsvp_url = absolute_url(participation.get_rsvp_url())
        data = wire.fill(
            to=contact.email,
            values={
                "name_text": contact.first_name,
                "name_html": escape(contact.first_name),
                "rsvp_text": rsvp_url,
                "rsvp_html": escape(rsvp_url),
                "unsubscribe": unsubscribe_url(contact, "mail"),
            },
        )
        return (wire.sender, data) if data else None

    def _wire_template(self, shared: EmailMultiAlternatives) -> WireTemplate | None:
        p = placeholder
        (html, mimetype), *_rest = shared.alternatives
        body = shared.body.replace(_NAME, p("name_text")).replace(_RSVP_URL, p("rsvp_text"))
        html = html.replace(_NAME, p("name_html")).replace(_RSVP_URL, p("rsvp_html"))
        message = EmailMultiAlternatives(
            subject=shared.subject, body=body, headers=list_unsubscribe_headers(p("unsubscribe"))
        )
        message.attach_alternative(html, mimetype)
        message.attach("alpcafe.ics", self.ics, "text/calendar; charset=utf-8; method=PUBLISH")
        expected = {
            "name_text": body.count(p("name_text")),
            "name_html": html.count(p("name_html")),
            "rsvp_text": body.count(p("rsvp_text")),
            "rsvp_html": html.count(p("rsvp_html")),
            "unsubscribe": 1,
        }
        return WireTemplate.build(message, expected)

    def message(self, participation: Participation) -> EmailMultiAlternatives:
        contact = participation.contact
        key = (contact.language, bool(contact.first_name))
        if key not in self.shared:
            shared = self._render_shared(key)
            full = _message("invitation", participation, self.alpcafe, self.ics)
            if _content(self._personalise(shared, participation)) != _content(full):
                logger.warning("Invitation templates use more than the name and the link")
                shared = None
            self.shared[key] = shared
            return full
        shared = self.shared[key]
        if shared is None:
            return _message("invitation", participation, self.alpcafe, self.ics)
        return self._personalise(shared, participation)

    def _render_shared(self, key: tuple[str, bool]) -> EmailMultiAlternatives:
        language, named = key
        # Only the first name of the contact is read by the templates.
        stand_in = Contact(first_name=_NAME if named else "", language=language)
        return render_mail(
            "alpcafes/email/invitation",
            {
                "alpcafe": self.alpcafe,
                "contact": stand_in,
                "alpcafe_url": absolute_url(self.alpcafe.get_absolute_url()),
                "rsvp_url": _RSVP_URL,
            },
            to=[],
            language=language,
        )

    def _personalise(self, shared, participation: Participation) -> EmailMultiAlternatives:
        contact = participation.contact
        rsvp_url = absolute_url(participation.get_rsvp_url())
        (html, mimetype), *_rest = shared.alternatives
        message = EmailMultiAlternatives(
            subject=shared.subject,
            body=shared.body.replace(_NAME, contact.first_name).replace(_RSVP_URL, rsvp_url),
            to=[contact.email],
        )
        message.attach_alternative(
            html.replace(_NAME, escape(contact.first_name)).replace(_RSVP_URL, escape(rsvp_url)),
            mimetype,
        )
        message.attach("alpcafe.ics", self.ics, "text/calendar; charset=utf-8; method=PUBLISH")
        return message


def _content(message: EmailMultiAlternatives) -> tuple:
    return (
        message.subject,
        message.body,
        message.alternatives,
        message.attachments,
        message.to,
        message.cc,
        message.bcc,
        message.reply_to,
        message.from_email,
        message.extra_headers,
    )


def _claim(alpcafe: AlpCafe, participation_ids: list[int]) -> list[Participation]:
    """Claim the batch's unsent invitations for this worker, skipping rows another worker holds.

    Invitations whose contact withdrew mail consent since queueing are taken off the queue.
    """
    now = timezone.now()
    with transaction.atomic():
        candidates = (
            Participation.objects.select_for_update(skip_locked=True)
            .filter(
                pk__in=participation_ids,
                alpcafe=alpcafe,
                invitation_sent_at__isnull=True,
                invitation_queued_at__isnull=False,
            )
            .filter(
                Q(invitation_claimed_at__isnull=True)
                | Q(invitation_claimed_at__lt=now - CLAIM_TIMEOUT)
            )
            .select_related("contact")
        )
        claimed, withdrawn = [], []
        for participation in candidates:
            (claimed if participation.contact.accepts_mail else withdrawn).append(participation)
        Participation.objects.filter(pk__in=[p.pk for p in claimed]).update(
            invitation_claimed_at=now
        )
        Participation.objects.filter(pk__in=[p.pk for p in withdrawn]).update(
            invitation_queued_at=None
        )
    return claimed


def send_invitations(*, alpcafe: AlpCafe, participation_ids: list[int]) -> int:
    """Send the batch over one SMTP connection; stamp each row as soon as the server accepted it.

    If SMTP fails, the rows not yet sent are released and the error propagates (the task
    retries them later). A worker killed mid-batch leaves at most the message in flight to be
    sent twice; everything else is either stamped or picked up again by the sweep.
    """
    claimed = _claim(alpcafe, participation_ids)
    if not claimed:
        return 0
    invitations = _Invitations(alpcafe, calendar_bytes([alpcafe], name=alpcafe.title))
    sent: list[int] = []
    try:
        with get_connection() as connection, stamps_without_waiting_for_the_disk():
            # The SMTP backend's own smtplib connection, for invitations sent as bytes.
            smtp = getattr(connection, "connection", None)
            for participation in claimed:
                wire = smtp is not None and invitations.wire_bytes(participation)
                if wire:
                    smtp.sendmail(wire[0], [participation.contact.email], wire[1])
                else:
                    message = invitations.message(participation)
                    # Invitations are bulk mail: one click withdraws the consent to receive them.
                    message.extra_headers.update(
                        list_unsubscribe_headers(unsubscribe_url(participation.contact, "mail"))
                    )
                    message.connection = connection
                    message.send()
                Participation.objects.filter(pk=participation.pk).update(
                    invitation_sent_at=timezone.now()
                )
                sent.append(participation.pk)
    finally:
        unsent = [p.pk for p in claimed if p.pk not in set(sent)]
        if unsent:
            Participation.objects.filter(pk__in=unsent).update(invitation_claimed_at=None)
    return len(sent)


def _send_each(template: str, alpcafe: AlpCafe, participations, **extra) -> int:
    """Service mail about the participant's own registration. It goes out whatever their consent
    to bulk mail: they asked for the seat, so they must hear when it changes."""
    ics = calendar_bytes([alpcafe], name=alpcafe.title)
    count = 0
    with get_connection() as connection:
        for participation in participations:
            message = _message(template, participation, alpcafe, ics, **extra)
            message.connection = connection
            message.send()
            count += 1
    return count


def send_promotion(*, participation: Participation) -> None:
    """Tell someone from the waitlist that they now have a seat."""
    _send_each("promotion", participation.alpcafe, [participation])


def send_cancellation(*, alpcafe: AlpCafe, participation_ids: list[int]) -> int:
    participations = Participation.objects.filter(pk__in=participation_ids).select_related(
        "contact"
    )
    return _send_each("cancellation", alpcafe, participations)


def send_reminders(*, alpcafe: AlpCafe) -> int:
    """Remind every registered participant once; each row is stamped right after its mail."""
    ics = calendar_bytes([alpcafe], name=alpcafe.title)
    count = 0
    with get_connection() as connection:
        while True:
            with transaction.atomic():
                participation = (
                    alpcafe.participations.select_for_update(skip_locked=True)
                    .registered()
                    .filter(reminded_at__isnull=True)
                    .select_related("contact")
                    .first()
                )
                if participation is None:
                    return count
                message = _message("reminder", participation, alpcafe, ics)
                message.connection = connection
                message.send()
                participation.reminded_at = timezone.now()
                participation.save(update_fields=["reminded_at"])
                count += 1


def send_outcome_reminder(*, alpcafe: AlpCafe) -> None:
    """Ask the organisers, the day after, to record who came and what was heard."""
    with transaction.atomic():
        alpcafe = AlpCafe.objects.select_for_update().get(pk=alpcafe.pk)
        if alpcafe.outcome_reminder_sent_at is not None:
            return
        with get_connection() as connection:
            for organiser in alpcafe.organisers.all():
                render_mail(
                    "alpcafes/email/outcome_reminder",
                    {
                        "alpcafe": alpcafe,
                        "organiser": organiser,
                        "manage_url": absolute_url(alpcafe.get_absolute_url() + "manage/"),
                    },
                    to=[organiser.email],
                    connection=connection,
                ).send()
        alpcafe.outcome_reminder_sent_at = timezone.now()
        alpcafe.save(update_fields=["outcome_reminder_sent_at"])
