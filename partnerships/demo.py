"""Demo data for partnerships: offers and requests of demo organisations across the countries and
sectors of the registry (one of them the demo member's, with interest waiting for an answer; one
waiting for the moderators), and 1:1 meetings at the last upcoming AlpCafé — its registered
guests asking each other, the accepted requests scheduled into a grid.

Idempotent: opportunities are found by slug, meetings by their two people; a re-run writes
nothing new. Needs the registry's and the AlpCafés' demo data first.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from stakeholders.models import Contact, Sector, Stakeholder

from . import services
from .models import Attendee, ExpressionOfInterest, Matchmaking, MeetingRequest, Opportunity

SEED = 1414
MEMBER_EMAIL = "member@example.org"
MODERATOR_EMAIL = "moderator@example.org"
MEETINGS_ALPCAFE = "alpcafe-demo-upcoming-2"

# (slug, organisation's country, type, category, title, summary, countries sought, kinds sought)
OPPORTUNITIES = [
    (
        "demo-timber-facades",
        "member",
        "offer",
        "technology",
        "Prefabricated timber facades for renovations",
        "We design and build prefabricated timber facade elements that insulate a 1970s building "
        "in days. We look for architects and energy agencies abroad to bring them to new markets.",
        ["IT", "SI", "FR"],
        [],
    ),
    (
        "demo-smart-grid-pilot",
        "SI",
        "request",
        "project_partner",
        "Pilot sites for a mountain smart-grid",
        "A Slovenian energy cluster seeks two Alpine municipalities or utilities to host a pilot "
        "of demand response in small hydro valleys.",
        ["AT", "IT", "CH"],
        ["public_authority", "cluster"],
    ),
    (
        "demo-horizon-wood-consortium",
        "IT",
        "request",
        "eu_consortium",
        "Partners for a Horizon Europe call on timber construction",
        "We are building a consortium on circular timber construction: we need a research "
        "centre for life-cycle analysis and two SMEs building with wood.",
        ["AT", "DE", "SI"],
        ["research", "sme"],
    ),
    (
        "demo-sensor-retrofit",
        "AT",
        "offer",
        "technology",
        "Sensor retrofits for ageing machine tools",
        "Our engineers retrofit sensors and condition monitoring to machine tools of any make, "
        "on site, in two days.",
        [],
        ["sme", "large_company"],
    ),
    (
        "demo-alpine-food-export",
        "FR",
        "request",
        "business",
        "Distributors for Alpine cheese in northern Italy",
        "A cooperative of Savoyard dairies seeks distributors and delicatessen chains in "
        "Lombardy and Piedmont.",
        ["IT"],
        [],
    ),
    (
        "demo-mountain-tourism-data",
        "CH",
        "offer",
        "research",
        "Visitor-flow data for mountain destinations",
        "Our university lab shares anonymised visitor-flow models for ski and hiking areas with "
        "destinations that want to plan transport and housing.",
        [],
        ["public_authority", "business_support"],
    ),
    (
        "demo-medtech-testing",
        "DE",
        "offer",
        "business",
        "Testing capacity for medical devices",
        "A Bavarian lab offers biocompatibility and electrical safety testing to Alpine medtech "
        "start-ups, in English, German and Italian.",
        ["AT", "IT", "CH", "LI"],
        ["sme"],
    ),
    (
        "demo-hydrogen-buses",
        "IT",
        "request",
        "technology",
        "Hydrogen refuelling for mountain bus lines",
        "A South Tyrolean transport company seeks technology partners for refuelling stations at "
        "altitude.",
        ["AT", "DE", "CH"],
        [],
    ),
    (
        "demo-pending-bio-packaging",
        "AT",
        "offer",
        "technology",
        "Compostable packaging from wood fibre",
        "Packaging trays from local wood fibre, compostable at home; we seek food producers.",
        [],
        [],
    ),
]


def _organisation(key: str, rng: random.Random) -> Stakeholder | None:
    if key == "member":
        contact = Contact.objects.filter(user__email=MEMBER_EMAIL).select_related("stakeholder")
        found = contact.first()
        return found.stakeholder if found else None
    candidates = list(
        Stakeholder.objects.published()
        .filter(country=key, sectors__isnull=False)
        .distinct()
        .order_by("slug")[:20]
    )
    return rng.choice(candidates) if candidates else None


def seed_opportunities() -> list[Opportunity]:
    rng = random.Random(SEED)  # noqa: S311 — demo data: reproducible, not secret
    member = get_user_model().objects.filter(email=MEMBER_EMAIL).first()
    today = timezone.localdate()
    seeded = []
    for i, (slug, key, kind, category, title, summary, countries, kinds) in enumerate(
        OPPORTUNITIES
    ):
        stakeholder = _organisation(key, rng)
        if stakeholder is None:
            continue
        pending = slug.startswith("demo-pending")
        opportunity, created = Opportunity.objects.get_or_create(
            slug=slug,
            defaults={
                "stakeholder": stakeholder,
                "created_by": member if key == "member" else None,
                "type": kind,
                "category": category,
                "title": title,
                "summary": summary,
                "expires_on": today + timedelta(days=60 + 15 * i),
                "state": Opportunity.State.PENDING if pending else Opportunity.State.PUBLISHED,
                "published_at": None if pending else timezone.now() - timedelta(days=2 * i + 1),
            },
        )
        if created:
            opportunity.countries_sought_list = countries
            opportunity.kinds_sought_list = kinds
            opportunity.save(update_fields=["countries_sought", "kinds_sought"])
            sectors = list(stakeholder.sectors.all()[:2]) or list(Sector.objects.all()[:1])
            opportunity.sectors.set(sectors)
        seeded.append(opportunity)
    services.opportunity_refresh_search(ids=[o.pk for o in seeded])
    return seeded


def seed_interest(opportunities: list[Opportunity]) -> int:
    """The demo moderator's organisation is interested in the demo member's offer: the member
    finds it waiting on My partnerships."""
    moderator = get_user_model().objects.filter(email=MODERATOR_EMAIL).first()
    mine = next((o for o in opportunities if o.created_by_id), None)
    org = Contact.objects.filter(user=moderator).values_list("stakeholder_id", flat=True).first()
    if moderator is None or mine is None or org is None or org == mine.stakeholder_id:
        return 0
    ExpressionOfInterest.objects.get_or_create(
        opportunity=mine,
        sender_stakeholder_id=org,
        defaults={
            "sender": moderator,
            "message": "Our cluster renovates public buildings in Gorenjska; could your facades "
            "be assembled by local builders?",
        },
    )
    return 1


def seed_meetings() -> dict[str, int]:
    """Matchmaking at the last upcoming AlpCafé: six 20-minute slots, eight tables, its
    registered guests taking part and asking each other, the accepted requests scheduled."""
    alpcafe = AlpCafe.objects.filter(slug=MEETINGS_ALPCAFE).first()
    if alpcafe is None:
        return {"attendees": 0, "scheduled": 0}
    if not Matchmaking.objects.filter(alpcafe=alpcafe).exists():
        services.matchmaking_setup(
            alpcafe=alpcafe,
            first_start=alpcafe.starts_at + timedelta(hours=1),
            slot_minutes=20,
            slot_count=6,
            tables=8,
        )
    matchmaking = Matchmaking.objects.get(alpcafe=alpcafe)
    participations = Participation.objects.filter(
        alpcafe=alpcafe, status=Participation.Status.REGISTERED
    ).order_by("pk")
    attendees = [
        Attendee.objects.get_or_create(matchmaking=matchmaking, participation=p)[0]
        for p in participations
    ]
    rng = random.Random(SEED + 1)  # noqa: S311 — demo data: reproducible, not secret
    # Drawn in full before anything is looked up, so that a re-run draws the same pairs.
    plan = []
    for i, attendee in enumerate(attendees):
        others = attendees[:i] + attendees[i + 1 :]
        for other in rng.sample(others, min(4, len(others))):
            status = rng.choice(["accepted", "accepted", "accepted", "pending", "declined"])
            plan.append((attendee, other, status))
    for attendee, other, status in plan:
        if MeetingRequest.objects.filter(
            requester__in=[attendee, other], invitee__in=[attendee, other]
        ).exists():
            continue
        MeetingRequest.objects.create(
            matchmaking=matchmaking,
            requester=attendee,
            invitee=other,
            status=status,
            decided_at=None if status == "pending" else timezone.now(),
        )
    result = services.meetings_schedule(matchmaking=matchmaking)
    return {"attendees": len(attendees), "scheduled": result["scheduled"]}


@transaction.atomic
def seed_partnerships() -> dict[str, int]:
    opportunities = seed_opportunities()
    interests = seed_interest(opportunities)
    meetings = seed_meetings()
    return {
        "opportunities": len(opportunities),
        "interests": interests,
        "attendees": meetings["attendees"],
        "scheduled": meetings["scheduled"],
    }
