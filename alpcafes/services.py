"""Writes for AlpCafés and their participations. Views, admin, commands and tasks call these."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from common.queueing import enqueue_on_commit
from common.slugs import unique_slug
from stakeholders.models import Contact
from stakeholders.selectors import registry_changed

from .models import AlpCafe, Participation

INVITATION_BATCH = 200

Status = Participation.Status


RESERVED_SLUGS = {"new", "rsvp"}


def _unique_slug(title: str, starts_at) -> str:
    return unique_slug(
        AlpCafe, f"{title} {starts_at:%Y-%m-%d}", reserved=RESERVED_SLUGS, suffix="alpcafe"
    )


@transaction.atomic
def alpcafe_save(*, alpcafe: AlpCafe, organisers: Iterable = ()) -> AlpCafe:
    """Create or update an AlpCafé after full validation; the creator organises it."""
    if not alpcafe.slug:
        alpcafe.slug = _unique_slug(alpcafe.title, alpcafe.starts_at)
    alpcafe.full_clean()
    alpcafe.save()
    if organisers:
        alpcafe.organisers.add(*organisers)
    return alpcafe


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

    Safe under concurrency: the AlpCafé row is locked while seats are counted and taken.
    Raises ValidationError when registration is closed.
    """
    alpcafe = _lock(alpcafe)
    if not alpcafe.is_open_for_registration:
        raise ValidationError(_("Registration for this AlpCafé is closed."))
    participation, _created = Participation.objects.select_for_update().get_or_create(
        alpcafe=alpcafe, contact=contact, defaults={"status": Status.INVITED}
    )
    if participation.status in (Status.REGISTERED, Status.WAITLISTED):
        return participation
    if seats_taken(alpcafe) < alpcafe.capacity:
        participation.status, participation.waitlist_position = Status.REGISTERED, None
    else:
        participation.status = Status.WAITLISTED
        participation.waitlist_position = _next_waitlist_position(alpcafe)
    participation.responded_at = timezone.now()
    participation.save(update_fields=["status", "waitlist_position", "responded_at"])
    return participation


@transaction.atomic
def participation_decline(*, participation: Participation) -> Participation:
    """Decline an invitation, or cancel a registration or a waitlist place.

    Side effects: a freed seat goes to the first on the waitlist, who is mailed.
    """
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
    while seats_taken(alpcafe) < alpcafe.capacity:
        first = alpcafe.participations.select_for_update().waitlisted().first()
        if first is None:
            return
        first.status, first.waitlist_position = Status.REGISTERED, None
        first.save(update_fields=["status", "waitlist_position"])
        from .tasks import send_promotion_task

        enqueue_on_commit(send_promotion_task, participation_id=first.pk)


# --- Invitations: the database is the outbox ---------------------------------------------------


@transaction.atomic
def invitations_create(*, alpcafe: AlpCafe, contacts: Iterable[Contact]) -> list[int]:
    """Queue invitations for ``contacts`` who accept mail and are not invited yet.

    Side effects: Participation rows (status invited, queued now) and, after the commit, Celery
    tasks in batches. If the broker is down the rows stay queued; the periodic sweep sends them.
    Returns the ids of the new participations.
    """
    if alpcafe.state != AlpCafe.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled AlpCafé can be sent invitations."))
    now = timezone.now()
    already = set(alpcafe.participations.values_list("contact_id", flat=True))
    rows = [
        Participation(
            alpcafe=alpcafe, contact=contact, status=Status.INVITED, invitation_queued_at=now
        )
        for contact in Contact.objects.mailable().filter(pk__in=[c.pk for c in contacts])
        if contact.pk not in already
    ]
    created = Participation.objects.bulk_create(rows, batch_size=1000)
    ids = [p.pk for p in created]
    queue_invitations(alpcafe_id=alpcafe.pk, participation_ids=ids)
    return ids


def queue_invitations(*, alpcafe_id: int, participation_ids: list[int]) -> None:
    from .tasks import send_invitations_task

    for start in range(0, len(participation_ids), INVITATION_BATCH):
        enqueue_on_commit(
            send_invitations_task,
            alpcafe_id=alpcafe_id,
            participation_ids=participation_ids[start : start + INVITATION_BATCH],
        )


# --- The organiser's side ------------------------------------------------------------------------


@transaction.atomic
def participation_check_in(*, participation: Participation, attended: bool = True) -> Participation:
    """Record (or undo) that the contact came. Attendance makes their stakeholder "involved"."""
    participation.attended_at = timezone.now() if attended else None
    participation.save(update_fields=["attended_at"])
    # "Involved" counts in the directory change with attendance.
    transaction.on_commit(registry_changed)
    return participation


@transaction.atomic
def alpcafe_cancel(*, alpcafe: AlpCafe) -> AlpCafe:
    """Cancel an AlpCafé. Side effects: everyone registered or waitlisted is mailed."""
    alpcafe = _lock(alpcafe)
    if alpcafe.state in (AlpCafe.State.CANCELLED, AlpCafe.State.HELD):
        raise ValidationError(_("This AlpCafé can no longer be cancelled."))
    alpcafe.state = AlpCafe.State.CANCELLED
    alpcafe.save(update_fields=["state", "updated_at"])
    ids = list(
        alpcafe.participations.filter(
            status__in=[Status.REGISTERED, Status.WAITLISTED]
        ).values_list("pk", flat=True)
    )
    from .tasks import send_cancellation_task

    for start in range(0, len(ids), INVITATION_BATCH):
        enqueue_on_commit(
            send_cancellation_task,
            run_inline_if_broker_down=True,
            alpcafe_id=alpcafe.pk,
            participation_ids=ids[start : start + INVITATION_BATCH],
        )
    return alpcafe


@transaction.atomic
def alpcafe_mark_held(
    *,
    alpcafe: AlpCafe,
    outcomes_summary: str = "",
    needs_heard: str = "",
    expectations_heard: str = "",
) -> AlpCafe:
    """Mark a past AlpCafé as held and record what was heard."""
    if alpcafe.state == AlpCafe.State.CANCELLED:
        raise ValidationError(_("A cancelled AlpCafé cannot be marked as held."))
    if alpcafe.starts_at > timezone.now():
        raise ValidationError(_("An AlpCafé can be marked as held once it has started."))
    alpcafe.state = AlpCafe.State.HELD
    alpcafe.outcomes_summary = outcomes_summary or alpcafe.outcomes_summary
    alpcafe.needs_heard = needs_heard or alpcafe.needs_heard
    alpcafe.expectations_heard = expectations_heard or alpcafe.expectations_heard
    alpcafe.save()
    return alpcafe
