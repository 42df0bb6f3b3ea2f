"""The kinds of mail of partnerships, sent through the outbox in the recipient's language:
moderation decisions and expiry reminders to the member who published an opportunity, interest
passed on to the owning organisation, and the answer to the sender (with each other's contact
details once accepted)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, absolute, register
from stakeholders.models import Contact

from .models import Attendee, ExpressionOfInterest, MeetingRequest, Opportunity


@register
class OpportunityDecisionMail(MailKind):
    """To the member who wrote it: published, or rejected with the reason, as decided then."""

    name = "partnerships.decision"
    label = _("Opportunity decision")
    template = "partnerships/email/decision"

    def about_queryset(self, model):
        return Opportunity.objects.select_related("stakeholder")

    def context(self, message):
        opportunity: Opportunity = message.about
        return {
            "opportunity": opportunity,
            "published": message.data.get("published", False),
            "reason": message.data.get("reason", ""),
            "url": absolute(opportunity.get_absolute_url()),
        }


@register
class OpportunityExpiryMail(MailKind):
    """Before the expiry date: renew in one click, or close it."""

    name = "partnerships.expiry"
    label = _("Opportunity expiry reminder")
    template = "partnerships/email/expiry"

    def about_queryset(self, model):
        return Opportunity.objects.select_related("stakeholder")

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if reason:
            return reason
        opportunity = message.about
        if not opportunity.is_open:
            return str(_("The opportunity is no longer open."))
        if opportunity.expires_on.isoformat() != message.data.get("expires_on"):
            return str(_("The opportunity was renewed before the reminder went out."))
        return ""

    def context(self, message):
        from .tokens import renewal_url

        opportunity: Opportunity = message.about
        return {
            "opportunity": opportunity,
            "url": absolute(opportunity.get_absolute_url()),
            "renew_url": absolute(renewal_url(opportunity)),
        }


class InterestMail(MailKind):
    def about_queryset(self, model):
        return ExpressionOfInterest.objects.select_related(
            "opportunity__stakeholder", "sender_stakeholder", "sender", "decided_by"
        )


@register
class InterestReceivedMail(InterestMail):
    """To the members of the owning organisation: who is interested and why, with no address."""

    name = "partnerships.interest"
    label = _("Expression of interest")
    template = "partnerships/email/interest"

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and not message.about.is_pending:
            return str(_("The interest was answered before the mail went out."))
        return reason

    def context(self, message):
        interest: ExpressionOfInterest = message.about
        return {
            "interest": interest,
            "opportunity": interest.opportunity,
            "organisation": interest.sender_stakeholder,
            "answer_url": absolute(reverse("partnerships:mine")),
        }

    def group_key(self, message):
        return message.about_id


def shared_details(user, stakeholder, share_phone: bool) -> dict:
    """What one side learns of the other once interest is accepted: name, organisation, role and
    address (they chose to pass them on by writing or accepting), the phone only if they said
    so."""
    contact = Contact.objects.filter(user=user).first() if user else None
    if contact is None or contact.erased_at is not None:
        return {}
    return {
        "name": contact.full_name or user.display_name,
        "organisation": stakeholder.name if stakeholder else "",
        "role": contact.role,
        "email": contact.email or user.email,
        "phone": contact.phone if share_phone else "",
    }


@register
class InterestAcceptedMail(InterestMail):
    """To both sides: the other's contact details."""

    name = "partnerships.interest_accepted"
    label = _("Expression of interest accepted")
    template = "partnerships/email/accepted"

    def context(self, message):
        interest: ExpressionOfInterest = message.about
        if message.data.get("side") == "owner":
            other = shared_details(
                interest.sender, interest.sender_stakeholder, interest.sender_shares_phone
            )
        else:
            other = shared_details(
                interest.decided_by,
                interest.opportunity.stakeholder,
                interest.owner_shares_phone,
            )
        return {
            "interest": interest,
            "opportunity": interest.opportunity,
            "to_owner": message.data.get("side") == "owner",
            "other": other,
            "url": absolute(interest.opportunity.get_absolute_url()),
        }

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and not self.context(message)["other"]:
            return str(_("The other side's details were erased."))
        return reason


@register
class InterestDeclinedMail(InterestMail):
    name = "partnerships.interest_declined"
    label = _("Expression of interest declined")
    template = "partnerships/email/declined"

    def context(self, message):
        interest: ExpressionOfInterest = message.about
        return {
            "interest": interest,
            "opportunity": interest.opportunity,
            "browse_url": absolute(reverse("partnerships:list")),
        }


@register
class MeetingRequestMail(MailKind):
    """To a participant another one asks for a 1:1 meeting at an AlpCafé."""

    name = "partnerships.meeting_request"
    label = _("Meeting request")
    template = "partnerships/email/meeting_request"

    def about_queryset(self, model):
        return MeetingRequest.objects.select_related(
            "matchmaking__alpcafe", "requester__participation__contact__stakeholder"
        )

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and not message.about.is_pending:
            return str(_("The request was answered before the mail went out."))
        return reason

    def context(self, message):
        meeting: MeetingRequest = message.about
        contact = meeting.requester.participation.contact
        return {
            "meeting": meeting,
            "alpcafe": meeting.matchmaking.alpcafe,
            "requester": contact.full_name,
            "organisation": contact.stakeholder.name if contact.stakeholder else "",
            "url": absolute(meeting.matchmaking.get_absolute_url()),
        }


@register
class AgendaMail(MailKind):
    """To a participant: their personal agenda of 1:1 meetings, with an .ics."""

    name = "partnerships.agenda"
    label = _("Meeting agenda")
    template = "partnerships/email/agenda"

    def about_queryset(self, model):
        return Attendee.objects.select_related("matchmaking__alpcafe", "participation__contact")

    def _agenda(self, message):
        if not hasattr(message, "agenda"):
            from .services import agenda_of

            message.agenda = agenda_of(message.about)
        return message.agenda

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and not self._agenda(message):
            return str(_("No meeting is scheduled any more."))
        return reason

    def context(self, message):
        from .calendars import other_side

        attendee: Attendee = message.about
        rows = []
        for meeting in self._agenda(message):
            other = other_side(meeting, attendee).participation.contact
            rows.append(
                {
                    "slot": meeting.slot,
                    "table": meeting.table,
                    "name": other.full_name,
                    "organisation": other.stakeholder.name if other.stakeholder else "",
                }
            )
        return {
            "alpcafe": attendee.matchmaking.alpcafe,
            "rows": rows,
            "url": absolute(
                reverse("partnerships:agenda", args=[attendee.matchmaking.alpcafe.slug])
            ),
        }

    def attachments(self, message):
        from .calendars import agenda_ics

        return [("meetings.ics", agenda_ics(message.about, self._agenda(message)), "text/calendar")]
