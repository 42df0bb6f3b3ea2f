"""The registry's kinds of mail: moderation decisions, messages relayed to stakeholders, and
account mail (sign-up, password reset), all sent through the outbox."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from outbox.kinds import MailKind, StoredMail, absolute, register

from .models import ContactMessage, JoinRequest, Stakeholder


@register
class DecisionMail(MailKind):
    """To the member who registered an organisation: published, or rejected with the reason.
    The decision is read from the message's data, as it was when the moderator took it."""

    name = "stakeholders.decision"
    label = _("Registration decision")
    template = "stakeholders/email/decision"

    def context(self, message):
        stakeholder: Stakeholder = message.about
        return {
            "stakeholder": stakeholder,
            "published": message.data.get("published", False),
            "reason": message.data.get("reason", ""),
            "url": message.about and absolute(stakeholder.get_absolute_url()),
        }


@register
class RelayMail(MailKind):
    """A member's message to an organisation, to each of its contacts who accepts mail. Their
    addresses are never shown to the sender; a reply goes to the sender directly."""

    name = "stakeholders.relay"
    label = _("Message relayed to an organisation")
    template = "stakeholders/email/relay"
    bulk = True

    def about_queryset(self, model):
        return ContactMessage.objects.select_related("sender", "stakeholder")

    def context(self, message):
        relayed: ContactMessage = message.about
        return {"message": relayed, "sender": relayed.sender}

    def group_key(self, message):
        return message.about_id

    def reply_to(self, message):
        return [message.about.sender.email]


@register
class AccountMail(StoredMail):
    """django-allauth's mail (address confirmation, password reset…), rendered by allauth in the
    request and stored until sent; the links in it are secrets, erased once it went out."""

    name = "stakeholders.account"
    label = _("Account mail")


@register
class JoinRequestMail(MailKind):
    """To the members of an organisation: someone asks to join it."""

    name = "stakeholders.join_request"
    label = _("Request to join an organisation")
    template = "stakeholders/email/join_request"

    def about_queryset(self, model):
        return JoinRequest.objects.select_related("user", "stakeholder")

    def skip_reason(self, message):
        reason = super().skip_reason(message)
        if not reason and not message.about.is_pending:
            return str(_("The request was decided before the mail went out."))
        return reason

    def context(self, message):
        join_request: JoinRequest = message.about
        return {
            "join_request": join_request,
            "requester": join_request.user.display_name,
            "decide_url": absolute(reverse("stakeholders:join_requests")),
        }

    def group_key(self, message):
        return message.about_id


@register
class JoinDecisionMail(MailKind):
    """To the member who asked to join: approved or declined, as decided then."""

    name = "stakeholders.join_decision"
    label = _("Decision on a request to join")
    template = "stakeholders/email/join_decision"

    def about_queryset(self, model):
        return JoinRequest.objects.select_related("stakeholder")

    def context(self, message):
        stakeholder = message.about.stakeholder
        return {
            "stakeholder": stakeholder,
            "approved": message.data.get("approved", False),
            "url": absolute(stakeholder.get_absolute_url()),
        }
