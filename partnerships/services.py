"""Writes of partnerships. Views, the admin and the beat task call these; nothing else writes.

Every write makes the cached public pages of the "partnerships" domain stale once it commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
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
    ExpressionOfInterest,
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
        SELECT string_agg(sector.name, ' ')
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
