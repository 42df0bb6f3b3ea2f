"""Reads of partnerships that more than one view, mail, feed or page uses."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from common.search import full_text
from stakeholders.models import Stakeholder

from .models import ExpressionOfInterest, Opportunity

LIST_RELATED = ("stakeholder",)


def opportunities_search(queryset: QuerySet, text: str) -> QuerySet:
    """Full-text search over title, sectors, organisation and summary (common/search.py); on
    SQLite the title and the summary."""
    return full_text(queryset, text, fallback_fields=["title", "summary"])


def public_list() -> QuerySet:
    """What the browse list filters: published (open or expired) and closed opportunities, with
    what a card shows. Pending and rejected ones are never listed."""
    return (
        Opportunity.objects.filter(
            state__in=[Opportunity.State.PUBLISHED, Opportunity.State.CLOSED],
            stakeholder__state=Stakeholder.State.PUBLISHED,
        )
        .select_related(*LIST_RELATED)
        .prefetch_related("sectors")
    )


def detail_queryset() -> QuerySet:
    return Opportunity.objects.select_related("stakeholder", "created_by").prefetch_related(
        "sectors"
    )


def feed_items(limit: int) -> list[Opportunity]:
    return list(
        Opportunity.objects.open()
        .filter(stakeholder__state=Stakeholder.State.PUBLISHED)
        .select_related(*LIST_RELATED)
        .prefetch_related("sectors")
        .order_by("-published_at", "-pk")[:limit]
    )


def pending_opportunities() -> QuerySet:
    """The moderators' queue, oldest first."""
    return (
        Opportunity.objects.pending()
        .select_related("stakeholder", "created_by")
        .prefetch_related("sectors")
        .order_by("updated_at", "pk")
    )


def with_interest_counts(queryset: QuerySet) -> QuerySet:
    """Each opportunity with how many expressions of interest it received, waiting and
    accepted, in the same query."""
    return queryset.annotate(
        interest_count=Count("interests", distinct=True),
        interest_waiting=Count(
            "interests",
            filter=Q(interests__status=ExpressionOfInterest.Status.PENDING),
            distinct=True,
        ),
        interest_accepted=Count(
            "interests",
            filter=Q(interests__status=ExpressionOfInterest.Status.ACCEPTED),
            distinct=True,
        ),
    )


def organisation_opportunities(stakeholder_id: int) -> list[Opportunity]:
    """Every opportunity of an organisation, for its members, with the counts."""
    return list(
        with_interest_counts(
            Opportunity.objects.filter(stakeholder_id=stakeholder_id)
            .select_related("stakeholder")
            .prefetch_related("sectors")
        ).order_by("-created_at", "-pk")
    )


def interests_received(stakeholder_id: int) -> list[ExpressionOfInterest]:
    return list(
        ExpressionOfInterest.objects.filter(opportunity__stakeholder_id=stakeholder_id)
        .select_related("opportunity", "sender_stakeholder", "decided_by")
        .order_by("status", "-created_at")
    )


def interests_sent(stakeholder_id: int) -> list[ExpressionOfInterest]:
    return list(
        ExpressionOfInterest.objects.filter(sender_stakeholder_id=stakeholder_id)
        .select_related("opportunity__stakeholder", "sender")
        .order_by("-created_at")
    )


def stakeholder_section(stakeholder) -> tuple[str, dict] | None:
    """The "partnership opportunities" section of a stakeholder's public page: its open ones."""
    opportunities = list(
        Opportunity.objects.open().filter(stakeholder=stakeholder).order_by("-published_at")
    )
    if not opportunities:
        return None
    return "partnerships/_stakeholder_section.html", {"opportunities": opportunities}


# --- 1:1 meetings ---------------------------------------------------------------------------------


def meetings_context(matchmaking, attendee) -> dict:
    """What a participant's page shows: the others (name, organisation, open opportunities),
    the requests sent and received, the slots and their own unavailability."""
    from .models import Attendee, MeetingRequest

    others = list(
        Attendee.objects.filter(matchmaking=matchmaking)
        .exclude(pk=attendee.pk)
        .select_related("participation__contact__stakeholder")
        .order_by("participation__contact__last_name", "pk")
    )
    org_ids = {a.participation.contact.stakeholder_id for a in others} - {None}
    by_org: dict[int, list] = {}
    for opportunity in Opportunity.objects.open().filter(stakeholder_id__in=org_ids):
        by_org.setdefault(opportunity.stakeholder_id, []).append(opportunity)
    requests = list(
        MeetingRequest.objects.filter(Q(requester=attendee) | Q(invitee=attendee)).select_related(
            "slot", "requester__participation__contact", "invitee__participation__contact"
        )
    )
    asked = {r.invitee_id if r.requester_id == attendee.pk else r.requester_id for r in requests}
    for other in others:
        other.opportunities = by_org.get(other.participation.contact.stakeholder_id, [])
        other.already = other.pk in asked
    return {
        "others": others,
        "received": [r for r in requests if r.invitee_id == attendee.pk],
        "sent": [r for r in requests if r.requester_id == attendee.pk],
        "slots": list(matchmaking.slots.all()),
        "unavailable": set(attendee.unavailable.values_list("pk", flat=True)),
    }


def grid(matchmaking) -> dict:
    """The organiser's grid: rows of (slot, [meeting or None per table]), the accepted meetings
    without a place, and counts."""
    from .models import MeetingRequest

    slots = list(matchmaking.slots.all())
    meetings = list(
        MeetingRequest.objects.filter(
            matchmaking=matchmaking, status=MeetingRequest.Status.ACCEPTED
        ).select_related(
            "requester__participation__contact__stakeholder",
            "invitee__participation__contact__stakeholder",
        )
    )
    placed = {(m.slot_id, m.table): m for m in meetings if m.slot_id}
    rows = [
        (slot, [placed.get((slot.pk, t)) for t in range(1, matchmaking.tables + 1)])
        for slot in slots
    ]
    return {
        "rows": rows,
        "slots": slots,
        "table_numbers": list(range(1, matchmaking.tables + 1)),
        "unplaced": [m for m in meetings if not m.slot_id],
        "placed_count": len(placed),
        "accepted_count": len(meetings),
        "attendee_count": matchmaking.attendees.count(),
    }


def matchmakings_of(user) -> list:
    """The coming AlpCafés with 1:1 meetings where the member has a seat."""
    from alpcafes.models import AlpCafe, Participation

    from .models import Matchmaking

    return list(
        Matchmaking.objects.filter(
            alpcafe__participations__contact__user=user,
            alpcafe__participations__status=Participation.Status.REGISTERED,
            alpcafe__state=AlpCafe.State.SCHEDULED,
            alpcafe__ends_at__gte=timezone.now(),
        )
        .select_related("alpcafe")
        .order_by("alpcafe__starts_at")
    )


def alpcafe_section(alpcafe) -> tuple[str, dict] | None:
    """The "1:1 meetings" section of an AlpCafé's public page, while its participants may ask
    for meetings: the same for every visitor (the page is cached), with the link to take part."""
    from .models import Matchmaking

    matchmaking = Matchmaking.objects.filter(alpcafe=alpcafe, is_open=True).first()
    if matchmaking is None or alpcafe.state != "scheduled":
        return None
    return "partnerships/_alpcafe_section.html", {"matchmaking": matchmaking}
