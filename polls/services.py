"""Writes of date polls. Views, the admin and the beat task call these; nothing else writes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alpcafes.models import AlpCafe
from alpcafes.services import alpcafe_save
from outbox.services import messages_queue
from stakeholders.models import Contact

from . import mail
from .models import (
    MAX_OPTIONS,
    MIN_OPTIONS,
    REMINDER_NOT_BEFORE,
    DatePoll,
    PollAnswer,
    PollInvitee,
    PollOption,
)

State = DatePoll.State
#: How far ahead candidates and closing times may be.
HORIZON = timedelta(days=2 * 366)


def _check_dates(candidates: list[tuple[datetime, datetime]], closes_at: datetime) -> None:
    """The rules of candidates and closing time, as one ValidationError listing what is wrong."""
    now = timezone.now()
    errors = []
    if not MIN_OPTIONS <= len(candidates) <= MAX_OPTIONS:
        errors.append(
            _("Propose between %(min)d and %(max)d dates.")
            % {"min": MIN_OPTIONS, "max": MAX_OPTIONS}
        )
    if len({start for start, _end in candidates}) != len(candidates):
        errors.append(_("Two candidates start at the same time."))
    for start, end in candidates:
        if end <= start:
            errors.append(_("The end must come after the start."))
        if not now < start < now + HORIZON:
            errors.append(_("Candidates must be in the future, at most two years ahead."))
    if not now < closes_at < now + HORIZON:
        errors.append(_("The poll must close in the future."))
    elif candidates and closes_at > min(start for start, _end in candidates):
        errors.append(_("The poll must close before the first candidate."))
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))


@transaction.atomic
def poll_save(
    *,
    alpcafe: AlpCafe,
    candidates: Iterable[tuple[datetime, datetime]],
    closes_at: datetime,
    poll: DatePoll | None = None,
    created_by=None,
) -> DatePoll:
    """Create a date poll for a draft AlpCafé, or change the candidates and closing time of one
    that was not sent yet. Candidates are (start, end) pairs: 2–8, distinct, in the future, and
    the poll closes before the first. No mail: the poll goes out with ``poll_ask``. Raises
    ValidationError."""
    alpcafe = AlpCafe.objects.select_for_update().get(pk=alpcafe.pk)
    if not alpcafe.is_draft:
        raise ValidationError(_("Only a draft AlpCafé can have a date poll."))
    candidates = sorted(candidates)
    _check_dates(candidates, closes_at)
    if poll is None:
        if alpcafe.date_polls.filter(state__in=[State.DRAFT, State.OPEN]).exists():
            raise ValidationError(_("This AlpCafé already has a date poll in progress."))
        poll = DatePoll(alpcafe=alpcafe, created_by=created_by)
    else:
        poll = DatePoll.objects.select_for_update().get(pk=poll.pk, alpcafe=alpcafe)
        if not poll.can_be_edited:
            raise ValidationError(_("The dates cannot change once the poll was sent."))
    poll.closes_at = closes_at
    poll.full_clean()
    try:
        with transaction.atomic():
            poll.save()
    except IntegrityError:  # another organiser started one at the same moment
        raise ValidationError(_("This AlpCafé already has a date poll in progress.")) from None
    poll.options.all().delete()
    options = [PollOption(poll=poll, starts_at=start, ends_at=end) for start, end in candidates]
    for option in options:
        option.full_clean(exclude=["poll"])
    PollOption.objects.bulk_create(options)
    return poll


@transaction.atomic
def poll_ask(*, poll: DatePoll, contacts: Iterable[Contact]) -> list[int]:
    """Ask ``contacts`` who accept mail and are not asked yet: sends a draft poll (it opens) or
    asks more people while it is open.

    Side effects: a PollInvitee row with a personal link each, and one invitation each in the
    outbox (once per poll and contact). Returns the ids of the new invitees. Raises
    ValidationError when the poll no longer takes answers.
    """
    poll = DatePoll.objects.select_for_update().select_related("alpcafe").get(pk=poll.pk)
    if not poll.can_ask_people or not poll.alpcafe.is_draft:
        raise ValidationError(_("This poll no longer takes answers."))
    if poll.closes_at <= timezone.now():
        raise ValidationError(_("The poll must close in the future."))
    already = set(poll.invitees.values_list("contact_id", flat=True))
    asked = [
        contact
        for contact in Contact.objects.mailable().filter(pk__in=[c.pk for c in contacts])
        if contact.pk not in already
    ]
    now = timezone.now()
    created = PollInvitee.objects.bulk_create(
        [PollInvitee(poll=poll, contact=contact, created_at=now) for contact in asked],
        batch_size=1000,
    )
    if poll.is_draft and created:
        poll.state, poll.sent_at = State.OPEN, now
        poll.save(update_fields=["state", "sent_at", "updated_at"])
    messages_queue(
        kind=mail.PollInvitationMail,
        contacts=asked,
        about=poll,
        dedupe_key=lambda contact: f"{mail.PollInvitationMail.name}:{poll.pk}:{contact.pk}",
    )
    return [invitee.pk for invitee in created]


@transaction.atomic
def poll_answer(*, invitee: PollInvitee, choices: dict[int, str]) -> PollInvitee:
    """Record (or change) a person's answers: ``choices`` maps each candidate's id to yes, maybe
    or no, for every candidate of the poll. No mail. Raises ValidationError once the poll is
    closed or for an incomplete or foreign set of answers."""
    invitee = (
        PollInvitee.objects.select_for_update().select_related("poll__alpcafe").get(pk=invitee.pk)
    )
    poll = invitee.poll
    if not poll.accepts_answers:
        raise ValidationError(_("This poll is closed."))
    option_ids = set(poll.options.values_list("pk", flat=True))
    valid = set(PollAnswer.Choice.values)
    if set(choices) != option_ids or not set(choices.values()) <= valid:
        raise ValidationError(_("Answer for every date: yes, if need be or no."))
    existing = {a.option_id: a for a in invitee.answers.all()}
    for option_id, choice in choices.items():
        answer = existing.get(option_id) or PollAnswer(invitee=invitee, option_id=option_id)
        if answer.pk and answer.choice == choice:
            continue
        answer.choice = choice
        answer.save()
    invitee.answered_at = timezone.now()
    invitee.save(update_fields=["answered_at"])
    return invitee


@transaction.atomic
def poll_close(*, poll: DatePoll) -> DatePoll:
    """Stop taking answers now. No mail."""
    poll = DatePoll.objects.select_for_update().get(pk=poll.pk)
    if not poll.can_be_closed:
        raise ValidationError(_("Only an open poll can be closed."))
    poll.state = State.CLOSED
    poll.save(update_fields=["state", "updated_at"])
    return poll


@transaction.atomic
def poll_decide(*, poll: DatePoll, option: PollOption) -> AlpCafe:
    """Choose a candidate: the draft AlpCafé takes its start and end and is scheduled (through
    ``alpcafes.services.alpcafe_save``, so its rules hold; it becomes public), and the poll is
    closed with that date. A registration deadline keeps its distance from the start. No mail:
    the invitations follow from the invitation review. Raises ValidationError."""
    poll = DatePoll.objects.select_for_update().select_related("alpcafe").get(pk=poll.pk)
    if option.poll_id != poll.pk:
        raise ValidationError(_("This date is not one of the poll's candidates."))
    alpcafe = AlpCafe.objects.select_for_update().get(pk=poll.alpcafe_id)
    poll.alpcafe = alpcafe
    if not poll.can_be_decided:
        raise ValidationError(
            _("A date can be chosen once the poll was sent, for a draft AlpCafé.")
        )
    if option.starts_at <= timezone.now():
        raise ValidationError(_("This date has passed."))
    if alpcafe.registration_deadline is not None:
        ahead = alpcafe.starts_at - alpcafe.registration_deadline
        alpcafe.registration_deadline = option.starts_at - max(ahead, timedelta(0))
    alpcafe.starts_at, alpcafe.ends_at = option.starts_at, option.ends_at
    alpcafe.state = AlpCafe.State.SCHEDULED
    alpcafe_save(alpcafe=alpcafe)
    poll.state, poll.chosen_option, poll.decided_at = State.DECIDED, option, timezone.now()
    poll.full_clean()
    poll.save(update_fields=["state", "chosen_option", "decided_at", "updated_at"])
    return alpcafe


# --- Selected by beat ---------------------------------------------------------------------------


def polls_close_due(*, now=None) -> int:
    """Close the open polls whose time is up or whose AlpCafé is no longer a draft (scheduled or
    cancelled by hand). No mail. Returns how many."""
    now = now or timezone.now()
    due = DatePoll.objects.filter(state=State.OPEN).filter(
        Q(closes_at__lte=now) | ~Q(alpcafe__state=AlpCafe.State.DRAFT)
    )
    return due.update(state=State.CLOSED, updated_at=now)


def poll_reminders_queue(*, now=None) -> int:
    """Remind, once, each person who has not answered an open poll whose reminder time has come
    (48 hours before it closes, or half-way), if they were asked at least 12 hours before.
    Side effects: one reminder each in the outbox (a dedupe key per poll and contact). Returns
    how many were queued."""
    now = now or timezone.now()
    polls = DatePoll.objects.filter(
        state=State.OPEN,
        closes_at__gt=now,
        sent_at__isnull=False,
        alpcafe__state=AlpCafe.State.DRAFT,
    )
    count = 0
    for poll in polls:
        if poll.reminder_due_at > now:
            continue
        waiting = Contact.objects.filter(
            poll_invitations__poll=poll,
            poll_invitations__answered_at__isnull=True,
            poll_invitations__created_at__lte=now - REMINDER_NOT_BEFORE,
        )
        with transaction.atomic():
            count += len(
                messages_queue(
                    kind=mail.PollReminderMail,
                    contacts=waiting,
                    about=poll,
                    dedupe_key=lambda c, p=poll: f"{mail.PollReminderMail.name}:{p.pk}:{c.pk}",
                )
            )
    return count
