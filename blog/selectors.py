"""Reads of the community space that more than one view, feed or page uses."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from common.search import full_text

from .models import Comment, Endorsement, PolicyProposal, Post, Support


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count: unlike Count() over joins, several of them never multiply each other."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(queryset.model._meta.get_field("post").attname)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def with_counts(queryset: QuerySet) -> QuerySet:
    """Posts with their numbers of visible comments and of supports, in the same query."""
    return queryset.annotate(
        comment_count=_count(Comment.objects.filter(post=OuterRef("pk"), hidden_at__isnull=True)),
        support_count=_count(Support.objects.filter(post=OuterRef("pk"))),
    )


def card_relations(queryset: QuerySet) -> QuerySet:
    """What a card shows beside the post: its author, the AlpCafé of a report, topics and tags.
    The texts stay in the database: a card shows the excerpt."""
    return (
        queryset.select_related("author", "alpcafe")
        .prefetch_related("topics", "tags")
        .defer("body_markdown", "body_html")
    )


def post_for_page(queryset: QuerySet) -> QuerySet:
    """A post with everything its own page shows but the comments."""
    return with_counts(
        queryset.select_related("author", "alpcafe").prefetch_related("topics", "tags")
    )


def for_cards(queryset: QuerySet) -> QuerySet:
    """Posts with everything a card shows, counts included."""
    return with_counts(card_relations(queryset))


def posts_latest(limit: int = 3) -> list[Post]:
    """The newest published posts (for the home page)."""
    return list(for_cards(Post.objects.published()).order_by("-published_at", "-pk")[:limit])


def posts_search(queryset: QuerySet, text: str) -> QuerySet:
    """Full-text search over title, tags, topics and text (common/search.py); on SQLite the
    title and the text."""
    return full_text(queryset, text, fallback_fields=["title", "body_markdown"])


def post_comments(post: Post) -> list[Comment]:
    """The post's comments as threads: top-level comments, each with ``thread_replies``, from one
    query. Hidden comments stay in place (shown as hidden) so that their replies keep context."""
    comments = list(Comment.objects.filter(post=post).select_related("author"))
    top: list[Comment] = []
    by_id: dict[int, Comment] = {}
    for comment in comments:
        comment.thread_replies = []
        by_id[comment.pk] = comment
    for comment in comments:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        (parent.thread_replies if parent else top).append(comment)
    return top


def has_supported(post: Post, user) -> bool:
    return user.is_authenticated and Support.objects.filter(post=post, user=user).exists()


def proposals_from_idea(post: Post) -> list[PolicyProposal]:
    return list(post.proposals.public().only("title", "slug", "status"))


def pending_posts() -> QuerySet:
    return (
        Post.objects.pending()
        .select_related("author", "alpcafe")
        .prefetch_related("topics")
        .order_by("updated_at")
    )


def open_reports() -> QuerySet:
    from .models import Report

    return (
        Report.objects.filter(status=Report.Status.OPEN)
        .select_related("reporter", "post__author", "comment__author", "comment__post")
        .order_by("created_at")
    )


def proposals_public() -> QuerySet:
    return proposals_with_counts(PolicyProposal.objects.public())


def proposals_with_counts(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(endorsement_count=Count("endorsements")).order_by(
        "-opened_at", "-created_at"
    )


def proposal_detail_queryset() -> QuerySet:
    return PolicyProposal.objects.select_related("created_by").prefetch_related(
        Prefetch(
            "ideas",
            queryset=with_counts(Post.objects.select_related("author")).order_by("-published_at"),
        ),
        "alpcafes",
    )


def proposal_endorsements(proposal: PolicyProposal) -> list[Endorsement]:
    return list(
        Endorsement.objects.filter(proposal=proposal)
        .select_related("stakeholder")
        .only("created_at", "stakeholder__name", "stakeholder__slug", "stakeholder__country")
    )


def endorsed_by_stakeholder(proposal: PolicyProposal, stakeholder_id: int | None) -> bool:
    if stakeholder_id is None:
        return False
    return Endorsement.objects.filter(proposal=proposal, stakeholder_id=stakeholder_id).exists()


def idea_candidates() -> QuerySet:
    """Published ideas a proposal may grow from, the most supported first."""
    return with_counts(Post.objects.published().ideas()).order_by("-support_count", "-published_at")


def alpcafe_reports_section(alpcafe) -> tuple[str, dict] | None:
    """The "reports from this AlpCafé" section of an AlpCafé's page (published reports only)."""
    reports = list(
        Post.objects.published()
        .filter(kind=Post.Kind.REPORT, alpcafe=alpcafe)
        .only("title", "slug", "published_at")
        .order_by("-published_at")
    )
    if not reports:
        return None
    return "blog/_alpcafe_reports.html", {"posts": reports}
