import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from blog.models import Comment, PolicyProposal, Post, Report
from stakeholders.tests.factories import StakeholderFactory

from .factories import CommentFactory, IdeaFactory, PostFactory, ProposalFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["post", "comment", "report", "policyproposal", "tag"], ids=lambda m: m
)
def test_admin_pages_open(admin_client, model):
    post = PostFactory()
    comment = CommentFactory(post=post)
    Report.objects.create(reporter=comment.author, comment=comment, reason="Spam")
    ProposalFactory(ideas=[IdeaFactory()])
    TagFactory()
    objects = {
        "post": post,
        "comment": comment,
        "report": Report.objects.get(),
        "policyproposal": PolicyProposal.objects.get(),
        "tag": post.tags.model.objects.first(),
    }
    changelist = reverse(f"admin:blog_{model}_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"q": "x"}).status_code == 200
    change = reverse(f"admin:blog_{model}_change", args=[objects[model].pk])
    assert admin_client.get(change).status_code == 200


def _post_data(post, **changes):
    data = {
        "kind": post.kind,
        "title": post.title,
        "slug": post.slug,
        "author": post.author_id,
        "body_markdown": post.body_markdown,
        "cover_alt": "",
        "state": post.state,
        "rejection_reason": post.rejection_reason,
        "idea_status": post.idea_status,
    }
    return {**data, **changes}


def test_admin_change_renders_and_decides_through_the_services(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    post = PostFactory(state="pending", published_at=None, title="Admin post")
    url = reverse("admin:blog_post_change", args=[post.pk])
    response = admin_client.post(url, _post_data(post, state="rejected"))
    assert response.status_code == 200  # a rejection needs its reason
    assert "Please give the reason" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, _post_data(post, state="published", body_markdown="New <b onclick=x>text</b>")
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == "published" and post.published_at is not None
    assert post.body_html == "<p>New <b>text</b></p>"
    (message,) = mailoutbox
    assert message.to == [post.author.email] and "is published" in message.subject


def test_admin_approve_action(admin_client, django_capture_on_commit_callbacks, mailoutbox):
    pending = [PostFactory(state="pending", published_at=None) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:blog_post_changelist"),
            {"action": "approve_selected", ACTION_CHECKBOX_NAME: [p.pk for p in pending]},
        )
    assert Post.objects.published().count() == 2
    assert len(mailoutbox) == 2


def test_admin_report_actions_tell_the_reporter(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    comment = CommentFactory()
    report = Report.objects.create(reporter=comment.post.author, comment=comment, reason="Rude")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:blog_report_changelist"),
            {"action": "hide_content", ACTION_CHECKBOX_NAME: [report.pk]},
        )
    assert Comment.objects.get().is_hidden
    assert [m.to for m in mailoutbox] == [[report.reporter.email]]


def test_admin_proposal_renders_marks_ideas_and_takes_endorsements(admin_client):
    idea = IdeaFactory()
    stakeholder = StakeholderFactory()
    response = admin_client.post(
        reverse("admin:blog_policyproposal_add"),
        {
            "title": "Admin proposal",
            "slug": "admin-proposal",
            "problem": "A *problem*",
            "joint_action": "An action",
            "level": "regional",
            "ideas": [idea.pk],
            "endorsements-TOTAL_FORMS": "1",
            "endorsements-INITIAL_FORMS": "0",
            "endorsements-0-stakeholder": stakeholder.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    proposal = PolicyProposal.objects.get()
    assert proposal.problem_html == "<p>A <em>problem</em></p>"
    assert proposal.status == "draft"
    assert proposal.endorsements.get().stakeholder == stakeholder
    idea.refresh_from_db()
    assert idea.idea_status == "proposal"
    admin_client.post(
        reverse("admin:blog_policyproposal_changelist"),
        {"action": "open_selected", ACTION_CHECKBOX_NAME: [proposal.pk]},
    )
    proposal.refresh_from_db()
    assert proposal.status == "open"
