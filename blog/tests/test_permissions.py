"""Every blog URL × every role: logged out → log-in, wrong role → 403, hidden object → 404.

"author" wrote the posts and the comment used below; "staff" is a superuser.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alpcafes.tests.factories import AlpCafeFactory
from stakeholders.models import MODERATORS_GROUP
from stakeholders.tests.factories import SectorFactory, UserFactory

from .factories import CommentFactory, IdeaFactory, PostFactory, ProposalFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "author", "moderator", "staff"]
LOGIN = "login"

# page → expected status of a GET per role, in the order of ROLES.
GET_GRID = {
    "list": [200, 200, 200, 200, 200],
    "ideas": [200, 200, 200, 200, 200],
    "feed_rss": [200, 200, 200, 200, 200],
    "feed_atom": [200, 200, 200, 200, 200],
    "topic_feed_rss": [200, 200, 200, 200, 200],
    "topic_feed_atom": [200, 200, 200, 200, 200],
    "detail": [200, 200, 200, 200, 200],
    "detail_draft": [404, 404, 200, 200, 200],
    "detail_pending": [404, 404, 200, 200, 200],
    "detail_rejected": [404, 404, 200, 200, 200],
    "create": [LOGIN, 200, 200, 200, 200],
    "mine": [LOGIN, 200, 200, 200, 200],
    "edit": [LOGIN, 403, 200, 200, 200],
    "edit_draft": [LOGIN, 404, 200, 200, 200],
    "report": [LOGIN, 200, 200, 200, 200],
    "report_draft": [LOGIN, 404, 404, 404, 404],
    "comment_report": [LOGIN, 200, 200, 200, 200],
    "comment_edit": [LOGIN, 403, 200, 403, 403],
    "moderation": [LOGIN, 403, 403, 200, 200],
    "proposals": [200, 200, 200, 200, 200],
    "proposal_detail": [200, 200, 200, 200, 200],
    "proposal_draft": [404, 404, 404, 200, 200],
    "proposal_create": [LOGIN, 403, 403, 200, 200],
    "proposal_edit": [LOGIN, 403, 403, 200, 200],
}

# action → expected status of a POST per role (302: done, back to the page).
POST_GRID = {
    "support": [LOGIN, 302, 302, 302, 302],
    "support_draft": [LOGIN, 404, 302, 302, 302],
    "comment": [LOGIN, 302, 302, 302, 302],
    "comment_draft": [LOGIN, 404, 403, 403, 403],
    "comment_hide": [LOGIN, 403, 403, 302, 302],
    "idea_status": [LOGIN, 403, 403, 302, 302],
    "moderate_post": [LOGIN, 403, 403, 302, 302],
    "moderate_report": [LOGIN, 403, 403, 302, 302],
    "proposal_advance": [LOGIN, 403, 403, 302, 302],
    "endorse": [LOGIN, 302, 302, 302, 302],
    "endorse_draft": [LOGIN, 404, 404, 302, 302],
}


@pytest.fixture
def world():
    author = UserFactory(email="author@example.org")
    topic = SectorFactory(name="Wood", slug="wood")
    published = PostFactory(author=author, title="Published post", topics=[topic])
    idea = IdeaFactory(author=author, title="Published idea")
    draft_idea = IdeaFactory(author=author, title="Draft idea", state="draft", published_at=None)
    pending = PostFactory(author=author, title="Pending post", state="pending", published_at=None)
    rejected = PostFactory(
        author=author, title="Rejected", state="rejected", rejection_reason="No", published_at=None
    )
    comment = CommentFactory(post=published, author=author)
    proposal = ProposalFactory(ideas=[idea])
    draft_proposal = ProposalFactory(status="draft", opened_at=None, ideas=[idea])
    AlpCafeFactory(state="held")
    from blog.models import Report

    report = Report.objects.create(reporter=UserFactory(), comment=comment, reason="Spam")
    return {
        "author": author,
        "topic": topic,
        "published": published,
        "idea": idea,
        "draft_idea": draft_idea,
        "pending": pending,
        "rejected": rejected,
        "comment": comment,
        "proposal": proposal,
        "draft_proposal": draft_proposal,
        "report": report,
    }


def _get_url(name, w):
    post, draft = w["published"], w["draft_idea"]
    return {
        "list": reverse("blog:list"),
        "ideas": reverse("blog:ideas"),
        "feed_rss": reverse("blog:feed_rss"),
        "feed_atom": reverse("blog:feed_atom"),
        "topic_feed_rss": reverse("blog:topic_feed_rss", args=[w["topic"].slug]),
        "topic_feed_atom": reverse("blog:topic_feed_atom", args=[w["topic"].slug]),
        "detail": post.get_absolute_url(),
        "detail_draft": draft.get_absolute_url(),
        "detail_pending": w["pending"].get_absolute_url(),
        "detail_rejected": w["rejected"].get_absolute_url(),
        "create": reverse("blog:create"),
        "mine": reverse("blog:mine"),
        "edit": reverse("blog:edit", args=[post.slug]),
        "edit_draft": reverse("blog:edit", args=[draft.slug]),
        "report": reverse("blog:report", args=[post.slug]),
        "report_draft": reverse("blog:report", args=[draft.slug]),
        "comment_report": reverse("blog:comment_report", args=[w["comment"].pk]),
        "comment_edit": reverse("blog:comment_edit", args=[w["comment"].pk]),
        "moderation": reverse("blog:moderation"),
        "proposals": reverse("blog:proposals"),
        "proposal_detail": w["proposal"].get_absolute_url(),
        "proposal_draft": w["draft_proposal"].get_absolute_url(),
        "proposal_create": reverse("blog:proposal_create"),
        "proposal_edit": reverse("blog:proposal_edit", args=[w["proposal"].slug]),
    }[name]


def _post_request(name, w):
    idea, draft = w["idea"], w["draft_idea"]
    return {
        "support": (reverse("blog:support", args=[idea.slug]), {"action": "support"}),
        "support_draft": (reverse("blog:support", args=[draft.slug]), {"action": "support"}),
        "comment": (reverse("blog:comment", args=[idea.slug]), {"body": "Hello"}),
        "comment_draft": (reverse("blog:comment", args=[draft.slug]), {"body": "Hello"}),
        "comment_hide": (reverse("blog:comment_hide", args=[w["comment"].pk]), {}),
        "idea_status": (reverse("blog:idea_status", args=[idea.slug]), {"status": "discussion"}),
        "moderate_post": (
            reverse("blog:moderate_post", args=[w["pending"].pk]),
            {"decision": "approve"},
        ),
        "moderate_report": (
            reverse("blog:moderate_report", args=[w["report"].pk]),
            {"decision": "dismiss"},
        ),
        "proposal_advance": (
            reverse("blog:proposal_advance", args=[w["draft_proposal"].slug]),
            {"status": "open"},
        ),
        "endorse": (reverse("blog:endorse", args=[w["proposal"].slug]), {}),
        "endorse_draft": (reverse("blog:endorse", args=[w["draft_proposal"].slug]), {}),
    }[name]


def _login_as(client, role, w):
    if role == "visitor":
        return
    if role == "author":
        client.force_login(w["author"])
        return
    user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    if role == "moderator":
        user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client.force_login(user)


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("name", GET_GRID)
def test_blog_get_permission_grid(client, world, name, role_index):
    _login_as(client, ROLES[role_index], world)
    _check(client.get(_get_url(name, world)), GET_GRID[name][role_index])


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("name", POST_GRID)
def test_blog_post_permission_grid(client, world, name, role_index):
    _login_as(client, ROLES[role_index], world)
    url, data = _post_request(name, world)
    _check(client.post(url, data), POST_GRID[name][role_index])


@pytest.mark.parametrize("name", ["moderate_post", "comment_hide", "idea_status"])
def test_forbidden_actions_change_nothing(client, world, name):
    _login_as(client, "member", world)
    url, data = _post_request(name, world)
    client.post(url, data)
    world["pending"].refresh_from_db()
    world["comment"].refresh_from_db()
    world["idea"].refresh_from_db()
    assert world["pending"].state == "pending"
    assert not world["comment"].is_hidden
    assert world["idea"].idea_status == "open"


def test_moderation_actions_refuse_get(client, world):
    _login_as(client, "moderator", world)
    url, _data = _post_request("moderate_post", world)
    assert client.get(url).status_code == 405
