"""Writes of partnerships. Views, the admin and the beat task call these; nothing else writes.

Every write makes the cached public pages of the "partnerships" domain stale once it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common import audit
from common.slugs import unique_slug
from common.versions import changed_on_commit
from outbox.services import message_queue, messages_queue
from stakeholders.models import Contact, Sector, Stakeholder
from stakeholders.services import contact_for_user

from . import mail
from .models import (
    DEFAULT_VALIDITY,
    MAX_VALIDITY,
    REMINDER_BEFORE_EXPIRY,
    Attendee,
    ExpressionOfInterest,
    Matchmaking,
    MeetingRequest,
    MeetingSlot,
    Opportunity,
)

State = Opportunity.State
DOMAIN = "partnerships"
#: Paths under /partnerships/ that a slug must never shadow.
RESERVED_SLUGS = {"new", "mine", "moderation", "feed", "renew", "interest", "meetings"}

SEARCH_UPDATE_SQL = """
UPDATE partnerships_opportunity AS o SET search_document =
    setweight(to_tsvector('alpclusters', o.title), 'A')
 || setweight(to_tsvector('alpclusters', coalesce((
        SELECT string_agg(concat_ws(' ', sector.name, sector.name_de, sector.name_fr,
                                     sector.name_it, sector.name_sl), ' ')
          FROM partnerships_opportunity_sectors AS link
          JOIN stakeholders_sector AS sector ON sector.id = link.sector_id
         WHERE link.opportunity_id = o.id), '')), 'B')
 || setweight(to_tsvector('alpclusters', coalesce((
        SELECT s.name FROM stakeholders_stakeholder AS s WHERE s.id = o.stakeholder_id), '')), 'B')
 || setweight(to_tsvector('alpclusters', o.summary), 'C')
"""


def opportunity_refresh_search(*, ids: Iterable[int] | None = None) -> None:
    """Recompute the search index of the given opportunities (all when ``ids`` is None).
    PostgreSQL only; on SQLite the search reads the columns."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(SEARCH_UPDATE_SQL)
        else:
            cursor.execute(SEARCH_UPDATE_SQL + " WHERE o.id = ANY(%s)", [list(ids)])


def _check_expiry(expires_on: date) -> None:
    today = timezone.localdate()
    if not today < expires_on <= today + MAX_VALIDITY:
        raise ValidationError(
            {"expires_on": _("Choose an expiry date from tomorrow to one year ahead.")}
        )


@transaction.atomic
def opportunity_save(
    *,
    stakeholder: Stakeholder,
    user,
    type: str,
    category: str,
    title: str,
    summary: str,
    sectors: Iterable[Sector] = (),
    countries_sought: Iterable[str] = (),
    kinds_sought: Iterable[str] = (),
    expires_on: date,
    language: str = "en",
    opportunity: Opportunity | None = None,
) -> Opportunity:
    """Create an opportunity for ``stakeholder``, or change one; either way it waits for a
    moderator (a published one leaves the public list until approved again). No mail: the
    moderators' notices count what waits. Raises ValidationError."""
    if not stakeholder.is_published:
        raise ValidationError(_("Only a published organisation can publish opportunities."))
    _check_expiry(expires_on)
    if opportunity is None:
        opportunity = Opportunity(stakeholder=stakeholder, created_by=user)
    else:
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if not opportunity.can_be_edited:
            raise ValidationError(_("A closed opportunity cannot be changed."))
    opportunity.type, opportunity.category = type, category
    opportunity.title, opportunity.summary = title.strip(), summary.strip()
    opportunity.countries_sought_list = countries_sought
    opportunity.kinds_sought_list = kinds_sought
    opportunity.expires_on, opportunity.language = expires_on, language
    opportunity.state, opportunity.rejection_reason = State.PENDING, ""
    if not opportunity.slug:
        opportunity.slug = unique_slug(
            Opportunity, opportunity.title, reserved=RESERVED_SLUGS, suffix="opportunity"
        )
    opportunity.full_clean()
    opportunity.save()
    opportunity.sectors.set(list(sectors))
    opportunity_refresh_search(ids=[opportunity.pk])
    changed_on_commit(DOMAIN)
    return opportunity


def _queue_decision_mail(opportunity: Opportunity, moderator) -> None:
    if opportunity.created_by_id and opportunity.created_by_id != getattr(moderator, "pk", None):
        message_queue(
            kind=mail.OpportunityDecisionMail,
            contact=contact_for_user(user=opportunity.created_by),
            about=opportunity,
            data={
                "published": opportunity.state == State.PUBLISHED,
                "reason": opportunity.rejection_reason,
            },
        )


@transaction.atomic
def opportunity_approve(*, opportunity: Opportunity, moderator=None) -> Opportunity:
    """Publish an opportunity waiting for review. An expiry date that has passed meanwhile moves
    to the default validity. Side effects: the member who wrote it is mailed the decision."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.state != State.PENDING:
        raise ValidationError(_("Only an opportunity waiting for review can be published."))
    now = timezone.now()
    opportunity.state, opportunity.rejection_reason = State.PUBLISHED, ""
    opportunity.published_at = now
    if opportunity.expires_on <= timezone.localdate():
        opportunity.expires_on = timezone.localdate() + DEFAULT_VALIDITY
    opportunity.save(
        update_fields=["state", "rejection_reason", "published_at", "expires_on", "updated_at"]
    )
    changed_on_commit(DOMAIN)
    _queue_decision_mail(opportunity, moderator)
    audit.record(user=moderator, obj=opportunity, message="Published")
    return opportunity


@transaction.atomic
def opportunity_reject(*, opportunity: Opportunity, reason: str, moderator=None) -> Opportunity:
    """Reject an opportunity waiting for review, or take a published one down, with a reason.
    Side effects: the member who wrote it is mailed the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.state not in (State.PENDING, State.PUBLISHED):
        raise ValidationError(_("This opportunity is no longer under review."))
    opportunity.state, opportunity.rejection_reason = State.REJECTED, reason
    opportunity.save(update_fields=["state", "rejection_reason", "updated_at"])
    changed_on_commit(DOMAIN)
    _queue_decision_mail(opportunity, moderator)
    audit.record(user=moderator, obj=opportunity, message=f"Rejected: {reason}")
    return opportunity


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, user=None) -> Opportunity:
    """The owner found their partner (or gave up): the opportunity leaves the open list and takes
    no more interest. No mail."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not opportunity.can_be_closed:
        raise ValidationError(_("This opportunity cannot be closed."))
    opportunity.state, opportunity.closed_at = State.CLOSED, timezone.now()
    opportunity.save(update_fields=["state", "closed_at", "updated_at"])
    changed_on_commit(DOMAIN)
    audit.record(user=user, obj=opportunity, message="Closed")
    return opportunity


def renewed_until(opportunity: Opportunity, today: date | None = None) -> date:
    """The expiry date a renewal gives: the default validity from today (never shorter than
    what is left)."""
    today = today or timezone.localdate()
    return max(opportunity.expires_on, today + DEFAULT_VALIDITY)


@transaction.atomic
def opportunity_renew(
    *, opportunity: Opportunity, expected_expiry: date | None = None
) -> Opportunity:
    """Keep a published opportunity open for the default validity from today (an expired one
    opens again). ``expected_expiry`` (from a renewal link) must still be the expiry date: a
    link renews once. No mail. Raises ValidationError."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not opportunity.can_be_renewed:
        raise ValidationError(_("Only a published opportunity can be renewed."))
    if expected_expiry is not None and opportunity.expires_on != expected_expiry:
        raise ValidationError(_("This opportunity was renewed already."))
    opportunity.expires_on = renewed_until(opportunity)
    opportunity.save(update_fields=["expires_on", "updated_at"])
    changed_on_commit(DOMAIN)
    return opportunity


def opportunity_reminders_queue(*, today: date | None = None) -> int:
    """Remind the member who published each open opportunity expiring within two weeks, once per
    expiry date (a renewal gives a new one), with a one-click renewal link. Returns how many were
    queued."""
    today = today or timezone.localdate()
    due = (
        Opportunity.objects.open(today)
        .filter(expires_on__lte=today + REMINDER_BEFORE_EXPIRY, created_by__isnull=False)
        .select_related("created_by")
    )
    count = 0
    for opportunity in due:
        contact = Contact.objects.filter(user=opportunity.created_by_id).first()
        if contact is None or not contact.email:
            continue
        with transaction.atomic():
            count += len(
                messages_queue(
                    kind=mail.OpportunityExpiryMail,
                    contacts=[contact],
                    about=opportunity,
                    data={"expires_on": opportunity.expires_on.isoformat()},
                    dedupe_key=lambda c, o=opportunity: (
                        f"{mail.OpportunityExpiryMail.name}:{o.pk}:{o.expires_on.isoformat()}"
                    ),
                )
            )
    return count


# --- Expressions of interest --------------------------------------------------------------------


@transaction.atomic
def interest_express(
    *, opportunity: Opportunity, sender, message: str, share_phone: bool = False
) -> ExpressionOfInterest:
    """A member of another organisation tells the owner they are interested. The message is
    passed on without the sender's address. Side effects: a mail to each member of the owning
    organisation (who accepts mail). Raises ValidationError."""
    from . import permissions

    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not permissions.can_express_interest(sender, opportunity):
        raise ValidationError(_("You cannot express interest in this opportunity."))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say in a few words why you are interested.")})
    interest = ExpressionOfInterest(
        opportunity=opportunity,
        sender=sender,
        sender_stakeholder_id=permissions.organisation_id(sender),
        message=message,
        sender_shares_phone=share_phone,
    )
    interest.full_clean()
    try:
        with transaction.atomic():
            interest.save()
    except IntegrityError:  # the same organisation, a moment before
        raise ValidationError(
            _("Your organisation has already expressed interest in this opportunity.")
        ) from None
    messages_queue(
        kind=mail.InterestReceivedMail,
        contacts=owner_contacts(opportunity),
        about=interest,
    )
    changed_on_commit(DOMAIN)
    return interest


def owner_contacts(opportunity: Opportunity):
    """The members of the owning organisation who hear of interest: those with an account."""
    return Contact.objects.filter(
        stakeholder_id=opportunity.stakeholder_id, user__isnull=False
    ).exclude(email="")


@transaction.atomic
def interest_decide(
    *, interest: ExpressionOfInterest, user, accept: bool, share_phone: bool = False
) -> ExpressionOfInterest:
    """The owner accepts or declines. On acceptance both sides are mailed each other's name,
    organisation, role and e-mail address (and phone, where its owner chose to share it); on
    declining, the sender is told, without anyone's address. Raises ValidationError."""
    interest = (
        ExpressionOfInterest.objects.select_for_update()
        .select_related("opportunity")
        .get(pk=interest.pk)
    )
    if not interest.is_pending:
        raise ValidationError(_("This expression of interest was answered already."))
    interest.status = (
        ExpressionOfInterest.Status.ACCEPTED if accept else ExpressionOfInterest.Status.DECLINED
    )
    interest.decided_by, interest.decided_at = user, timezone.now()
    interest.owner_shares_phone = bool(accept and share_phone)
    interest.save(update_fields=["status", "decided_by", "decided_at", "owner_shares_phone"])
    sender_contact = contact_for_user(user=interest.sender)
    if accept:
        owner_contact = contact_for_user(user=user)
        message_queue(
            kind=mail.InterestAcceptedMail,
            contact=sender_contact,
            about=interest,
            data={"side": "sender"},
        )
        message_queue(
            kind=mail.InterestAcceptedMail,
            contact=owner_contact,
            about=interest,
            data={"side": "owner"},
        )
    else:
        message_queue(kind=mail.InterestDeclinedMail, contact=sender_contact, about=interest)
    changed_on_commit(DOMAIN)
    return interest


# --- 1:1 meetings at AlpCafés -------------------------------------------------------------------


def _meetings_changed():
    changed_on_commit(DOMAIN)


@transaction.atomic
def matchmaking_setup(
    *,
    alpcafe,
    first_start,
    slot_minutes: int,
    slot_count: int,
    tables: int,
    is_open: bool = True,
) -> Matchmaking:
    """Turn matchmaking on for an AlpCafé (or change it): ``slot_count`` slots of
    ``slot_minutes`` from ``first_start``, and ``tables`` tables. Changed slots drop the
    meetings' placements (the organiser schedules again); unchanged ones keep them. No mail."""
    from .models import MAX_SLOTS, MAX_TABLES

    if alpcafe.state not in ("scheduled", "draft"):
        raise ValidationError(_("Matchmaking is for an AlpCafé that has not taken place yet."))
    if not 1 <= slot_count <= MAX_SLOTS or not 5 <= slot_minutes <= 240:
        raise ValidationError(_("Between 1 and 24 slots of 5 to 240 minutes."))
    if not 1 <= tables <= MAX_TABLES:
        raise ValidationError(_("Between 1 and 200 tables."))
    starts = [first_start + timedelta(minutes=slot_minutes * i) for i in range(slot_count)]
    if starts[0] < alpcafe.starts_at - timedelta(hours=12) or starts[
        -1
    ] > alpcafe.ends_at + timedelta(hours=12):
        raise ValidationError(_("The slots must lie within the AlpCafé's day."))
    matchmaking, _created = Matchmaking.objects.select_for_update().get_or_create(
        alpcafe=alpcafe, defaults={"tables": tables, "is_open": is_open}
    )
    matchmaking.tables, matchmaking.is_open = tables, is_open
    matchmaking.full_clean()
    matchmaking.save()
    wanted = {(s, s + timedelta(minutes=slot_minutes)) for s in starts}
    existing = {(s.starts_at, s.ends_at): s for s in matchmaking.slots.all()}
    gone = [slot.pk for key, slot in existing.items() if key not in wanted]
    if gone:
        MeetingRequest.objects.filter(slot_id__in=gone).update(slot=None, table=None)
        MeetingSlot.objects.filter(pk__in=gone).delete()
    MeetingSlot.objects.bulk_create(
        [
            MeetingSlot(matchmaking=matchmaking, starts_at=start, ends_at=end)
            for start, end in sorted(wanted - set(existing))
        ]
    )
    MeetingRequest.objects.filter(matchmaking=matchmaking, table__gt=tables).update(
        slot=None, table=None
    )
    _meetings_changed()
    return matchmaking


@transaction.atomic
def attendee_join(*, matchmaking: Matchmaking, participation) -> Attendee:
    """A registered participant joins the matchmaking: the other participants see their name,
    organisation and open opportunities from now on. No mail."""
    if not matchmaking.is_open:
        raise ValidationError(_("Meeting requests are closed for this AlpCafé."))
    if participation.alpcafe_id != matchmaking.alpcafe_id or participation.status != "registered":
        raise ValidationError(_("Only registered participants take part in the meetings."))
    attendee, _created = Attendee.objects.get_or_create(
        matchmaking=matchmaking, participation=participation
    )
    _meetings_changed()
    return attendee


@transaction.atomic
def attendee_set_unavailable(*, attendee: Attendee, slots) -> Attendee:
    """The slots the person cannot meet in. Raises ValidationError, changing nothing, when a
    meeting is already placed in one of them: it would vanish from the other person's agenda
    without a word (the organiser moves it first). No mail."""
    slots = [s for s in slots if s.matchmaking_id == attendee.matchmaking_id]
    placed = list(
        MeetingRequest.objects.filter(Q(requester=attendee) | Q(invitee=attendee), slot__in=slots)
        .select_related(
            "slot", "requester__participation__contact", "invitee__participation__contact"
        )
        .order_by("slot__starts_at")
    )
    if placed:
        raise ValidationError(
            _(
                "You already have a meeting at %(times)s. Ask the organiser to move it before "
                "you mark that time as unavailable; nothing was changed."
            )
            % {"times": ", ".join(str(meeting.slot) for meeting in placed)}
        )
    attendee.unavailable.set(slots)
    _meetings_changed()
    return attendee


@transaction.atomic
def meeting_request(*, requester: Attendee, invitee: Attendee, message: str = "") -> MeetingRequest:
    """Ask another participant for a meeting. Side effects: a mail to them. Raises
    ValidationError (closed, oneself, asked already either way)."""
    matchmaking = requester.matchmaking
    if not matchmaking.is_open:
        raise ValidationError(_("Meeting requests are closed for this AlpCafé."))
    if invitee.matchmaking_id != matchmaking.pk or invitee.pk == requester.pk:
        raise ValidationError(_("You cannot ask this person for a meeting."))
    if MeetingRequest.objects.filter(
        Q(requester=requester, invitee=invitee) | Q(requester=invitee, invitee=requester)
    ).exists():
        raise ValidationError(_("You have already asked each other for a meeting."))
    meeting = MeetingRequest.objects.create(
        matchmaking=matchmaking, requester=requester, invitee=invitee, message=message.strip()
    )
    message_queue(
        kind=mail.MeetingRequestMail, contact=invitee.participation.contact, about=meeting
    )
    _meetings_changed()
    return meeting


@transaction.atomic
def meeting_answer(*, meeting: MeetingRequest, attendee: Attendee, accept: bool) -> MeetingRequest:
    """The person asked accepts or declines. Accepted requests wait for the scheduler. No mail
    (the agenda brings the time and the table)."""
    meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    if meeting.invitee_id != attendee.pk or not meeting.is_pending:
        raise ValidationError(_("This meeting request was answered already."))
    meeting.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    meeting.decided_at = timezone.now()
    meeting.save(update_fields=["status", "decided_at"])
    _meetings_changed()
    return meeting


def _scheduling_input(matchmaking: Matchmaking):
    from .scheduling import Request

    accepted = list(
        MeetingRequest.objects.filter(
            matchmaking=matchmaking, status=MeetingRequest.Status.ACCEPTED
        ).only("pk", "requester_id", "invitee_id", "slot_id", "table")
    )
    requests = [Request(m.pk, m.requester_id, m.invitee_id) for m in accepted]
    unavailable: dict[int, set] = {}
    through = Attendee.unavailable.through.objects.filter(attendee__matchmaking=matchmaking)
    for attendee_id, slot_id in through.values_list("attendee_id", "meetingslot_id"):
        unavailable.setdefault(attendee_id, set()).add(slot_id)
    return accepted, requests, unavailable


@transaction.atomic
def meetings_schedule(*, matchmaking: Matchmaking) -> dict[str, int]:
    """Give every accepted request a slot and a table where possible (partnerships.scheduling),
    keeping earlier placements that are still valid. No mail: the organiser sends the agendas.
    Returns {"scheduled", "accepted", "bound"}."""
    from .scheduling import schedule, upper_bound

    matchmaking = Matchmaking.objects.select_for_update().get(pk=matchmaking.pk)
    slots = list(matchmaking.slots.values_list("pk", flat=True))
    accepted, requests, unavailable = _scheduling_input(matchmaking)
    previous = {m.pk: (m.slot_id, m.table) for m in accepted if m.slot_id}
    placement = schedule(requests, slots, matchmaking.tables, unavailable, previous)
    # Clear first: the unique (slot, table) constraint holds at every row update.
    MeetingRequest.objects.filter(matchmaking=matchmaking).update(slot=None, table=None)
    for meeting in accepted:
        meeting.slot_id, meeting.table = placement.get(meeting.pk, (None, None))
    MeetingRequest.objects.bulk_update(
        [m for m in accepted if m.slot_id], ["slot", "table"], batch_size=1000
    )
    matchmaking.scheduled_at = timezone.now()
    matchmaking.save(update_fields=["scheduled_at"])
    _meetings_changed()
    return {
        "scheduled": len(placement),
        "accepted": len(requests),
        "bound": upper_bound(requests, slots, matchmaking.tables, unavailable),
    }


@transaction.atomic
def meeting_move(*, meeting: MeetingRequest, slot: MeetingSlot, table: int) -> MeetingRequest:
    """The organiser moves an accepted meeting to another slot and table: refused if either
    person is busy or unavailable then, or the table is taken. No mail (send the agendas
    again)."""
    meeting = MeetingRequest.objects.select_for_update().get(pk=meeting.pk)
    matchmaking = Matchmaking.objects.select_for_update().get(pk=meeting.matchmaking_id)
    if meeting.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted meeting has a place in the grid."))
    if slot.matchmaking_id != matchmaking.pk or not 1 <= table <= matchmaking.tables:
        raise ValidationError(_("No such slot or table."))
    people = {meeting.requester_id, meeting.invitee_id}
    others = MeetingRequest.objects.filter(slot=slot).exclude(pk=meeting.pk)
    if others.filter(table=table).exists():
        raise ValidationError(_("This table is taken in that slot."))
    if others.filter(Q(requester_id__in=people) | Q(invitee_id__in=people)).exists():
        raise ValidationError(_("One of the two has another meeting in that slot."))
    if Attendee.unavailable.through.objects.filter(
        attendee_id__in=people, meetingslot_id=slot.pk
    ).exists():
        raise ValidationError(_("One of the two is not available in that slot."))
    meeting.slot, meeting.table = slot, table
    meeting.save(update_fields=["slot", "table"])
    _meetings_changed()
    return meeting


def agenda_of(attendee: Attendee) -> list[MeetingRequest]:
    return list(
        MeetingRequest.objects.filter(
            Q(requester=attendee) | Q(invitee=attendee), slot__isnull=False
        )
        .select_related(
            "slot",
            "requester__participation__contact__stakeholder",
            "invitee__participation__contact__stakeholder",
        )
        .order_by("slot__starts_at")
    )


@transaction.atomic
def agendas_send(*, matchmaking: Matchmaking) -> int:
    """Mail each participant with a meeting their personal agenda (with an .ics), once per
    version of their agenda: sending again reaches only those whose agenda changed. Returns
    how many were queued."""
    import hashlib

    count = 0
    attendees = Attendee.objects.filter(matchmaking=matchmaking).select_related(
        "participation__contact"
    )
    for attendee in attendees:
        agenda = agenda_of(attendee)
        if not agenda:
            continue
        digest = hashlib.blake2b(
            repr([(m.pk, m.slot_id, m.table) for m in agenda]).encode(), digest_size=8
        ).hexdigest()
        sent = message_queue(
            kind=mail.AgendaMail,
            contact=attendee.participation.contact,
            about=attendee,
            dedupe_key=f"{mail.AgendaMail.name}:{attendee.pk}:{digest}",
        )
        count += sent is not None
    return count
