# ruff: noqa: E501
"""The permission grid, generated from the URLconf: every URL pattern of the portal × every role
(visitor, member, owner or author, organiser, moderator, staff), GET and POST, against the outcome
written below. A URL pattern without an entry fails the test, so a new page cannot ship without
someone deciding who may see it and who may change what through it.

Outcomes: 200 a page; 302 done (sent on elsewhere); L sent to log in; A sent to the admin's log-in;
403 wrong role; 404 not there for this role (drafts, someone else's objects); 405 not a method this
URL answers; 410 gone (an expired link). On PostgreSQL every refused request (L, A, 403, 404, 405)
is also checked to change nothing: a fingerprint of every table of the portal is taken before and
after.

"owner" is the author of the blog items below, a member of the published organisation and an
organiser of the AlpCafé below; "organiser" organises other AlpCafés only. Each request runs in a
savepoint that is rolled back, so every request meets the same world.

Libraries' own URLs (Django's admin, allauth's account pages) are tested by those libraries; our
views mounted in the admin (the import pages) are in the grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from alpcafes.tests.factories import AlpCafeFactory, ParticipationFactory
from blog.models import Report
from blog.tests.factories import CommentFactory, IdeaFactory, PostFactory, ProposalFactory
from partnerships import services as partnership_services
from partnerships.models import ExpressionOfInterest
from partnerships.tests.factories import OpportunityFactory
from partnerships.tokens import renewal_token
from polls import services as poll_services
from stakeholders.models import JoinRequest
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import (
    ContactFactory,
    SectorFactory,
    StakeholderFactory,
    UserFactory,
)
from stakeholders.unsubscribe import preferences_token, unsubscribe_token

pytestmark = pytest.mark.django_db

ROLES = ("visitor", "member", "owner", "organiser", "moderator", "staff")
REFUSED = {"L", "A", "403", "404", "405"}
# Modules whose URL patterns are libraries' (tested there); every other pattern is ours.
LIBRARY_MODULES = (
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "allauth",
    "django.views",
)


@dataclass
class Case:
    url: str  # the URL pattern's name
    get: str  # expected outcome per role, in the order of ROLES
    post: str
    args: str = ""  # the world's key whose value fills the URL (a slug, pk or token)
    data: dict = field(default_factory=dict)
    label: str = ""  # tells apart several cases of one pattern

    @property
    def id(self) -> str:
        return f"{self.url}[{self.label}]" if self.label else self.url


# fmt: off
GRID = [
    # --- pages ------------------------------------------------------------------------------
    Case("home", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("about", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("privacy", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("imprint", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("accessibility", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("community_rules", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("healthz", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("readyz", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("choose_language", "302 302 302 302 302 302", "302 302 302 302 302 302", data={"language": "de", "next": "/"}),
    # --- the member's account ---------------------------------------------------------------
    Case("profile", "L 200 200 200 200 200", "L 200 200 200 200 200", data={"first_name": "Grid", "last_name": "Test"}),
    Case("my_data", "L 200 200 200 200 200", "L 405 405 405 405 405"),
    Case("account_delete", "L 200 200 200 200 200", "L 200 200 200 200 200", data={"password": "wrong"}),
    # --- links in mails (the token is the credential) ---------------------------------------
    Case("unsubscribe", "200 200 200 200 200 200", "200 200 200 200 200 200", args="unsubscribe_token"),
    Case("mail_preferences", "200 200 200 200 200 200", "200 200 200 200 200 200", args="preferences_token"),
    Case("mail_preferences", "404 404 404 404 404 404", "404 404 404 404 404 404", args="bad_token", label="forged"),
    Case("contact_data", "200 200 200 200 200 200", "405 405 405 405 405 405", args="preferences_token"),
    Case("contact_erase", "200 200 200 200 200 200", "200 200 200 200 200 200", args="preferences_token"),
    # --- registry ---------------------------------------------------------------------------
    Case("stakeholders:directory", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("stakeholders:map", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("stakeholders:map_geojson", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("stakeholders:export_csv", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("stakeholders:export_json", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("stakeholders:register", "L 200 200 200 200 200", "L 200 200 200 200 200", data={"name": ""}),
    Case("stakeholders:register_similar", "L 200 200 200 200 200", "L 405 405 405 405 405"),
    Case("stakeholders:join_requests", "L 200 200 200 200 200", "L 404 302 404 302 302", data={"request": "join_request", "decision": "approve"}),
    Case("stakeholders:moderation", "L 403 403 403 200 200", "L 403 403 403 405 405"),
    Case("stakeholders:moderate", "L 403 403 403 405 405", "L 403 403 403 302 302", args="pending_org_pk", data={"decision": "approve"}),
    Case("stakeholders:members", "L 403 403 403 200 200", "L 403 403 403 405 405"),
    Case("stakeholders:member_trust", "L 403 403 403 405 405", "L 403 403 403 302 302", args="member_pk", data={"action": "trust"}),
    Case("stakeholders:detail", "200 200 200 200 200 200", "405 405 405 405 405 405", args="org"),
    Case("stakeholders:detail", "404 404 200 404 200 200", "405 405 405 405 405 405", args="pending_org", label="pending"),
    Case("stakeholders:contact", "L 200 200 200 200 200", "L 302 302 302 302 302", args="org", data={"subject": "Hi", "body": "Hello"}),
    Case("stakeholders:join", "L 405 405 405 405 405", "L 302 302 302 302 302", args="org", data={"message": "Hi"}),
    Case("stakeholders:edit", "L 403 200 403 200 200", "L 403 200 403 200 200", args="org", data={"name": ""}),
    # --- AlpCafés ---------------------------------------------------------------------------
    Case("alpcafes:list", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("alpcafes:feed", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("alpcafes:create", "L 403 200 200 403 200", "L 403 200 200 403 200", data={"title": ""}),
    Case("alpcafes:mine", "L 200 200 200 200 200", "L 405 405 405 405 405"),
    Case("alpcafes:rsvp", "200 200 200 200 200 200", "302 302 302 302 302 302", args="rsvp_token", data={"answer": "accept"}),
    Case("alpcafes:rsvp", "410 410 410 410 410 410", "410 410 410 410 410 410", args="past_rsvp_token", data={"answer": "accept"}, label="past"),
    Case("alpcafes:detail", "200 200 200 200 200 200", "405 405 405 405 405 405", args="alpcafe"),
    Case("alpcafes:detail", "404 404 200 404 404 200", "405 405 405 405 405 405", args="draft_alpcafe", label="draft"),
    Case("alpcafes:ics", "200 200 200 200 200 200", "405 405 405 405 405 405", args="alpcafe"),
    Case("alpcafes:register", "L 405 405 405 405 405", "L 302 302 302 302 302", args="alpcafe"),
    Case("alpcafes:cancel_registration", "L 405 405 405 405 405", "L 404 404 404 404 404", args="alpcafe"),
    Case("alpcafes:manage", "L 403 200 403 403 200", "L 403 405 405 403 405", args="alpcafe"),
    Case("alpcafes:manage", "L 403 200 404 403 200", "L 403 405 405 403 405", args="draft_alpcafe", label="draft"),
    Case("alpcafes:edit", "L 403 200 403 403 200", "L 403 200 403 403 200", args="alpcafe", data={"title": ""}),
    Case("alpcafes:progress", "L 403 200 403 403 200", "L 403 405 405 403 405", args="alpcafe"),
    Case("alpcafes:guests_csv", "L 403 200 403 403 200", "L 403 405 405 403 405", args="alpcafe"),
    Case("alpcafes:invite", "L 403 200 403 403 200", "L 403 405 405 403 405", args="alpcafe"),
    Case("alpcafes:invite_review", "L 403 200 403 403 200", "L 403 302 403 403 302", args="alpcafe"),
    Case("alpcafes:check_in", "L 403 200 403 403 200", "L 403 200 403 403 200", args="alpcafe", data={"participation": "guest_pk", "attended": "1"}),
    Case("alpcafes:mail", "L 403 200 403 403 200", "L 403 405 405 403 405", args="alpcafe"),
    Case("alpcafes:outcomes", "L 403 405 405 403 405", "L 403 302 403 403 302", args="held_alpcafe", data={"summary": "x"}),
    Case("alpcafes:cancel", "L 403 405 405 403 405", "L 403 302 403 403 302", args="alpcafe", data={"reason": "Snow"}),
    # --- date polls (of the owner's draft AlpCafés; the personal link needs no account) ------
    Case("polls:manage", "L 403 200 404 403 200", "L 403 405 405 403 405", args="preparing_alpcafe"),
    Case("polls:manage", "L 403 200 404 403 200", "L 403 405 405 403 405", args="polled_alpcafe", label="sent"),
    Case("polls:dates", "L 403 200 404 403 200", "L 403 200 404 403 200", args="preparing_alpcafe", data={"closes_at": "x"}),
    Case("polls:ask", "L 403 200 404 403 200", "L 403 405 405 403 405", args="preparing_alpcafe"),
    Case("polls:review", "L 403 200 404 403 200", "L 403 302 404 403 302", args="preparing_alpcafe", data={"asked": "x"}),
    Case("polls:results", "L 403 200 404 403 200", "L 403 405 405 403 405", args="polled_alpcafe"),
    Case("polls:close", "L 403 405 405 403 405", "L 403 302 404 403 302", args="polled_alpcafe"),
    Case("polls:choose", "L 403 405 405 403 405", "L 403 302 404 403 302", args="polled_alpcafe", data={"option": "poll_option_pk"}),
    Case("polls:vote", "200 200 200 200 200 200", "200 200 200 200 200 200", args="poll_token"),
    Case("polls:vote", "410 410 410 410 410 410", "410 410 410 410 410 410", args="closed_poll_token", label="closed"),
    Case("polls:vote", "404 404 404 404 404 404", "404 404 404 404 404 404", args="bad_token", label="forged"),
    # --- blog -------------------------------------------------------------------------------
    Case("blog:list", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("blog:ideas", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("blog:create", "L 200 200 200 200 200", "L 200 200 200 200 200", data={"title": ""}),
    Case("blog:mine", "L 200 200 200 200 200", "L 405 405 405 405 405"),
    Case("blog:moderation", "L 403 403 403 200 200", "L 403 403 403 405 405"),
    Case("blog:moderate_post", "L 403 403 403 405 405", "L 403 403 403 302 302", args="pending_post_pk", data={"decision": "approve"}),
    Case("blog:moderate_report", "L 403 403 403 405 405", "L 403 403 403 302 302", args="report_pk", data={"decision": "dismiss"}),
    Case("blog:feed_rss", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("blog:feed_atom", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("blog:topic_feed_rss", "200 200 200 200 200 200", "405 405 405 405 405 405", args="topic"),
    Case("blog:topic_feed_atom", "200 200 200 200 200 200", "405 405 405 405 405 405", args="topic"),
    Case("blog:comment_edit", "L 403 200 403 403 403", "L 403 302 403 403 403", args="comment_pk", data={"body": "Edited"}),
    Case("blog:comment_hide", "L 403 403 403 405 405", "L 403 403 403 302 302", args="comment_pk"),
    Case("blog:comment_report", "L 200 200 200 200 200", "L 302 302 302 302 302", args="comment_pk", data={"reason": "Spam"}),
    Case("blog:detail", "200 200 200 200 200 200", "405 405 405 405 405 405", args="post"),
    Case("blog:detail", "404 404 200 404 200 200", "405 405 405 405 405 405", args="draft_idea", label="draft"),
    Case("blog:detail", "404 404 200 404 200 200", "405 405 405 405 405 405", args="pending_post", label="pending"),
    Case("blog:edit", "L 403 200 403 200 200", "L 403 200 403 200 200", args="post", data={"title": ""}),
    Case("blog:edit", "L 404 200 404 200 200", "L 404 200 404 200 200", args="draft_idea", data={"title": ""}, label="draft"),
    Case("blog:support", "L 405 405 405 405 405", "L 302 302 302 302 302", args="idea"),
    Case("blog:support", "L 405 405 405 405 405", "L 404 302 404 302 302", args="draft_idea", label="draft"),
    Case("blog:comment", "L 405 405 405 405 405", "L 302 302 302 302 302", args="post", data={"body": "Hello"}),
    Case("blog:comment", "L 405 405 405 405 405", "L 404 403 404 403 403", args="draft_idea", data={"body": "Hello"}, label="draft"),
    Case("blog:report", "L 200 200 200 200 200", "L 302 302 302 302 302", args="post", data={"reason": "Spam"}),
    Case("blog:idea_status", "L 403 403 403 405 405", "L 403 403 403 302 302", args="idea", data={"status": "discussion"}),
    Case("blog:proposals", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("blog:proposal_create", "L 403 403 403 200 200", "L 403 403 403 200 200", data={"title": ""}),
    Case("blog:proposal_detail", "200 200 200 200 200 200", "405 405 405 405 405 405", args="proposal"),
    Case("blog:proposal_detail", "404 404 404 404 200 200", "405 405 405 405 405 405", args="draft_proposal", label="draft"),
    Case("blog:proposal_edit", "L 403 403 403 200 200", "L 403 403 403 200 200", args="proposal", data={"title": ""}),
    Case("blog:proposal_advance", "L 403 403 403 405 405", "L 403 403 403 302 302", args="draft_proposal", data={"status": "open"}),
    Case("blog:endorse", "L 405 405 405 405 405", "L 302 302 302 302 302", args="proposal"),
    Case("blog:endorse", "L 405 405 405 405 405", "L 404 404 404 302 302", args="draft_proposal", label="draft"),
    # --- partnerships (the owner's organisation publishes; nobody else here belongs to one) -----
    Case("partnerships:list", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("partnerships:feed_rss", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("partnerships:feed_atom", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("partnerships:create", "L 403 200 403 403 403", "L 403 200 403 403 403", data={"title": ""}),
    Case("partnerships:mine", "L 200 200 200 200 200", "L 405 405 405 405 405"),
    Case("partnerships:moderation", "L 403 403 403 200 200", "L 403 403 403 405 405"),
    Case("partnerships:moderate", "L 403 403 403 405 405", "L 403 403 403 302 302", args="pending_opportunity_pk", data={"decision": "approve"}),
    Case("partnerships:renew", "200 200 200 200 200 200", "302 302 302 302 302 302", args="renew_token"),
    Case("partnerships:renew", "404 404 404 404 404 404", "404 404 404 404 404 404", args="bad_token", label="forged"),
    Case("partnerships:interest_decide", "L 405 405 405 405 405", "L 404 302 404 404 404", args="interest_pk", data={"decision": "accept"}),
    Case("partnerships:detail", "200 200 200 200 200 200", "405 405 405 405 405 405", args="opportunity"),
    Case("partnerships:detail", "404 404 200 404 200 200", "405 405 405 405 405 405", args="pending_opportunity", label="pending"),
    Case("partnerships:edit", "L 403 200 403 200 200", "L 403 200 403 200 200", args="opportunity", data={"title": ""}),
    Case("partnerships:close", "L 405 405 405 405 405", "L 403 302 403 302 302", args="opportunity"),
    Case("partnerships:interest", "L 403 403 403 403 403", "L 403 403 403 403 403", args="opportunity", data={"message": "Hi"}),
    # 1:1 meetings at the owner's AlpCafé (nobody here has a seat at it)
    Case("partnerships:meetings", "L 403 403 403 403 403", "L 403 403 403 403 403", args="alpcafe", data={"action": "join"}),
    Case("partnerships:agenda", "L 403 403 403 403 403", "L 405 405 405 405 405", args="alpcafe"),
    Case("partnerships:agenda_ics", "L 403 403 403 403 403", "L 405 405 405 405 405", args="alpcafe"),
    Case("partnerships:setup", "L 403 200 403 403 200", "L 403 200 403 403 200", args="alpcafe", data={"tables": ""}),
    Case("partnerships:grid", "L 403 200 403 403 200", "L 403 302 403 403 302", args="alpcafe", data={"action": "schedule"}),
    # --- digests ----------------------------------------------------------------------------
    Case("digests:preview", "A A A A A 200", "A A A A A 200"),
    # --- impact -----------------------------------------------------------------------------
    Case("impact:page", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("impact:export_csv", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("impact:export_xlsx", "200 200 200 200 200 200", "405 405 405 405 405 405"),
    Case("impact:data", "200 200 200 200 200 200", "405 405 405 405 405 405", args="impact_table"),
    # --- our views in the admin -------------------------------------------------------------
    Case("admin:stakeholders_stakeholder_import", "A A A A A 200", "A A A A A 200"),
    Case("admin:impact_initiative_import", "A A A A A 200", "A A A A A 200"),
]
# fmt: on


def our_url_names() -> set[str]:
    """Every named URL pattern of the portal's own views, walked from the root URLconf."""

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                module = getattr(pattern.callback, "__module__", "") or ""
                if module.startswith(LIBRARY_MODULES) or pattern.name is None:
                    continue
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns, None))


def test_every_url_pattern_has_an_entry_in_the_grid():
    covered = {case.url for case in GRID}
    missing = sorted(our_url_names() - covered)
    assert not missing, f"URL patterns without an entry in the permission grid: {missing}"
    stale = sorted(covered - our_url_names())
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"
    for case in GRID:
        assert len(case.get.split()) == len(ROLES) == len(case.post.split()), case.id


# --- the world every request meets ----------------------------------------------------------


def _group(user, name):
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def build_world() -> dict:
    owner = _group(UserFactory(email="owner@example.org"), "Organisers")
    users = {
        "member": UserFactory(email="member@example.org"),
        "owner": owner,
        "organiser": _group(UserFactory(email="organiser@example.org"), "Organisers"),
        "moderator": _group(UserFactory(email="moderator@example.org"), "Moderators"),
        "staff": UserFactory(email="staff@example.org", is_staff=True, is_superuser=True),
    }
    org = StakeholderFactory(name="Grid Cluster")
    owner_contact = contact_for_user(user=owner)
    owner_contact.stakeholder = org
    owner_contact.save()
    ContactFactory(stakeholder=org, email="public@gridcluster.example")
    pending_org = StakeholderFactory(name="Pending Grid Org", state="pending", submitted_by=owner)
    outsider = ContactFactory(email="outsider@example.org")  # a mapped contact, no account
    applicant = UserFactory(email="applicant@example.org")
    join_request = JoinRequest.objects.create(user=applicant, stakeholder=org, message="Hi")

    alpcafe = AlpCafeFactory(title="Grid AlpCafé", organisers=[owner])
    draft_alpcafe = AlpCafeFactory(title="Draft Grid AlpCafé", state="draft", organisers=[owner])
    past = timezone.now() - timedelta(days=30)
    held_alpcafe = AlpCafeFactory(
        title="Held Grid AlpCafé",
        state=AlpCafe.State.HELD,
        starts_at=past,
        ends_at=past + timedelta(hours=3),
        organisers=[owner],
    )
    invited = ParticipationFactory(alpcafe=alpcafe, contact=outsider)
    guest = ParticipationFactory(
        alpcafe=alpcafe, contact=ContactFactory(), status=Participation.Status.REGISTERED
    )
    past_invited = ParticipationFactory(alpcafe=held_alpcafe, contact=outsider)

    preparing_alpcafe = AlpCafeFactory(
        title="Polled Grid AlpCafé", state="draft", organisers=[owner]
    )
    polled_alpcafe = AlpCafeFactory(title="Sent Grid AlpCafé", state="draft", organisers=[owner])
    closed_alpcafe = AlpCafeFactory(title="Closed Grid AlpCafé", state="draft", organisers=[owner])
    candidates = [
        (timezone.now() + timedelta(days=d), timezone.now() + timedelta(days=d, hours=2))
        for d in (20, 21)
    ]
    closes = timezone.now() + timedelta(days=7)
    poll_services.poll_save(alpcafe=preparing_alpcafe, candidates=candidates, closes_at=closes)
    polled = poll_services.poll_save(
        alpcafe=polled_alpcafe, candidates=candidates, closes_at=closes
    )
    poll_services.poll_ask(poll=polled, contacts=[outsider])
    closed_poll = poll_services.poll_save(
        alpcafe=closed_alpcafe, candidates=candidates, closes_at=closes
    )
    poll_services.poll_ask(poll=closed_poll, contacts=[outsider])
    poll_services.poll_close(poll=closed_poll)

    topic = SectorFactory(name="Grid Wood", slug="grid-wood")
    post = PostFactory(author=owner, title="Grid post", topics=[topic])
    idea = IdeaFactory(author=owner, title="Grid idea")
    draft_idea = IdeaFactory(author=owner, title="Grid draft", state="draft", published_at=None)
    pending_post = PostFactory(
        author=owner, title="Grid pending", state="pending", published_at=None
    )
    comment = CommentFactory(post=post, author=owner)
    proposal = ProposalFactory(ideas=[idea])
    draft_proposal = ProposalFactory(status="draft", opened_at=None, ideas=[idea])
    report = Report.objects.create(reporter=users["member"], comment=comment, reason="Spam")

    opportunity = OpportunityFactory(stakeholder=org, created_by=owner, title="Grid offer")
    pending_opportunity = OpportunityFactory(
        stakeholder=org, created_by=owner, title="Grid pending offer", state="pending"
    )
    partnership_services.matchmaking_setup(
        alpcafe=alpcafe, first_start=alpcafe.starts_at, slot_minutes=20, slot_count=2, tables=2
    )
    interested = UserFactory(email="interested@example.org")
    interested_contact = contact_for_user(user=interested)
    interested_contact.stakeholder = StakeholderFactory(name="Grid Interested Org", country="IT")
    interested_contact.save()
    interest = ExpressionOfInterest.objects.create(
        opportunity=opportunity,
        sender=interested,
        sender_stakeholder=interested_contact.stakeholder,
        message="We are interested.",
    )
    return {
        "users": users,
        "org": org.slug,
        "pending_org": pending_org.slug,
        "pending_org_pk": pending_org.pk,
        "member_pk": users["member"].pk,
        "join_request": join_request.pk,
        "unsubscribe_token": unsubscribe_token(outsider, "mail"),
        "preferences_token": preferences_token(outsider),
        "bad_token": "forged-token",
        "alpcafe": alpcafe.slug,
        "draft_alpcafe": draft_alpcafe.slug,
        "held_alpcafe": held_alpcafe.slug,
        "rsvp_token": invited.token,
        "past_rsvp_token": past_invited.token,
        "guest_pk": guest.pk,
        "topic": topic.slug,
        "post": post.slug,
        "idea": idea.slug,
        "draft_idea": draft_idea.slug,
        "pending_post": pending_post.slug,
        "pending_post_pk": pending_post.pk,
        "comment_pk": comment.pk,
        "proposal": proposal.slug,
        "draft_proposal": draft_proposal.slug,
        "report_pk": report.pk,
        "opportunity": opportunity.slug,
        "pending_opportunity": pending_opportunity.slug,
        "pending_opportunity_pk": pending_opportunity.pk,
        "interest_pk": interest.pk,
        "renew_token": renewal_token(opportunity),
        "impact_table": "coverage",
        "preparing_alpcafe": preparing_alpcafe.slug,
        "polled_alpcafe": polled_alpcafe.slug,
        "poll_option_pk": polled.options.first().pk,
        "poll_token": polled.invitees.get().token,
        "closed_poll_token": closed_poll.invitees.get().token,
    }


def _url(case: Case, world) -> str:
    return reverse(case.url, args=[world[case.args]] if case.args else [])


def _data(case: Case, world) -> dict:
    # A value naming a key of the world ("guest_pk") is replaced by what the world holds.
    return {k: world.get(v, v) if isinstance(v, str) else v for k, v in case.data.items()}


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "A"
        if location.startswith(reverse("account_login")):
            return "L"
    return str(response.status_code)


# --- what refused requests must not change ---------------------------------------------------


def _our_tables() -> list[str]:
    ours = {"stakeholders", "alpcafes", "blog", "outbox", "digests", "impact", "pages"}
    ours |= {"partnerships", "polls", "account", "admin", "auth"}
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in ours and not model._meta.proxy:
            tables.append(model._meta.db_table)
    return sorted(set(tables))


def fingerprint() -> dict[str, str]:
    """A digest of every row of every table of the portal (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return {}
    result = {}
    with connection.cursor() as cursor:
        for table in _our_tables():
            quoted = connection.ops.quote_name(table)
            sql = "SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "
            cursor.execute(sql + quoted + " t")
            result[table] = cursor.fetchone()[0]
    return result


class Rollback(Exception):
    pass


def run(client, method: str, case: Case, world) -> tuple[str, list[str]]:
    """Make one request in a savepoint that is rolled back; the outcome and, for a refused
    request, the tables it changed."""
    result = ("", [])
    try:
        with transaction.atomic():
            before = fingerprint()
            if method == "GET":
                response = client.get(_url(case, world))
            else:
                response = client.post(_url(case, world), _data(case, world))
            got = outcome(response)
            changed = []
            if got in REFUSED:
                after = fingerprint()
                changed = [t for t in after if after[t] != before.get(t)]
            result = (got, changed)
            raise Rollback
    except Rollback:
        pass
    return result


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_grid(client, settings, role, method):
    world = build_world()
    if role != "visitor":
        client.force_login(world["users"][role])
    index = ROLES.index(role)
    wrong = []
    for case in GRID:
        expected = (case.get if method == "GET" else case.post).split()[index]
        got, changed = run(client, method, case, world)
        if got != expected:
            wrong.append(f"{case.id}: expected {expected}, got {got}")
        elif changed:
            wrong.append(f"{case.id}: refused ({got}) but changed {', '.join(changed)}")
    assert not wrong, f"{role} {method}:\n" + "\n".join(wrong)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fingerprint reads PostgreSQL")
def test_the_fingerprint_sees_a_changed_row():
    """So that "refused but changed nothing" can fail: an update of one field shows."""
    world = build_world()
    before = fingerprint()
    assert len(before) > 30
    Report.objects.filter(pk=world["report_pk"]).update(reason="Changed")
    after = fingerprint()
    assert [t for t in after if after[t] != before[t]] == [Report._meta.db_table]
