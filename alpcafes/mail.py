"""AlpCafé mail: invitations (the participations are the outbox), promotions from the waitlist,
cancellations, reminders and the organisers' reminder to record outcomes."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.mailing import absolute_url, render_mail

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
    ics = calendar_bytes([alpcafe], name=alpcafe.title)
    sent: list[int] = []
    try:
        with get_connection() as connection:
            for participation in claimed:
                message = _message("invitation", participation, alpcafe, ics)
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
