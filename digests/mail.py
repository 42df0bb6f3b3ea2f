"""The digest as a kind of outbox mail: what is new since the contact's last digest, within the
period, in their language, with their own coming AlpCafés."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.db.models.fields.json import KT
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, StoredMail, register
from outbox.models import Message
from stakeholders.models import DigestFrequency

from . import content


@register
class DigestMail(MailKind):
    name = "digests.digest"
    label = _("Digest")
    template = "digests/email/digest"
    bulk = True
    unsubscribe = "digest"

    def prepare(self, messages):
        super().prepare(messages)
        contact_ids = [m.contact_id for m in messages]
        last_ends = last_sent_ends(contact_ids)
        registrations = content.own_registrations(contact_ids)
        contents: dict[tuple, content.Content] = {}
        for message in messages:
            start = dt.date.fromisoformat(message.data["period_start"])
            end = dt.date.fromisoformat(message.data["period_end"])
            # What happened since this contact's last digest, within this period.
            since = max(start, last_ends.get(message.contact_id, start))
            key = (since, end)
            if key not in contents:
                contents[key] = content.shared_content(
                    content.as_aware(since), content.as_aware(end)
                )
            message.digest_key = key
            message.digest_content = contents[key]
            message.registrations = registrations.get(message.contact_id, [])
        new_matches(messages)

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if reason:
            return reason
        if message.contact.digest_frequency != message.data["frequency"]:
            return str(_("The contact unsubscribed from this digest."))
        if not message.digest_content.has_news and not message.matches:
            return str(_("Nothing new in the period."))
        return ""

    def context(self, message):
        return {
            "content": message.digest_content,
            "weekly": message.data["frequency"] == DigestFrequency.WEEKLY,
        }

    def personal(self, message):
        values = super().personal(message)
        values["own"] = own_registrations_parts(message.registrations, message.recipient_language)
        values["matches"] = matches_parts(message.matches, message.recipient_language)
        return values

    def group_key(self, message):
        return (message.digest_key, message.data["frequency"])


@register
class DigestTestMail(StoredMail):
    """A copy of someone's digest, sent to the staff member who previews it."""

    name = "digests.test"
    label = _("Digest test copy")


def own_registrations_parts(registrations, language: str) -> tuple[str, str]:
    """The contact's coming AlpCafés as (text, HTML), or empty."""
    if not registrations:
        return "", mark_safe("")
    with translation.override(language):
        context = {"registrations": registrations, "site_url": settings.SITE_URL}
        return (
            render_to_string("digests/email/_digest_own.txt", context),
            mark_safe(render_to_string("digests/email/_digest_own.html", context)),  # noqa: S308 — our template, autoescaped
        )


def new_matches(messages) -> None:
    """Each message's new partnership matches: opportunities published in its period that suit
    the contact's organisation (partnerships.matching), read once for the batch."""
    from partnerships import matching
    from stakeholders.models import Stakeholder

    ids = {m.contact.stakeholder_id for m in messages if m.contact_id and m.contact}
    ids.discard(None)
    stakeholders = Stakeholder.objects.prefetch_related("sectors").in_bulk(ids) if ids else {}
    pool = matching.open_pool() if stakeholders else []
    found: dict[tuple, list] = {}
    for message in messages:
        message.matches = []
        stakeholder = stakeholders.get(message.contact.stakeholder_id) if message.contact else None
        if stakeholder is None or not stakeholder.is_published:
            continue
        since, until = (content.as_aware(day) for day in message.digest_key)
        key = (stakeholder.pk, since, until)
        if key not in found:
            found[key] = matching.new_for_stakeholder(stakeholder, since, until, pool=pool)
        message.matches = found[key]


def matches_parts(matches, language: str) -> tuple[str, str]:
    """The contact's new partnership matches as (text, HTML), or empty."""
    if not matches:
        return "", mark_safe("")
    with translation.override(language):
        context = {"matches": matches, "site_url": settings.SITE_URL}
        return (
            render_to_string("digests/email/_digest_matches.txt", context),
            mark_safe(render_to_string("digests/email/_digest_matches.html", context)),  # noqa: S308 — our template, autoescaped
        )


def last_sent_ends(contact_ids: list[int]) -> dict[int, dt.date]:
    """The end of each contact's last digest that went out."""
    rows = (
        Message.objects.filter(
            kind=DigestMail.name, state=Message.State.SENT, contact_id__in=contact_ids
        )
        .values("contact_id")
        .annotate(last=Max(KT("data__period_end")))
        .values_list("contact_id", "last")
    )
    return {contact_id: dt.date.fromisoformat(last) for contact_id, last in rows}


@register
class ModerationNoticeMail(MailKind):
    """To a moderator: what is waiting, with what arrived since their last notice."""

    name = "digests.moderation"
    label = _("What waits for moderation")
    template = "digests/email/moderation"

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if reason:
            return reason
        if not message.contact.moderation_mail:
            return str(_("The moderator switched these mails off."))
        return ""

    def context(self, message):
        from .moderation import QUEUES

        since = dt.datetime.fromisoformat(message.data["since"])
        queues = []
        for queue in QUEUES:
            items = queue.items()
            queues.append(
                {
                    "label": queue.label,
                    "url": settings.SITE_URL + queue.url,
                    "count": items.count(),
                    "new": items.filter(**{f"{queue.date_field}__gt": since}).count(),
                }
            )
        return {"queues": [q for q in queues if q["count"]], "since": since}
