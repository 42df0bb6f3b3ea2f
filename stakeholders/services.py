"""Writes to the registry. Views, forms, admin actions, commands and tasks all come through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone, translation

from common import audit
from common.slugs import unique_slug as common_unique_slug
from outbox.models import Message
from outbox.services import message_queue, messages_queue

from .models import (
    ConsentEvent,
    Contact,
    ContactMessage,
    JoinRequest,
    Sector,
    Stakeholder,
    User,
)
from .selectors import registry_changed

#: Sent inside the merge transaction so that other apps move their rows that point at a stakeholder
#: (endorsements, say). Arguments: survivor, duplicates (a list of Stakeholder).
stakeholders_merged = Signal()

# Paths under /stakeholders/ that a slug must never shadow.
RESERVED_SLUGS = {"map", "register", "moderation", "export", "me", "join-requests"}

SEARCH_UPDATE_SQL = """
UPDATE stakeholders_stakeholder AS s SET search_document =
    setweight(to_tsvector('alpclusters', s.name), 'A')
 || setweight(to_tsvector('alpclusters', s.city || ' ' || s.region), 'B')
 || setweight(to_tsvector('alpclusters', coalesce((
        SELECT string_agg(concat_ws(' ', sector.name, sector.name_de, sector.name_fr,
                                     sector.name_it, sector.name_sl), ' ')
          FROM stakeholders_stakeholder_sectors AS link
          JOIN stakeholders_sector AS sector ON sector.id = link.sector_id
         WHERE link.stakeholder_id = s.id), '')), 'B')
 || setweight(to_tsvector('alpclusters', s.description), 'C')
"""


def stakeholder_refresh_search(*, ids: Iterable[int] | None = None) -> None:
    """Recompute the search index of the given stakeholders (all when ``ids`` is None).

    Every change of a stakeholder's content passes here, so this also makes the cached directory
    figures stale. The index is PostgreSQL's; on SQLite the directory searches the columns.
    """
    transaction.on_commit(registry_changed)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(SEARCH_UPDATE_SQL)
        else:
            cursor.execute(SEARCH_UPDATE_SQL + " WHERE s.id = ANY(%s)", [list(ids)])


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    return common_unique_slug(
        Stakeholder, name, reserved=RESERVED_SLUGS, suffix="org", exclude_pk=exclude_pk
    )


@transaction.atomic
def stakeholder_create(
    *,
    name: str,
    kind: str,
    country: str,
    origin: str,
    state: str = Stakeholder.State.PENDING,
    sectors: Iterable[Sector] = (),
    submitted_by: User | None = None,
    **fields,
) -> Stakeholder:
    """Create a stakeholder after full validation, and index it for search."""
    stakeholder = Stakeholder(
        name=name,
        kind=kind,
        country=country,
        origin=origin,
        state=state,
        submitted_by=submitted_by,
        slug=unique_slug(name),
        **fields,
    )
    stakeholder.full_clean()
    stakeholder.save()
    stakeholder.sectors.set(sectors)
    stakeholder_refresh_search(ids=[stakeholder.pk])
    return stakeholder


@transaction.atomic
def stakeholder_update(
    *, stakeholder: Stakeholder, sectors=None, by: User | None = None, **fields
) -> Stakeholder:
    """Change fields (and sectors) of a stakeholder, keeping its slug and search index in step.
    Side effects: with ``by``, the audit trail notes who changed which fields."""
    for name, value in fields.items():
        setattr(stakeholder, name, value)
    stakeholder.full_clean()
    stakeholder.save()
    if sectors is not None:
        stakeholder.sectors.set(sectors)
    stakeholder_refresh_search(ids=[stakeholder.pk])
    audit.record(user=by, obj=stakeholder, message="Changed: " + ", ".join(sorted(fields)))
    return stakeholder


@transaction.atomic
def stakeholder_register(
    *, user: User, sectors: Iterable[Sector] = (), role: str = "", **fields
) -> Stakeholder:
    """A member registers an organisation: it waits for a moderator.

    Side effects: the member's Contact (claimed if one was mapped with their address, else
    created) is linked to the new stakeholder when it had none.
    """
    stakeholder = stakeholder_create(
        origin=Stakeholder.Origin.SELF_REGISTERED,
        state=Stakeholder.State.PENDING,
        submitted_by=user,
        sectors=sectors,
        **fields,
    )
    contact = contact_for_user(user=user)
    if contact.stakeholder_id is None:
        contact.stakeholder = stakeholder
        if role:
            contact.role = role
        contact.save(update_fields=["stakeholder", "role", "updated_at"])
    return stakeholder


def _queue_decision_mail(stakeholder: Stakeholder) -> None:
    from .mail import DecisionMail

    transaction.on_commit(registry_changed)
    if stakeholder.submitted_by_id:
        message_queue(
            kind=DecisionMail,
            contact=contact_for_user(user=stakeholder.submitted_by),
            about=stakeholder,
            data={
                "published": stakeholder.state == Stakeholder.State.PUBLISHED,
                "reason": stakeholder.rejection_reason,
            },
        )


@transaction.atomic
def stakeholder_publish(*, stakeholder: Stakeholder, moderator: User | None = None) -> Stakeholder:
    """Publish a stakeholder. Side effects: its submitter (if any) is mailed the decision; the
    audit trail notes the moderator."""
    stakeholder.state = Stakeholder.State.PUBLISHED
    stakeholder.rejection_reason = ""
    stakeholder.save(update_fields=["state", "rejection_reason", "updated_at"])
    _queue_decision_mail(stakeholder)
    audit.record(user=moderator, obj=stakeholder, message="Published")
    return stakeholder


@transaction.atomic
def stakeholder_reject(
    *, stakeholder: Stakeholder, reason: str, moderator: User | None = None
) -> Stakeholder:
    """Reject a stakeholder with a reason. Side effects: its submitter is mailed the reason; the
    audit trail notes the moderator."""
    reason = reason.strip()
    if not reason:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"reason": _("Please give the reason for the rejection.")})
    stakeholder.state = Stakeholder.State.REJECTED
    stakeholder.rejection_reason = reason
    stakeholder.save(update_fields=["state", "rejection_reason", "updated_at"])
    _queue_decision_mail(stakeholder)
    audit.record(user=moderator, obj=stakeholder, message=f"Rejected: {reason}")
    return stakeholder


@transaction.atomic
def stakeholders_merge(
    *, survivor: Stakeholder, duplicates: Iterable[Stakeholder], by: User | None = None
) -> Stakeholder:
    """Fold ``duplicates`` into ``survivor`` and delete them.

    Their contacts (and with them every AlpCafé participation), relayed messages and sectors move
    to the survivor; empty fields of the survivor are filled from the duplicates; other apps move
    their own rows on the ``stakeholders_merged`` signal.
    """
    duplicates = [d for d in duplicates if d.pk != survivor.pk]
    if not duplicates:
        return survivor
    ids = [d.pk for d in duplicates]
    Stakeholder.objects.select_for_update().filter(pk__in=[survivor.pk, *ids]).count()
    Contact.objects.filter(stakeholder_id__in=ids).update(stakeholder=survivor)
    ContactMessage.objects.filter(stakeholder_id__in=ids).update(stakeholder=survivor)
    survivor.sectors.add(*Sector.objects.filter(stakeholders__in=ids).distinct())
    for field in ("region", "city", "website", "description", "latitude", "longitude"):
        if getattr(survivor, field) in ("", None):
            for duplicate in duplicates:
                if getattr(duplicate, field) not in ("", None):
                    setattr(survivor, field, getattr(duplicate, field))
                    break
    survivor.is_partner = survivor.is_partner or any(d.is_partner for d in duplicates)
    survivor.save()
    stakeholders_merged.send(sender=Stakeholder, survivor=survivor, duplicates=duplicates)
    audit.record(
        user=by,
        obj=survivor,
        message="Merged into it: " + "; ".join(f"{d.name} (#{d.pk})" for d in duplicates),
    )
    Stakeholder.objects.filter(pk__in=ids).delete()
    stakeholder_refresh_search(ids=[survivor.pk])
    return survivor


# --- Contacts and consent ------------------------------------------------------------------------


def contact_claim(*, user: User) -> Contact | None:
    """Link the member to the Contact mapped with their (verified) address, if there is one."""
    contact = (
        Contact.objects.select_for_update()
        .filter(email__iexact=user.email, user__isnull=True)
        .first()
    )
    if contact is not None:
        contact.user = user
        contact.save(update_fields=["user", "updated_at"])
    return contact


@transaction.atomic
def contact_for_user(*, user: User) -> Contact:
    """The member's Contact: their own, else the one mapped with their address, else a new one."""
    existing = Contact.objects.filter(user=user).first()
    if existing is not None:
        return existing
    claimed = contact_claim(user=user)
    if claimed is not None:
        return claimed
    return Contact.objects.create(
        user=user,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        language=(translation.get_language() or "en")[:2],
    )


CONSENT_FIELDS = {
    ConsentEvent.Kind.LISTING: ("listing_consent_at", "listing_consent_source"),
    ConsentEvent.Kind.MAIL: ("mail_consent_at", "mail_consent_source"),
}


@transaction.atomic
def contact_set_consent(*, contact: Contact, kind: str, granted: bool, source: str) -> bool:
    """Give or withdraw one consent; returns whether anything changed.

    Withdrawal takes effect at once: every list and mailing selects contacts by these timestamps
    when it runs, so a withdrawn contact is neither shown nor mailed from this moment on.
    """
    at_field, source_field = CONSENT_FIELDS[kind]
    if (getattr(contact, at_field) is not None) == granted:
        return False
    setattr(contact, at_field, timezone.now() if granted else None)
    setattr(contact, source_field, source if granted else "")
    contact.save(update_fields=[at_field, source_field, "updated_at"])
    ConsentEvent.objects.create(contact=contact, kind=kind, granted=granted, source=source)
    if kind == ConsentEvent.Kind.LISTING:
        # Cached public pages that name (or should name) the contact are stale from now.
        transaction.on_commit(registry_changed)
    return True


@transaction.atomic
def contact_unsubscribe(*, contact: Contact, what: str) -> bool:
    """One-click unsubscribe from a bulk mail: "digest" stops the digest, "mail" withdraws the
    consent to receive mail altogether. Returns whether anything changed."""
    if what == "digest":
        if contact.digest_frequency == "never":
            return False
        contact.digest_frequency = "never"
        contact.save(update_fields=["digest_frequency", "updated_at"])
        return True
    return contact_set_consent(
        contact=contact, kind=ConsentEvent.Kind.MAIL, granted=False, source="unsubscribe link"
    )


# --- Contact relay -------------------------------------------------------------------------------


@transaction.atomic
def contact_message_send(
    *, sender: User, stakeholder: Stakeholder, subject: str, body: str
) -> ContactMessage:
    """Store a member's message to a stakeholder and relay it through the outbox.

    Side effects: one outbox message to each contact of the stakeholder who accepts mail now (and
    still does when it is sent). The recipients' addresses are never shown to the sender.
    """
    from .mail import RelayMail

    message = ContactMessage(sender=sender, stakeholder=stakeholder, subject=subject, body=body)
    message.full_clean()
    message.save()
    messages_queue(kind=RelayMail, contacts=stakeholder_recipients(stakeholder), about=message)
    return message


def stakeholder_recipients(stakeholder: Stakeholder):
    return Contact.objects.mailable().filter(stakeholder=stakeholder)


@transaction.atomic
def member_update_profile(
    *,
    user: User,
    first_name: str,
    last_name: str,
    role: str,
    phone: str,
    language: str,
    listing_consent: bool,
    mail_consent: bool,
    digest_frequency: str = "never",
    moderation_mail: bool | None = None,
) -> Contact:
    """Save a member's own profile; consent changes are recorded with the source "profile".
    A new name shows on the organisation's public page at once."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    contact = contact_for_user(user=user)
    if (contact.first_name, contact.last_name, contact.role) != (first_name, last_name, role):
        transaction.on_commit(registry_changed)
    contact.first_name, contact.last_name = first_name, last_name
    contact.role, contact.phone = role, phone
    if moderation_mail is not None:
        contact.moderation_mail = moderation_mail
    return contact_update_preferences(
        contact=contact,
        language=language,
        listing_consent=listing_consent,
        mail_consent=mail_consent,
        digest_frequency=digest_frequency,
        source="profile",
    )


@transaction.atomic
def contact_update_preferences(
    *,
    contact: Contact,
    language: str,
    listing_consent: bool,
    mail_consent: bool,
    digest_frequency: str,
    source: str,
) -> Contact:
    """Save a contact's language, digest and consents (with their history, under ``source``).

    A withdrawn consent takes effect at once: the registry's pages stop naming the contact and no
    bulk mail queued before goes out to them.
    """
    contact.language = language
    contact.digest_frequency = digest_frequency
    contact.full_clean()
    contact.save()
    contact_set_consent(
        contact=contact, kind=ConsentEvent.Kind.LISTING, granted=listing_consent, source=source
    )
    contact_set_consent(
        contact=contact, kind=ConsentEvent.Kind.MAIL, granted=mail_consent, source=source
    )
    return contact


# --- Members and their organisation ------------------------------------------------------------

#: What a linked member may change on their organisation's public profile.
MEMBER_EDITABLE = (
    "name",
    "kind",
    "country",
    "region",
    "city",
    "website",
    "description",
    "latitude",
    "longitude",
)


def _shown(value) -> str:
    if hasattr(value, "all"):
        return ", ".join(sorted(str(v) for v in value.all())) or "–"
    return str(value) if value not in ("", None) else "–"


@transaction.atomic
def stakeholder_update_by_member(
    *, stakeholder: Stakeholder, user: User, sectors=None, **fields
) -> Stakeholder:
    """A member linked to the organisation edits its public profile. Side effects: the change,
    field by field (before → after), goes to the audit trail the moderators read; the cached
    public pages change at once."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValueError(f"Not editable by members: {', '.join(sorted(unknown))}")
    before = {name: _shown(getattr(stakeholder, name)) for name in fields}
    before_sectors = _shown(stakeholder.sectors) if sectors is not None else None
    stakeholder = stakeholder_update(stakeholder=stakeholder, sectors=sectors, **fields)
    changes = [
        f"{Stakeholder._meta.get_field(name).verbose_name}: {before[name]} → {_shown(value)}"
        for name, value in fields.items()
        if before[name] != _shown(value)
    ]
    if sectors is not None and before_sectors != _shown(stakeholder.sectors):
        changes.append(
            f"{Stakeholder._meta.get_field('sectors').verbose_name}: "
            f"{before_sectors} → {_shown(stakeholder.sectors)}"
        )
    if changes:
        audit.record(user=user, obj=stakeholder, message="; ".join(str(c) for c in changes))
    return stakeholder


@transaction.atomic
def join_request_create(*, user: User, stakeholder: Stakeholder, message: str = "") -> JoinRequest:
    """A member asks to join an organisation in the registry.

    Side effects: the organisation's members with an account are mailed (they, or a moderator,
    decide). Asking again while a request is open returns that request.
    """
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .mail import JoinRequestMail

    contact = contact_for_user(user=user)
    if contact.stakeholder_id == stakeholder.pk:
        raise ValidationError(_("You already belong to this organisation."))
    if contact.stakeholder_id is not None:
        raise ValidationError(_("You already belong to an organisation."))
    if not stakeholder.is_published:
        raise ValidationError(_("Only organisations in the directory can be joined."))
    existing = JoinRequest.objects.pending().filter(user=user, stakeholder=stakeholder).first()
    if existing is not None:
        return existing
    join_request = JoinRequest(user=user, stakeholder=stakeholder, message=message.strip())
    join_request.full_clean()
    join_request.save()
    members = Contact.objects.filter(stakeholder=stakeholder, user__is_active=True)
    messages_queue(kind=JoinRequestMail, contacts=members, about=join_request)
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, by: User, approve: bool) -> JoinRequest:
    """Approve or decline a request to join. Side effects: on approval the member's contact is
    linked to the organisation; the member is mailed the decision; the audit trail notes who
    decided."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from .mail import JoinDecisionMail

    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not join_request.is_pending:
        raise ValidationError(_("This request was already decided."))
    contact = contact_for_user(user=join_request.user)
    if approve and contact.stakeholder_id not in (None, join_request.stakeholder_id):
        raise ValidationError(_("The member belongs to another organisation meanwhile."))
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        contact.stakeholder = join_request.stakeholder
        contact.save(update_fields=["stakeholder", "updated_at"])
        transaction.on_commit(registry_changed)
    audit.record(
        user=by,
        obj=join_request.stakeholder,
        message=f"{'Approved' if approve else 'Declined'} the request of "
        f"{join_request.user.display_name} to join",
    )
    messages_queue(
        kind=JoinDecisionMail,
        contacts=[contact],
        about=join_request,
        data={"approved": approve},
    )
    return join_request


# --- Data rights ---------------------------------------------------------------------------------


@transaction.atomic
def contact_erase(*, contact: Contact) -> Contact:
    """Erase what names a contact (GDPR art. 17). Side effects: no mail goes to them from now on
    (queued mail is dropped, and the record of past mail too); their consent history goes; the
    row stays, empty, so that attendance and the figures built on it do not change; the cached
    public pages stop naming them at once."""
    Message.objects.filter(contact=contact).delete()
    contact.consent_events.all().delete()
    for name in ("first_name", "last_name", "email", "phone", "role"):
        setattr(contact, name, "")
    contact.listing_consent_at = contact.mail_consent_at = None
    contact.listing_consent_source = contact.mail_consent_source = ""
    contact.digest_frequency = "never"
    contact.moderation_mail = False
    contact.user = None
    contact.erased_at = timezone.now()
    contact.save()
    transaction.on_commit(registry_changed)
    return contact


@transaction.atomic
def account_delete(*, user: User) -> None:
    """A member deletes their account. Side effects: their contact is erased (contact_erase);
    what they wrote stays, signed "a former member"; their supports and endorsements still count;
    their relayed messages and requests to join go; the account and its addresses are deleted, so
    they are logged out everywhere."""
    contact = Contact.objects.filter(user=user).first()
    if contact is not None:
        contact_erase(contact=contact)
    user.delete()


def member_set_trusted(*, member: User, trusted: bool, moderator: User) -> User:
    """A moderator lifts (or restores) the limits on how often a member may post, comment,
    report… (common/ratelimits.py); recorded in the audit trail."""
    if member.rate_limit_exempt != trusted:
        member.rate_limit_exempt = trusted
        member.save(update_fields=["rate_limit_exempt"])
        audit.record(
            user=moderator,
            obj=member,
            message="Rate limits lifted (trusted member)" if trusted else "Rate limits restored",
        )
    return member
