"""Refused moderation changes nothing in the blog. (Every blog URL × role, GET and POST:
pages/tests/test_url_grid.py.)"""

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
