"""Writes for AlpCafés and their participations. Views, admin, commands and tasks call these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.slugs import unique_slug
from common.versions import changed_on_commit
from outbox.services import messages_queue
from stakeholders.models import Contact
from stakeholders.selectors import registry_changed
from stakeholders.services import contact_for_user

from . import mail
from .models import AlpCafe, Participation

Status = Participation.Status
# What counts as a change of time or place that people must be told about.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "format", "venue", "address", "city", "online_url")


RESERVED_SLUGS = {"new", "rsvp", "mine"}


def _unique_slug(title: str, starts_at) -> str:
    return unique_slug(
        AlpCafe, f"{title} {starts_at:%Y-%m-%d}", reserved=RESERVED_SLUGS, suffix="alpcafe"
    )


@transaction.atomic
def alpcafe_save(*, alpcafe: AlpCafe, organisers: Iterable | None = None) -> AlpCafe:
    """Create or update an AlpCafé after full validation; ``organisers``, when given, are the
    people who manage it from now on (the creator, co-organisers).

    Side effects, for a scheduled AlpCafé: a change of time or place raises its calendar
    SEQUENCE and mails everyone registered, waitlisted or invited (with the updated .ics); a
    higher capacity gives the new seats to the waitlist, in order, before any newcomer. Any save
    makes what was cached from AlpCafés stale (data version "alpcafes").
    """
    before = (
        AlpCafe.objects.select_for_update().filter(pk=alpcafe.pk).first() if alpcafe.pk else None
    )
    if not alpcafe.slug:
        alpcafe.slug = _unique_slug(alpcafe.title, alpcafe.starts_at)
    changed = before is not None and any(
        getattr(before, field) != getattr(alpcafe, field) for field in SCHEDULE_FIELDS
    )
    if changed:
        alpcafe.sequence = before.sequence + 1
    alpcafe.full_clean()
    alpcafe.save()
    # The impact figures count AlpCafés by state and date.
    changed_on_commit("alpcafes")
    if organisers is not None:
        organisers = list(organisers)
        if not organisers:
            raise ValidationError(_("An AlpCafé needs at least one organiser."))
        alpcafe.organisers.set(organisers)
    if before is not None and alpcafe.state == AlpCafe.State.SCHEDULED:
        if changed:
            _queue_change_mail(alpcafe, before)
        if alpcafe.capacity > before.capacity:
            _promote_from_waitlist(alpcafe)
    return alpcafe


def _queue_change_mail(alpcafe: AlpCafe, before: AlpCafe) -> None:
    place = ", ".join(p for p in (before.venue, before.city) if p)
    contacts = Contact.objects.filter(
        participations__alpcafe=alpcafe,
        participations__status__in=[Status.REGISTERED, Status.WAITLISTED, Status.INVITED],
    )
    messages_queue(
        kind=mail.ChangeMail,
        contacts=contacts,
        about=alpcafe,
        data={"before_starts_at": before.starts_at.isoformat(), "before_place": place},
    )


def _lock(alpcafe: AlpCafe) -> AlpCafe:
    """Serialise every change of seats of one AlpCafé on its row (registrations, cancellations)."""
    return AlpCafe.objects.select_for_update().get(pk=alpcafe.pk)


def _next_waitlist_position(alpcafe: AlpCafe) -> int:
    top = alpcafe.participations.aggregate(top=Max("waitlist_position"))["top"]
    return (top or 0) + 1


def seats_taken(alpcafe: AlpCafe) -> int:
    return alpcafe.participations.registered().count()


@transaction.atomic
def participation_register(*, alpcafe: AlpCafe, contact: Contact) -> Participation:
    """Register ``contact`` for ``alpcafe``: a seat while there is one, else the waitlist's end.

    Side effects: a confirmation mail (with the .ics, or the waitlist position). Safe under
    concurrency: the AlpCafé row is locked while seats are counted and taken. Raises
    ValidationError when registration is closed.
    """
    changed_on_commit("alpcafes")  # seats left, attendance and outcomes are public
    alpcafe = _lock(alpcafe)
    if not alpcafe.is_open_for_registration:
        raise ValidationError(_("Registration for this AlpCafé is closed."))
    participation, _created = Participation.objects.select_for_update().get_or_create(
        alpcafe=alpcafe, contact=contact, defaults={"status": Status.INVITED}
    )
    if participation.status in (Status.REGISTERED, Status.WAITLISTED):
        return participation
    # A free seat goes to a newcomer only when nobody is waiting for it.
    if seats_taken(alpcafe) < alpcafe.capacity and not alpcafe.participations.waitlisted().exists():
        participation.status, participation.waitlist_position = Status.REGISTERED, None
    else:
        participation.status = Status.WAITLISTED
        participation.waitlist_position = _next_waitlist_position(alpcafe)
    participation.responded_at = timezone.now()
    participation.save(update_fields=["status", "waitlist_position", "responded_at"])
    messages_queue(kind=mail.ConfirmationMail, contacts=[contact], about=alpcafe)
    return participation


@transaction.atomic
def participation_decline(*, participation: Participation) -> Participation:
    """Decline an invitation, or cancel a registration or a waitlist place.

    Side effects: a freed seat goes to the first on the waitlist, who is mailed.
    """
    changed_on_commit("alpcafes")  # seats left, attendance and outcomes are public
    alpcafe = _lock(participation.alpcafe)
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    was_registered = participation.status == Status.REGISTERED
    participation.status = (
        Status.DECLINED if participation.status == Status.INVITED else Status.CANCELLED
    )
    participation.waitlist_position = None
    participation.responded_at = timezone.now()
    participation.save(update_fields=["status", "waitlist_position", "responded_at"])
    if was_registered:
        _promote_from_waitlist(alpcafe)
    return participation


def _promote_from_waitlist(alpcafe: AlpCafe) -> None:
    """Give free seats to the waitlist in order; each promoted person is mailed."""
    while seats_taken(alpcafe) < alpcafe.capacity:
        first = (
            alpcafe.participations.select_for_update()
            .waitlisted()
            .select_related("contact")
            .first()
        )
        if first is None:
            return
        first.status, first.waitlist_position = Status.REGISTERED, None
        first.save(update_fields=["status", "waitlist_position"])
        messages_queue(kind=mail.PromotionMail, contacts=[first.contact], about=alpcafe)


# --- Invitations: the database is the outbox ---------------------------------------------------


@transaction.atomic
def invitations_create(*, alpcafe: AlpCafe, contacts: Iterable[Contact]) -> list[int]:
    """Invite ``contacts`` who accept mail and are not part of the AlpCafé yet.

    Side effects: Participation rows (status invited) and one invitation each in the outbox.
    Returns the ids of the new participations.
    """
    if not alpcafe.can_send_invitations:
        raise ValidationError(_("Only a scheduled AlpCafé can be sent invitations."))
    already = set(alpcafe.participations.values_list("contact_id", flat=True))
    invitees = [
        contact
        for contact in Contact.objects.mailable().filter(pk__in=[c.pk for c in contacts])
        if contact.pk not in already
    ]
    created = Participation.objects.bulk_create(
        [Participation(alpcafe=alpcafe, contact=c, status=Status.INVITED) for c in invitees],
        batch_size=1000,
    )
    messages_queue(
        kind=mail.InvitationMail,
        contacts=invitees,
        about=alpcafe,
        dedupe_key=lambda contact: f"{mail.InvitationMail.name}:{alpcafe.pk}:{contact.pk}",
    )
    return [p.pk for p in created]


# --- The organiser's side ------------------------------------------------------------------------


@transaction.atomic
def participation_check_in(*, participation: Participation, attended: bool = True) -> Participation:
    """Record (or undo) that the contact came. Attendance makes their stakeholder "involved".
    Raises ValidationError before the day of the AlpCafé."""
    changed_on_commit("alpcafes")  # seats left, attendance and outcomes are public
    if not participation.alpcafe.can_check_in and participation.alpcafe.state != AlpCafe.State.HELD:
        raise ValidationError(_("Check-in opens on the day of the AlpCafé."))
    participation.attended_at = timezone.now() if attended else None
    participation.save(update_fields=["attended_at"])
    # "Involved" counts in the directory change with attendance.
    transaction.on_commit(registry_changed)
    return participation


@transaction.atomic
def participation_walk_in(
    *, alpcafe: AlpCafe, first_name: str, last_name: str, email: str = "", organisation: str = ""
) -> Participation:
    """Someone came without registering: they are checked in at once. Side effects: a contact
    (the one with this address, if there is one; else a new one without any consent) and a
    registered, attended participation, whatever the capacity: they are in the room."""
    changed_on_commit("alpcafes")  # seats left, attendance and outcomes are public
    if not alpcafe.can_check_in:
        raise ValidationError(_("Check-in opens on the day of the AlpCafé."))
    contact = Contact.objects.filter(email__iexact=email).first() if email else None
    if contact is None:
        contact = Contact(
            first_name=first_name, last_name=last_name, email=email, role=organisation
        )
        contact.full_clean()
        contact.save()
    participation, _created = Participation.objects.get_or_create(
        alpcafe=alpcafe, contact=contact, defaults={"status": Status.REGISTERED}
    )
    participation.status, participation.waitlist_position = Status.REGISTERED, None
    participation.responded_at = participation.responded_at or timezone.now()
    participation.save(update_fields=["status", "waitlist_position", "responded_at"])
    return participation_check_in(participation=participation)


@transaction.atomic
def alpcafe_cancel(*, alpcafe: AlpCafe) -> AlpCafe:
    """Cancel an AlpCafé. Side effects: everyone registered or waitlisted is mailed; what was
    cached from AlpCafés is stale."""
    alpcafe = _lock(alpcafe)
    if not alpcafe.can_be_cancelled:
        raise ValidationError(_("This AlpCafé can no longer be cancelled."))
    alpcafe.state = AlpCafe.State.CANCELLED
    alpcafe.save(update_fields=["state", "updated_at"])
    changed_on_commit("alpcafes")
    contacts = Contact.objects.filter(
        participations__alpcafe=alpcafe,
        participations__status__in=[Status.REGISTERED, Status.WAITLISTED],
    )
    messages_queue(kind=mail.CancellationMail, contacts=contacts, about=alpcafe)
    return alpcafe


@transaction.atomic
def alpcafe_mark_held(
    *,
    alpcafe: AlpCafe,
    outcomes_summary: str = "",
    needs_heard: str = "",
    expectations_heard: str = "",
) -> AlpCafe:
    """Mark a past AlpCafé as held and record what was heard. Side effect: what was cached
    from AlpCafés is stale."""
    if alpcafe.state == AlpCafe.State.CANCELLED:
        raise ValidationError(_("A cancelled AlpCafé cannot be marked as held."))
    if not alpcafe.can_be_marked_held:
        raise ValidationError(_("An AlpCafé can be marked as held once it is over."))
    alpcafe.state = AlpCafe.State.HELD
    alpcafe.outcomes_summary = outcomes_summary or alpcafe.outcomes_summary
    alpcafe.needs_heard = needs_heard or alpcafe.needs_heard
    alpcafe.expectations_heard = expectations_heard or alpcafe.expectations_heard
    alpcafe.save()
    changed_on_commit("alpcafes")
    return alpcafe


@transaction.atomic
def alpcafe_record_outcomes(
    *, alpcafe: AlpCafe, outcomes_summary: str, needs_heard: str, expectations_heard: str
) -> AlpCafe:
    """Save what was heard, whatever the AlpCafé's state: an organiser may write it down during
    the AlpCafé and mark it held later."""
    changed_on_commit("alpcafes")  # seats left, attendance and outcomes are public
    alpcafe.outcomes_summary = outcomes_summary
    alpcafe.needs_heard = needs_heard
    alpcafe.expectations_heard = expectations_heard
    alpcafe.full_clean()
    alpcafe.save(
        update_fields=["outcomes_summary", "needs_heard", "expectations_heard", "updated_at"]
    )
    return alpcafe


# --- Reminders, selected by beat ---------------------------------------------------------------


def reminders_queue(*, now=None) -> int:
    """Queue the reminder of every registered participant of each AlpCafé whose reminder time
    has come; each participation gets one at most, however often this runs. Returns how many."""
    now = now or timezone.now()
    # Reminders are at most 30 days ahead; the hours are compared here, not in SQL, so that the
    # same code runs on SQLite.
    soon = AlpCafe.objects.filter(
        state=AlpCafe.State.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=31),
        reminder_hours__gt=0,
    )
    count = 0
    for alpcafe in soon:
        if alpcafe.reminder_due_at > now:
            continue
        registered = Contact.objects.filter(
            participations__alpcafe=alpcafe, participations__status=Status.REGISTERED
        )
        count += len(
            messages_queue(
                kind=mail.ReminderMail,
                contacts=registered,
                about=alpcafe,
                dedupe_key=lambda c, a=alpcafe: f"{mail.ReminderMail.name}:{a.pk}:{c.pk}",
            )
        )
    return count


def outcome_reminders_queue(*, now=None) -> int:
    """The day after an AlpCafé that is still "scheduled", ask each organiser (once) to record
    attendance and outcomes. Returns how many reminders were queued."""
    now = now or timezone.now()
    due = AlpCafe.objects.filter(
        state=AlpCafe.State.SCHEDULED,
        ends_at__lte=now - timedelta(days=1),
        ends_at__gt=now - timedelta(days=8),
    ).prefetch_related("organisers")
    count = 0
    for alpcafe in due:
        for organiser in alpcafe.organisers.all():
            contact = contact_for_user(user=organiser)
            count += len(
                messages_queue(
                    kind=mail.OutcomeReminderMail,
                    contacts=[contact],
                    about=alpcafe,
                    dedupe_key=lambda c, a=alpcafe: (
                        f"{mail.OutcomeReminderMail.name}:{a.pk}:{c.pk}"
                    ),
                )
            )
    return count
