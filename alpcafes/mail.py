"""The kinds of mail about AlpCafés, all sent through the outbox.

Every message is about the AlpCafé; the participation it concerns is the one of its recipient
(one row per AlpCafé and contact), fetched for the whole batch at once. The online meeting link
goes only to people with a seat (confirmation, promotion, reminder, change), never in an invitation.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, register

from .calendar import calendar_bytes
from .models import AlpCafe, Participation

ICS_MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"


class AlpCafeMail(MailKind):
    """Mail to a participant about an AlpCafé, with its .ics and their personal RSVP link."""

    #: The participation must still be in one of these states when the mail goes out.
    statuses: tuple[str, ...] = ()
    #: Whether this kind goes to seat holders only, who may see the online meeting link.
    for_seat_holders = False

    def shows_online_link(self, participation: Participation | None) -> bool:
        return self.for_seat_holders

    def about_queryset(self, model):
        return AlpCafe.objects.select_related("host")

    def prepare(self, messages):
        super().prepare(messages)
        pairs = {(m.about_id, m.contact_id) for m in messages}
        found = {
            (p.alpcafe_id, p.contact_id): p
            for p in Participation.objects.filter(
                alpcafe_id__in={a for a, _c in pairs}, contact_id__in={c for _a, c in pairs}
            )
        }
        calendars: dict[tuple[int, bool], bytes] = {}
        for message in messages:
            if not hasattr(message, "participation"):  # a preview sets its own
                message.participation = found.get((message.about_id, message.contact_id))
            alpcafe = message.about
            if alpcafe is None:
                message.ics = None
                continue
            key = (alpcafe.pk, self.shows_online_link(message.participation))
            if key not in calendars:
                calendars[key] = calendar_bytes([alpcafe], name=alpcafe.title, private=key[1])
            message.ics = calendars[key]

    def _participation(self, message) -> Participation | None:
        if not hasattr(message, "participation"):
            self.prepare([message])
        return message.participation

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if reason or not self.statuses:
            return reason
        participation = self._participation(message)
        if participation is None or participation.status not in self.statuses:
            return str(_("The participation changed before the mail went out."))
        return ""

    def context(self, message):
        alpcafe: AlpCafe = message.about
        participation = self._participation(message)
        return {
            "alpcafe": alpcafe,
            "alpcafe_url": settings.SITE_URL + alpcafe.get_absolute_url(),
            "show_online_link": self.shows_online_link(participation),
            "waitlist_position": participation.waitlist_position if participation else None,
            "registered": participation is not None and participation.is_registered,
            "waitlisted": participation is not None and participation.is_waitlisted,
            "data": message.data,
        }

    def personal(self, message):
        participation = self._participation(message)
        values = super().personal(message)
        values["rsvp_url"] = (
            settings.SITE_URL + participation.get_rsvp_url() if participation else ""
        )
        return values

    def group_key(self, message):
        participation = self._participation(message)
        # Status and waitlist position are in the text and decide the online link.
        if participation is None:
            return (message.about_id, None, None)
        return (message.about_id, participation.status, participation.waitlist_position)

    def attachments(self, message):
        ics = getattr(message, "ics", None)
        if ics is None:
            alpcafe = message.about
            private = self.shows_online_link(self._participation(message))
            ics = message.ics = calendar_bytes([alpcafe], name=alpcafe.title, private=private)
        return [("alpcafe.ics", ics, ICS_MIMETYPE)]


@register
class InvitationMail(AlpCafeMail):
    name = "alpcafes.invitation"
    label = _("Invitation")
    template = "alpcafes/email/invitation"
    bulk = True
    statuses = (Participation.Status.INVITED,)


@register
class ConfirmationMail(AlpCafeMail):
    """Sent when someone registers: a seat (with the link and .ics) or a place on the waitlist."""

    name = "alpcafes.confirmation"
    label = _("Registration confirmation")
    template = "alpcafes/email/confirmation"
    statuses = (Participation.Status.REGISTERED, Participation.Status.WAITLISTED)

    def shows_online_link(self, participation):
        # A waitlisted person gets no online link until a seat is theirs.
        return participation is not None and participation.status == Participation.Status.REGISTERED


@register
class PromotionMail(AlpCafeMail):
    name = "alpcafes.promotion"
    label = _("Seat from the waitlist")
    template = "alpcafes/email/promotion"
    statuses = (Participation.Status.REGISTERED,)
    for_seat_holders = True


@register
class ReminderMail(AlpCafeMail):
    name = "alpcafes.reminder"
    label = _("Reminder")
    template = "alpcafes/email/reminder"
    statuses = (Participation.Status.REGISTERED,)
    for_seat_holders = True

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and message.about.state != AlpCafe.State.SCHEDULED:
            return str(_("The AlpCafé is no longer scheduled."))
        return reason


@register
class ChangeMail(AlpCafeMail):
    """The time or place changed: to everyone registered, waitlisted or invited, with the updated
    .ics (same UID, higher SEQUENCE) that calendars apply."""

    name = "alpcafes.change"
    label = _("Change of time or place")
    template = "alpcafes/email/change"
    statuses = (
        Participation.Status.REGISTERED,
        Participation.Status.WAITLISTED,
        Participation.Status.INVITED,
    )

    def shows_online_link(self, participation):
        return participation is not None and participation.status == Participation.Status.REGISTERED

    def context(self, message):
        context = super().context(message)
        before = message.data.get("before_starts_at")
        context["before_starts_at"] = datetime.fromisoformat(before) if before else None
        context["before_place"] = message.data.get("before_place", "")
        return context


@register
class CancellationMail(AlpCafeMail):
    name = "alpcafes.cancellation"
    label = _("Cancellation")
    template = "alpcafes/email/cancellation"


@register
class OutcomeReminderMail(MailKind):
    """The day after, to each organiser: record who came and what was heard."""

    name = "alpcafes.outcome_reminder"
    label = _("Reminder to record the outcomes")
    template = "alpcafes/email/outcome_reminder"

    def context(self, message):
        alpcafe: AlpCafe = message.about
        return {
            "alpcafe": alpcafe,
            "manage_url": settings.SITE_URL + alpcafe.get_absolute_url() + "manage/",
        }

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and message.about.state != AlpCafe.State.SCHEDULED:
            return str(_("The AlpCafé is no longer waiting for its outcomes."))
        return reason
