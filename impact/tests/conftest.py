"""A small world whose every figure was counted by hand (see the comments), with the cases that
catch mistakes: a stakeholder involved twice (two people at one AlpCafé, and a second AlpCafé), an
unpublished one who attended, a person without an organisation who attended, a registration that
was never attended, a cancelled AlpCafé, an unpublished idea, a draft proposal's endorsement."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group

from alpcafes.models import AlpCafe, Participation
from alpcafes.tests.factories import AlpCafeFactory
from blog.models import Endorsement, PolicyProposal, Post
from blog.tests.factories import IdeaFactory, PostFactory, ProposalFactory
from common.versions import DOMAINS, data_changed
from stakeholders.models import ORGANISERS_GROUP, Contact, Stakeholder
from stakeholders.tests.factories import (
    ContactFactory,
    SectorFactory,
    StakeholderFactory,
    UserFactory,
)

from .factories import InitiativeFactory, InitiativePartnerFactory

ROME = ZoneInfo("Europe/Rome")
Status = Participation.Status


def at(day: str, hour: int = 12) -> datetime:
    return datetime.strptime(f"{day} {hour}", "%Y-%m-%d %H").replace(tzinfo=ROME)


def _stakeholder(name, country, kind, created, sectors=(), **extra) -> Stakeholder:
    stakeholder = StakeholderFactory(
        name=name, country=country, kind=kind, sectors=list(sectors), **extra
    )
    Stakeholder.objects.filter(pk=stakeholder.pk).update(created_at=at(created))
    stakeholder.refresh_from_db()
    return stakeholder


def _attend(alpcafe, contact, attended=True) -> Participation:
    return Participation.objects.create(
        alpcafe=alpcafe,
        contact=contact,
        status=Status.REGISTERED,
        attended_at=alpcafe.starts_at if attended else None,
    )


def _alpcafe(title, day, state) -> AlpCafe:
    starts = at(day, 14)
    return AlpCafeFactory(
        title=title, slug=title.lower().replace(" ", "-"), starts_at=starts, state=state
    )


def _endorse(proposal, stakeholder, day) -> Endorsement:
    endorsement = Endorsement.objects.create(proposal=proposal, stakeholder=stakeholder)
    Endorsement.objects.filter(pk=endorsement.pk).update(created_at=at(day))
    return endorsement


@pytest.fixture
def world():
    wood = SectorFactory(name="Wood", slug="wood")
    ict = SectorFactory(name="ICT", slug="ict")
    # Mapped (published): A, B, C, D, E — 5. U is waiting for a moderator: never counted.
    a = _stakeholder("Alpha Cluster", "AT", "cluster", "2025-01-10", [wood])
    b = _stakeholder("Beta Tischlerei", "AT", "sme", "2025-01-20", [ict])
    c = _stakeholder("Gamma Srl", "IT", "sme", "2025-02-05", [wood, ict])
    d = _stakeholder("Delta Istituto", "IT", "research", "2025-02-10")
    e = _stakeholder("Epsilon Pôle", "FR", "cluster", "2025-03-20", [ict])
    u = _stakeholder("Unpublished Verein", "AT", "sme", "2025-01-15", state="pending")
    a1, a2 = ContactFactory(stakeholder=a), ContactFactory(stakeholder=a)
    b1, c1 = ContactFactory(stakeholder=b), ContactFactory(stakeholder=c)
    d1, e1 = ContactFactory(stakeholder=d), ContactFactory(stakeholder=e)
    u1 = ContactFactory(stakeholder=u)
    x1 = ContactFactory(stakeholder=None)  # a person of no organisation

    # Held: K1 (February), K2 (April), K4 (June) — 3. K3 was cancelled; K5 lies ahead.
    k1 = _alpcafe("K1 Bolzano", "2025-02-15", AlpCafe.State.HELD)
    k2 = _alpcafe("K2 Annecy", "2025-04-10", AlpCafe.State.HELD)
    k3 = _alpcafe("K3 Cancelled", "2025-03-10", AlpCafe.State.CANCELLED)
    k4 = _alpcafe("K4 Innsbruck", "2025-06-20", AlpCafe.State.HELD)
    k5 = AlpCafeFactory(title="K5 Coming", slug="k5-coming")
    # Attendances — participations 9: K1 a1 a2 b1 c1 u1 x1; K2 e1; K4 a1 b1.
    for contact in (a1, a2, b1, c1, u1, x1):
        _attend(k1, contact)
    _attend(k1, d1, attended=False)  # registered, never came: D is not involved
    _attend(k2, e1)
    _attend(k2, c1, attended=False)
    _attend(k3, b1, attended=False)
    _attend(k3, d1, attended=False)
    _attend(k4, a1)
    _attend(k4, b1)
    _attend(k5, d1, attended=False)

    # Ideas — 2 published: B's (March) and one by a member of no organisation (May).
    b_member = UserFactory()
    Contact.objects.filter(pk=b1.pk).update(user=b_member)
    loner = UserFactory()
    IdeaFactory(author=b_member, published_at=at("2025-03-01"))
    IdeaFactory(author=loner, published_at=at("2025-05-01"))
    IdeaFactory(author=b_member, state=Post.State.PENDING, published_at=None)
    PostFactory(author=b_member, published_at=at("2025-03-02"))  # news, not an idea

    # Proposals — 2 public (P1 open since March, P2 submitted, opened in May); P3 a draft.
    p1 = ProposalFactory(opened_at=at("2025-03-05"))
    p2 = ProposalFactory(
        status=PolicyProposal.Status.SUBMITTED,
        opened_at=at("2025-05-10"),
        submitted_at=at("2025-06-01"),
    )
    p3 = ProposalFactory(status=PolicyProposal.Status.DRAFT, opened_at=None)
    # Endorsements — 3 on public proposals: A→P1 (March), C→P1 (April), A→P2 (May).
    _endorse(p1, a, "2025-03-06")
    _endorse(p1, c, "2025-04-20")
    _endorse(p2, a, "2025-05-11")
    _endorse(p3, e, "2025-03-07")  # a draft's: not counted

    # An earlier initiative: 4 partners, 2 of them mapped (A, D), 1 involved (A).
    initiative = InitiativeFactory(name="Alpine Bridges", slug="alpine-bridges")
    InitiativePartnerFactory(initiative=initiative, name=a.name, stakeholder=a, is_lead=True)
    InitiativePartnerFactory(initiative=initiative, name=d.name, stakeholder=d, country="IT")
    InitiativePartnerFactory(initiative=initiative, name=u.name, stakeholder=u)
    InitiativePartnerFactory(initiative=initiative, name="Outside Org", country="DE")
    # The factories write past the services: whatever was cached (or warmed after a service's
    # write) while this world was being made is stale now.
    for domain in DOMAINS:
        data_changed(domain)
    return SimpleNamespace(**locals())


@pytest.fixture
def organiser():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    return user


# The registry's bulk fixture, for query counts at two sizes.
from stakeholders.tests.conftest import many_stakeholders  # noqa: E402, F401
