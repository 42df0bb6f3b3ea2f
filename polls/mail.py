"""The kinds of mail of date polls, sent through the outbox.

Each message is about the poll; the person asked is its recipient's invitee row (one per poll and
contact), fetched for the whole batch at once, with their personal link. Candidates are written in
the recipient's language and in their country's time zone.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, register

from .calendars import zone_for
from .models import DatePoll, PollInvitee


class PollMail(MailKind):
    """Mail to a person asked in a poll, with their personal link to answer it."""

    bulk = True

    def about_queryset(self, model):
        return DatePoll.objects.select_related("alpcafe").prefetch_related("options")

    def prepare(self, messages):
        super().prepare(messages)
        pairs = {(m.about_id, m.contact_id) for m in messages}
        found = {
            (i.poll_id, i.contact_id): i
            for i in PollInvitee.objects.filter(
                poll_id__in={p for p, _c in pairs}, contact_id__in={c for _p, c in pairs}
            ).select_related("contact__stakeholder")
        }
        for message in messages:
            if not hasattr(message, "invitee"):  # a preview sets its own
                message.invitee = found.get((message.about_id, message.contact_id))

    def _invitee(self, message) -> PollInvitee | None:
        if not hasattr(message, "invitee"):
            self.prepare([message])
        return message.invitee

    @staticmethod
    def _zone(invitee: PollInvitee | None):
        stakeholder = invitee.contact.stakeholder if invitee else None
        return zone_for(stakeholder.country if stakeholder else None)

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if reason:
            return reason
        if self._invitee(message) is None:
            return str(_("The person is no longer asked in this poll."))
        if not message.about.accepts_answers:
            return str(_("The poll closed before the mail went out."))
        return ""

    def context(self, message):
        poll: DatePoll = message.about
        alpcafe = poll.alpcafe
        return {
            "poll": poll,
            "alpcafe": alpcafe,
            "options": list(poll.options.all()),
            "zone": self._zone(self._invitee(message)),
        }

    def personal(self, message):
        invitee = self._invitee(message)
        values = super().personal(message)
        values["vote_url"] = settings.SITE_URL + invitee.get_vote_url() if invitee else ""
        return values

    def group_key(self, message):
        # The candidates are written in the recipient's time zone.
        return (message.about_id, self._zone(self._invitee(message)).key)


@register
class PollInvitationMail(PollMail):
    name = "polls.invitation"
    label = _("Date poll")
    template = "polls/email/invitation"


@register
class PollReminderMail(PollMail):
    """Once, to those who have not answered, before the poll closes."""

    name = "polls.reminder"
    label = _("Date poll reminder")
    template = "polls/email/reminder"

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and self._invitee(message).has_answered:
            return str(_("The person answered before the reminder went out."))
        return reason
