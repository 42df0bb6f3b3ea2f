"""For each kind of mail the apps register: make ``n`` messages of it the way the portal does, by
calling the service that queues it (a registration, a decision, a cancellation…).

The outbox itself knows no app; these tests exercise every kind the apps give it, so a new kind
without a builder here fails ``test_every_kind_has_a_builder``.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from django.utils import timezone

from alpcafes import services as alpcafe_services
from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from blog import services as blog_services
from blog.models import Post
from blog.tests.factories import PostFactory
from digests import services as digest_services
from digests.content import as_aware
from outbox.models import Message
from outbox.services import message_queue
from partnerships import services as partnership_services
from partnerships.models import ExpressionOfInterest, MeetingRequest
from partnerships.tests.factories import OpportunityFactory
from polls import services as poll_services
from stakeholders import services as stakeholder_services
from stakeholders.models import Contact, Stakeholder
from stakeholders.tests.factories import ContactFactory, StakeholderFactory, UserFactory

LANGUAGES = ["en", "de", "fr", "it", "sl"]
#: A Monday: the digests' week in the builders.
WEEK = dt.date(2026, 11, 16)


def _contacts(n: int, tag: str, **fields) -> list[Contact]:
    return [
        ContactFactory(
            email=f"{tag}{i}@kinds.example.net",
            first_name=["Anna", "Jürgen", "Élodie", "Nicolò", "Špela"][i % 5],
            language=LANGUAGES[i % len(LANGUAGES)],
            **fields,
        )
        for i in range(n)
    ]


def _users(n: int, tag: str):
    users = [UserFactory(email=f"{tag}{i}@kinds.example.net") for i in range(n)]
    for i, user in enumerate(users):
        contact = stakeholder_services.contact_for_user(user=user)
        contact.language = LANGUAGES[i % len(LANGUAGES)]
        contact.save(update_fields=["language"])
    return users


def invitation(n):
    alpcafe = AlpCafeFactory(title="Kinds: invitations & more")
    alpcafe_services.invitations_create(alpcafe=alpcafe, contacts=_contacts(n, "invited"))


def confirmation(n):
    alpcafe = AlpCafeFactory(capacity=n)
    for contact in _contacts(n, "registered"):
        alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)


def _registered(n, tag, **alpcafe_fields):
    alpcafe = AlpCafeFactory(capacity=n, **alpcafe_fields)
    for contact in _contacts(n, tag):
        alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)
    return alpcafe


def promotion(n):
    alpcafe = AlpCafeFactory(capacity=1)
    for contact in _contacts(n + 1, "waiting"):
        alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)
    alpcafe.capacity = n + 1
    alpcafe_services.alpcafe_save(alpcafe=alpcafe)


def reminder(n):
    starts = timezone.now() + timedelta(hours=30)
    _registered(n, "reminded", starts_at=starts, ends_at=starts + timedelta(hours=2))
    alpcafe_services.reminders_queue()


def change(n):
    alpcafe = _registered(
        n, "changed", format=AlpCafe.Format.HYBRID, online_url="https://meet.example.org/r"
    )
    alpcafe.starts_at += timedelta(days=1)
    alpcafe.ends_at += timedelta(days=1)
    alpcafe.venue = "A new venue"
    alpcafe_services.alpcafe_save(alpcafe=alpcafe)


def cancellation(n):
    alpcafe = _registered(n, "cancelled")
    alpcafe_services.alpcafe_cancel(alpcafe=alpcafe)


def outcome_reminder(n):
    ends = timezone.now() - timedelta(days=2)
    AlpCafeFactory(
        starts_at=ends - timedelta(hours=3), ends_at=ends, organisers=_users(n, "organiser")
    )
    alpcafe_services.outcome_reminders_queue()


def decision(n):
    for i, user in enumerate(_users(n, "registrant")):
        stakeholder = stakeholder_services.stakeholder_register(
            user=user, name=f"Kinds R&D Cluster {i}", kind="cluster", country="AT"
        )
        if i % 2:
            stakeholder_services.stakeholder_publish(stakeholder=stakeholder)
        else:
            stakeholder_services.stakeholder_reject(stakeholder=stakeholder, reason="No details")


def relay(n):
    stakeholder = StakeholderFactory(name="Kinds Relay Cluster")
    _contacts(n, "relayed", stakeholder=stakeholder)
    stakeholder_services.contact_message_send(
        sender=UserFactory(email="sender@kinds.example.net"),
        stakeholder=stakeholder,
        subject="Partners for R&D <wanted>",
        body="Dear all,\nwe look for partners & ideas.",
    )


def post_decision(n):
    moderator = UserFactory(email="moderator@kinds.example.net")
    for i, author in enumerate(_users(n, "author")):
        post = PostFactory(author=author, state=Post.State.PENDING, published_at=None)
        if i % 2:
            blog_services.post_approve(post=post, moderator=moderator)
        else:
            blog_services.post_reject(post=post, reason="Off topic", moderator=moderator)


def report_outcome(n):
    kept, hidden = PostFactory(), PostFactory()
    reports = [
        blog_services.report_create(reporter=reporter, reason="Spam", post=(kept, hidden)[i % 2])
        for i, reporter in enumerate(_users(n, "reporter"))
    ]
    blog_services.report_dismiss(report=reports[0])
    # Hiding the post resolves every open report on it: each reporter is told.
    blog_services.report_hide_content(report=reports[1], note="Spam")
    for report in reports[2::2]:
        blog_services.report_dismiss(report=report)


def digest(n):
    news = StakeholderFactory(name="Kinds Brand New Cluster")
    Stakeholder.objects.filter(pk=news.pk).update(created_at=as_aware(WEEK) + timedelta(days=1))
    _contacts(n, "digest", digest_frequency="weekly")
    digest_services.digests_queue(frequency="weekly", period_start=WEEK)


def account(n):
    from stakeholders.mail import AccountMail

    for i in range(n):
        message_queue(
            kind=AccountMail,
            address=f"newcomer{i}@kinds.example.net",
            language=LANGUAGES[i % 5],
            data={
                "subject": "[AlpClusters] Please confirm your e-mail address",
                "text": "Confirm: https://portal.example.eu/accounts/confirm-email/secret/\n",
                "html": "",
            },
        )


def digest_test(n):
    from django.core.mail import EmailMultiAlternatives

    for contact in _contacts(n, "staff"):
        email = EmailMultiAlternatives("[AlpClusters] This week", "Text", to=[contact.email])
        email.attach_alternative("<p>HTML</p>", "text/html")
        digest_services.digest_test_send(staff_contact=contact, email=email)


def _poll(n, tag):
    alpcafe = AlpCafeFactory(state=AlpCafe.State.DRAFT, title="Kinds: which date & where?")
    now = timezone.now()
    poll = poll_services.poll_save(
        alpcafe=alpcafe,
        candidates=[(now + timedelta(days=d), now + timedelta(days=d, hours=2)) for d in (20, 140)],
        closes_at=now + timedelta(days=10),
    )
    poll_services.poll_ask(poll=poll, contacts=_contacts(n, tag))


def poll_invitation(n):
    _poll(n, "polled")


def poll_reminder(n):
    _poll(n, "unanswered")
    poll_services.poll_reminders_queue(now=timezone.now() + timedelta(days=9))


def join_request(n):
    stakeholder = StakeholderFactory(name="Kinds Join Cluster")
    for user in _users(n, "insider"):
        contact = user.contact
        contact.stakeholder = stakeholder
        contact.save()
    stakeholder_services.join_request_create(
        user=UserFactory(email="joiner@kinds.example.net", first_name="Jo", last_name="Iner"),
        stakeholder=stakeholder,
        message="I work here & there.",
    )


def join_decision(n):
    decider = UserFactory(email="decider@kinds.example.net")
    for i, user in enumerate(_users(n, "joining")):
        # An organisation of its own each: no members to tell, only the decision to mail.
        stakeholder = StakeholderFactory(name=f"Kinds Decided Cluster {i}")
        request = stakeholder_services.join_request_create(user=user, stakeholder=stakeholder)
        stakeholder_services.join_request_decide(
            join_request=request, by=decider, approve=bool(i % 2)
        )


def moderation(n):
    from django.contrib.auth.models import Group

    from digests.services import moderation_notices_queue
    from stakeholders.models import MODERATORS_GROUP

    group = Group.objects.get_or_create(name=MODERATORS_GROUP)[0]
    for user in _users(n, "moderator"):
        user.groups.add(group)
    StakeholderFactory(name="Kinds Pending Cluster", state=Stakeholder.State.PENDING)
    moderation_notices_queue()


def _members(n: int, tag: str, **organisation) -> list:
    """``n`` members, each of an organisation of their own (or of ``organisation``'s one)."""
    shared = StakeholderFactory(**organisation) if organisation else None
    users = _users(n, tag)
    for i, user in enumerate(users):
        contact = user.contact
        contact.stakeholder = shared or StakeholderFactory(
            name=f"Kinds {tag} Org {i}", country=["AT", "IT", "SI", "FR", "DE"][i % 5]
        )
        contact.save(update_fields=["stakeholder"])
    return users


def opportunity_decision(n):
    moderator = UserFactory(email="opportunity-moderator@kinds.example.net")
    for i, user in enumerate(_members(n, "publisher")):
        opportunity = partnership_services.opportunity_save(
            stakeholder=user.contact.stakeholder,
            user=user,
            type="offer",
            category="technology",
            title=f"Kinds: sensors & <retrofits> {i}",
            summary="We retrofit sensors.",
            expires_on=timezone.localdate() + timedelta(days=90),
        )
        if i % 2:
            partnership_services.opportunity_approve(opportunity=opportunity, moderator=moderator)
        else:
            partnership_services.opportunity_reject(
                opportunity=opportunity, reason="No <details>", moderator=moderator
            )


def opportunity_expiry(n):
    for i, user in enumerate(_members(n, "expiring")):
        OpportunityFactory(
            stakeholder=user.contact.stakeholder,
            created_by=user,
            title=f"Kinds: expiring offer {i}",
            expires_on=timezone.localdate() + timedelta(days=5),
        )
    partnership_services.opportunity_reminders_queue()


def interest(n):
    owners = _members(n, "interest-owner", name="Kinds Interest Owner", country="AT")
    opportunity = OpportunityFactory(
        stakeholder=owners[0].contact.stakeholder, title="Kinds: a <shared> lab"
    )
    (sender,) = _members(1, "interest-sender")
    partnership_services.interest_express(
        opportunity=opportunity, sender=sender, message="We are interested & ready."
    )


def _interests(n: int, tag: str) -> list:
    """``n`` interests, each in an opportunity of another organisation, written directly: the
    mail to the owners would (rightly) not go out once answered."""
    owners, senders = _members(n, f"{tag}-owner"), _members(n, f"{tag}-sender")
    found = []
    for i, (owner, sender) in enumerate(zip(owners, senders, strict=True)):
        opportunity = OpportunityFactory(
            stakeholder=owner.contact.stakeholder, created_by=owner, title=f"Kinds: {tag} {i}"
        )
        found.append(
            (
                owner,
                ExpressionOfInterest.objects.create(
                    opportunity=opportunity,
                    sender=sender,
                    sender_stakeholder=sender.contact.stakeholder,
                    message="Interested.",
                    sender_shares_phone=bool(i % 2),
                ),
            )
        )
    return found


def interest_accepted(n):
    for owner, found in _interests(n, "accepted"):
        partnership_services.interest_decide(interest=found, user=owner, accept=True)


def interest_declined(n):
    for owner, found in _interests(n, "declined"):
        partnership_services.interest_decide(interest=found, user=owner, accept=False)


def _matchmaking(n: int, tag: str):
    alpcafe = AlpCafeFactory(title=f"Kinds: meetings & more ({tag})", venue="NOI <Techpark>")
    matchmaking = partnership_services.matchmaking_setup(
        alpcafe=alpcafe, first_start=alpcafe.starts_at, slot_minutes=20, slot_count=4, tables=n
    )
    attendees = []
    for contact in _contacts(n, tag):
        participation = alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)
        attendees.append(
            partnership_services.attendee_join(matchmaking=matchmaking, participation=participation)
        )
    return matchmaking, attendees


def meeting_request(n):
    attendees = _matchmaking(n + 1, "asked")[1]
    for invitee in attendees[1:]:
        partnership_services.meeting_request(
            requester=attendees[0], invitee=invitee, message="Let's talk <sensors>."
        )


def agenda(n):
    matchmaking, attendees = _matchmaking(n, "agenda")
    for a, b in zip(attendees, attendees[1:] + attendees[:1], strict=True):
        MeetingRequest.objects.create(
            matchmaking=matchmaking, requester=a, invitee=b, status="accepted"
        )
    partnership_services.meetings_schedule(matchmaking=matchmaking)
    partnership_services.agendas_send(matchmaking=matchmaking)


BUILDERS = {
    "alpcafes.invitation": invitation,
    "alpcafes.confirmation": confirmation,
    "alpcafes.promotion": promotion,
    "alpcafes.reminder": reminder,
    "alpcafes.change": change,
    "alpcafes.cancellation": cancellation,
    "alpcafes.outcome_reminder": outcome_reminder,
    "stakeholders.decision": decision,
    "stakeholders.relay": relay,
    "stakeholders.account": account,
    "stakeholders.join_request": join_request,
    "stakeholders.join_decision": join_decision,
    "blog.post_decision": post_decision,
    "blog.report_outcome": report_outcome,
    "digests.digest": digest,
    "digests.test": digest_test,
    "digests.moderation": moderation,
    "polls.invitation": poll_invitation,
    "polls.reminder": poll_reminder,
    "partnerships.decision": opportunity_decision,
    "partnerships.expiry": opportunity_expiry,
    "partnerships.interest": interest,
    "partnerships.interest_accepted": interest_accepted,
    "partnerships.interest_declined": interest_declined,
    "partnerships.meeting_request": meeting_request,
    "partnerships.agenda": agenda,
}


def build(kind: str, n: int) -> list[Message]:
    """``n`` queued messages of ``kind`` (and whatever else the services queue with them)."""
    BUILDERS[kind](n)
    return list(Message.objects.filter(kind=kind, state=Message.State.QUEUED).order_by("pk"))
