"""The blog's demo data, loaded after the rest of the demo data, as seed_demo will call it."""

import pytest
from django.core.management import call_command

from blog.demo import (
    IDEAS,
    PROPOSALS,
    bulk_post_count,
    held_alpcafes,
    seed_blog,
    seed_bulk_posts,
)
from blog.models import Comment, Endorsement, PolicyProposal, Post, Support

pytestmark = pytest.mark.django_db


def _snapshot():
    return {
        "posts": sorted(
            Post.objects.values_list(
                "slug", "kind", "state", "author__email", "alpcafe_id", "published_at",
                "body_html", "idea_status",
            )
        ),
        "comments": sorted(
            Comment.objects.values_list("post__slug", "author__email", "body", "parent__body")
        ),
        "supports": sorted(Support.objects.values_list("post__slug", "user__email")),
        "proposals": sorted(
            PolicyProposal.objects.values_list("slug", "status", "opened_at", "submitted_at")
        ),
        "endorsements": sorted(
            Endorsement.objects.values_list("proposal__slug", "stakeholder__slug")
        ),
    }  # fmt: skip


@pytest.fixture
def demo(capsys):
    call_command("seed_demo", verbosity=0)
    counts = seed_blog()
    capsys.readouterr()
    return counts


def test_seed_blog_gives_thirty_posts_across_kinds_and_one_waiting(demo):
    held = held_alpcafes()
    assert held, "the AlpCafés' demo data holds held AlpCafés"
    reports = min(len(held), 5)
    assert demo["posts"] == Post.objects.count() == 25 + reports == 30
    assert demo["reports"] == reports
    assert demo["pending"] == 1 == Post.objects.pending().count()
    assert Post.objects.filter(kind="news").count() == 15
    assert Post.objects.published().ideas().count() == 10 == len(IDEAS)
    assert Post.objects.values("author").distinct().count() >= 4
    for report in Post.objects.filter(kind="report"):
        assert report.alpcafe.state == "held"
        assert report.published_at > report.alpcafe.ends_at


def test_seed_blog_comments_supports_proposals_endorsements(demo):
    assert demo["comments"] == Comment.objects.count() >= 20
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(parent__parent__isnull=False).count() == 0
    ideas = Post.objects.published().ideas()
    assert all(idea.supports.exists() for idea in ideas)
    assert demo["supports"] == Support.objects.count()
    statuses = dict(PolicyProposal.objects.values_list("slug", "status"))
    assert sorted(statuses.values()) == ["open", "submitted"]
    assert len(statuses) == len(PROPOSALS) == demo["proposals"]
    for proposal in PolicyProposal.objects.all():
        assert proposal.ideas.exists() and proposal.alpcafes.exists()
        assert proposal.endorsements.count() >= 3
        assert all(e.stakeholder.state == "published" for e in proposal.endorsements.all())
        assert set(proposal.ideas.values_list("idea_status", flat=True)) == {"proposal"}
    assert Endorsement.objects.filter(endorsed_by__email="member@example.org").exists()


def test_seed_blog_is_idempotent_and_keeps_moderators_decisions(demo):
    first = _snapshot()
    assert seed_blog() == demo
    assert _snapshot() == first
    pending = Post.objects.pending().get()
    from blog.services import post_approve

    post_approve(post=pending)
    seed_blog()
    pending.refresh_from_db()
    assert pending.state == "published"


def test_demo_pages_render(client, demo):
    for url in ["/blog/", "/blog/ideas/", "/proposals/", "/blog/feed/rss/", "/blog/feed/atom/"]:
        assert client.get(url).status_code == 200, url
    for post in Post.objects.published():
        assert client.get(post.get_absolute_url()).status_code == 200
    for proposal in PolicyProposal.objects.all():
        html = client.get(proposal.get_absolute_url()).content.decode()
        assert "endorsement" in html


def test_bulk_posts_top_up_to_a_total():
    assert seed_bulk_posts(30, comments_per_post=2) == 30
    assert seed_bulk_posts(40, comments_per_post=2) == 10
    assert bulk_post_count() == 40
    assert Comment.objects.count() == 80
