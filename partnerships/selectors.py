"""Reads of partnerships that more than one view, mail, feed or page uses."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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
