"""Query counts of the blog's pages, pinned, and the same at 10 and at 1,000 posts of 100 comments
each (bulk-created): no page does a query per post or per comment."""

import pytest
from django.urls import reverse

from blog.models import Post, Support
from common.versions import data_changed
from stakeholders.tests.factories import UserFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _footer_facts_cached(db):
    """Every page's footer shows the project's facts, read once and cached (a query on a cold
    cache): cached here, so that the counts are the blog's own."""
    from pages.project import current

    current()


# The page of posts, its count, the topics of the filter form, the page's topics and tags.
LIST_QUERIES = 5
# The post (its title, state and author), then for its fragments the post with its counts,
# topics, tags, the comments with their authors, the proposals it went into (an idea).
DETAIL_QUERIES = 6
# With the page kept (the same for every visitor, until the blog changes), and the post itself
# (common.fragments.current_object): nothing.
DETAIL_KEPT_QUERIES = 0
# As a member (the session comes from the cache; the post is kept from the visitors' request):
# the user with their groups (a moderator?), whether they wrote one of the comments (then theirs
# carry edit links), whether they support the idea, and the fragments' five.
DETAIL_MEMBER_QUERIES = DETAIL_QUERIES - 1 + 3
# A member with the page kept: the user, whether they wrote a comment, whether they support it.
DETAIL_MEMBER_KEPT_QUERIES = 3


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (reverse("blog:list"), LIST_QUERIES),
        # The topic is looked up by its slug.
        (reverse("blog:list") + "?q=clusters&topic=ict&kind=idea", LIST_QUERIES + 1),
        (reverse("blog:ideas") + "?sort=supports", LIST_QUERIES),
        (reverse("blog:list") + "?page=2", LIST_QUERIES),
        (reverse("blog:feed_rss"), 2),
        (reverse("blog:topic_feed_atom", args=["ict"]), 3),
    ],
)
def test_list_query_count_does_not_grow(
    client, many_posts, url, queries, django_assert_num_queries
):
    many_posts(30, kind=Post.Kind.IDEA, prefix="Small")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    many_posts(1000, kind=Post.Kind.IDEA, prefix="Large")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_detail_query_count_does_not_grow(client, many_posts, django_assert_num_queries):
    small = many_posts(10, kind=Post.Kind.IDEA, prefix="Small")[0]
    ProposalFactory(ideas=[small])
    for _ in range(3):
        Support.objects.create(post=small, user=UserFactory())
    member = UserFactory()
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(small.get_absolute_url())
    assert "100 comments" in response.content.decode()
    assert "3 members support this idea" in response.content.decode()
    with django_assert_num_queries(DETAIL_KEPT_QUERIES):
        kept = client.get(small.get_absolute_url() + "?miss=1")
    # The same page (only the language menu's way back names the other address).
    assert kept.content.replace(b"?miss=1", b"") == response.content
    client.force_login(member)
    with django_assert_num_queries(DETAIL_MEMBER_QUERIES):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(DETAIL_MEMBER_KEPT_QUERIES):
        html = client.get(small.get_absolute_url()).content.decode()
    assert "100 comments" in html and "3 members support this idea" in html
    client.logout()

    large = many_posts(1000, kind=Post.Kind.IDEA, prefix="Large")[500]
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(large.get_absolute_url())
    assert "100 comments" in response.content.decode()
    client.force_login(member)
    with django_assert_num_queries(DETAIL_MEMBER_QUERIES):
        client.get(large.get_absolute_url())


def test_proposal_pages_query_count_does_not_grow(client, many_posts, django_assert_num_queries):
    ideas = many_posts(10, comments=0, kind=Post.Kind.IDEA)
    proposal = ProposalFactory(ideas=ideas[:2])
    with django_assert_num_queries(2):
        client.get(reverse("blog:proposals"))
    # The proposal (title, state), then for its fragments: the proposal, its ideas with their
    # counts and authors, its AlpCafés, its endorsements.
    with django_assert_num_queries(5) as small:
        client.get(proposal.get_absolute_url())
    with django_assert_num_queries(1):  # its fragments kept: the proposal alone
        client.get(proposal.get_absolute_url() + "?miss=1")
    for n in range(20):
        ProposalFactory(title=f"More {n}", ideas=ideas)
    proposal.ideas.set(ideas)
    data_changed("blog")  # the factories write past the services
    with django_assert_num_queries(2):
        client.get(reverse("blog:proposals"))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(proposal.get_absolute_url())


def test_moderation_queue_and_my_posts_query_counts_do_not_grow(
    client, moderator, django_assert_num_queries
):
    from blog.models import Report

    from .factories import CommentFactory, PostFactory

    def add(n):
        for _ in range(n):
            PostFactory(author=moderator, state="pending", published_at=None)
            comment = CommentFactory()
            Report.objects.create(reporter=comment.author, comment=comment, reason="Spam")
            Report.objects.create(reporter=comment.author, post=comment.post, reason="Spam")

    client.force_login(moderator)
    add(2)
    client.get(reverse("blog:moderation"))  # the menu's queue counts, cached for a minute
    # The user with their groups, the pending posts and their topics, the open reports.
    with django_assert_num_queries(4):
        client.get(reverse("blog:moderation"))
    # The user with their groups (the menu), the count, the page of posts, its topics and tags.
    with django_assert_num_queries(5):
        client.get(reverse("blog:mine"))
    add(20)
    with django_assert_num_queries(4):
        client.get(reverse("blog:moderation"))
    with django_assert_num_queries(5):
        client.get(reverse("blog:mine"))
