import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from alpcafes.tests.factories import AlpCafeFactory
from blog.models import Comment, PolicyProposal, Post, Report, Support
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import SectorFactory, StakeholderFactory, UserFactory

from .factories import CommentFactory, IdeaFactory, PostFactory, ProposalFactory, TagFactory

pytestmark = pytest.mark.django_db


def _png(size=(60, 40)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "cover.png"
    return buffer


# --- Lists ---------------------------------------------------------------------------------------


def test_list_shows_published_posts_only_newest_first(client):
    PostFactory(title="Older news")
    PostFactory(title="Newer news")
    PostFactory(title="Pending one", state="pending", published_at=None)
    PostFactory(title="Draft one", state="draft", published_at=None)
    response = client.get(reverse("blog:list"))
    assert [p.title for p in response.context["posts"]] == ["Newer news", "Older news"]
    html = response.content.decode()
    assert "2 posts" in html and "Pending one" not in html and "Draft one" not in html


def test_list_filters_by_topic_kind_and_tag(client):
    wood = SectorFactory(name="Wood", slug="wood")
    PostFactory(title="Wood news", topics=[wood], tags=[TagFactory(name="pine")])
    IdeaFactory(title="Wood idea", topics=[wood])
    PostFactory(title="Other news")
    url = reverse("blog:list")
    titles = lambda r: sorted(p.title for p in r.context["posts"])  # noqa: E731 — a local shorthand
    assert titles(client.get(url, {"topic": "wood"})) == ["Wood idea", "Wood news"]
    assert titles(client.get(url, {"topic": "wood", "kind": "idea"})) == ["Wood idea"]
    assert titles(client.get(url, {"tag": "pine"})) == ["Wood news"]
    html = client.get(url, {"topic": "wood"}).content.decode()
    assert reverse("blog:topic_feed_rss", args=["wood"]) in html
    assert client.get(url, {"kind": "nonsense"}).status_code == 200


def test_list_searches(client):
    PostFactory(title="Hydrogen valleys in the Alps", body_markdown="Fuel cells.")
    PostFactory(title="Timber", body_markdown="Wood construction.")
    response = client.get(reverse("blog:list"), {"q": "hydrogen"})
    assert [p.title for p in response.context["posts"]] == ["Hydrogen valleys in the Alps"]
    empty = client.get(reverse("blog:list"), {"q": "nothingmatches"}).content.decode()
    assert "No post matches." in empty


def test_list_paginates_by_twenty(client, many_posts):
    many_posts(25, comments=0)
    page2 = client.get(reverse("blog:list"), {"page": 2})
    assert len(page2.context["posts"]) == 5
    assert "Page 2 of 2" in page2.content.decode()


def test_ideas_sorted_by_supports_or_recency(client):
    quiet = IdeaFactory(title="Quiet idea")
    popular = IdeaFactory(title="Popular idea")
    PostFactory(title="Not an idea")
    for _ in range(3):
        Support.objects.create(post=popular, user=UserFactory())
    Support.objects.create(post=quiet, user=UserFactory())
    by_supports = client.get(reverse("blog:ideas"))
    assert [p.title for p in by_supports.context["posts"]] == ["Popular idea", "Quiet idea"]
    assert "3 supports" in by_supports.content.decode()
    newest = IdeaFactory(title="Newest idea")
    by_date = client.get(reverse("blog:ideas"), {"sort": "new"})
    assert by_date.context["posts"][0].title == newest.title


# --- Detail --------------------------------------------------------------------------------------


def test_detail_has_open_graph_canonical_and_threads(client):
    post = PostFactory(title="Cluster news", body_markdown="Hello *Alps*.")
    top = CommentFactory(post=post, body="First!")
    CommentFactory(post=post, parent=top, body="A reply")
    CommentFactory(post=post, body="Hidden text", hidden_at="2014-01-01T00:00Z")
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="http://testserver/blog/cluster-news/">' in html
    assert '<meta property="og:title" content="Cluster news">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:description" content="Hello Alps.">' in html
    assert "<em>Alps</em>" in html
    assert "First!" in html and "A reply" in html
    assert "Hidden text" not in html and "hidden by a moderator" in html
    assert "2 comments" in html


def test_detail_og_image_is_the_absolute_cover(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("blog:create"),
        {"kind": "news", "title": "With a cover", "body_markdown": "x", "cover": _png(),
         "cover_alt": "A lake", "action": "submit"},
    )  # fmt: skip
    post = Post.objects.get()
    assert response.url == post.get_absolute_url()
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver/media/{post.cover.name}">' in html


def test_report_post_links_its_alpcafe(client):
    alpcafe = AlpCafeFactory(state="held", title="Wood AlpCafé")
    post = PostFactory(kind="report", alpcafe=alpcafe)
    html = client.get(post.get_absolute_url()).content.decode()
    assert alpcafe.get_absolute_url() in html and "Wood AlpCafé" in html


# --- Writing -------------------------------------------------------------------------------------


def test_member_writes_an_idea_that_waits_for_moderation(client, member):
    client.force_login(member)
    form = client.get(reverse("blog:create") + "?kind=idea")
    assert form.status_code == 200
    wood = SectorFactory(name="Wood")
    response = client.post(
        reverse("blog:create"),
        {"kind": "idea", "title": "Alpine timber label", "body_markdown": "Let us **label**.",
         "topics": [wood.pk], "tags": "timber, label", "action": "submit"},
    )  # fmt: skip
    post = Post.objects.get()
    assert response.status_code == 302 and response.url == post.get_absolute_url()
    assert post.state == "pending" and post.author == member
    assert sorted(post.tags.values_list("name", flat=True)) == ["label", "timber"]
    page = client.get(post.get_absolute_url(), follow=True).content.decode()
    assert "A moderator will read your post" in page
    assert "Waiting for a moderator" in page
    client.logout()
    assert client.get(post.get_absolute_url()).status_code == 404


def test_member_saves_a_draft_then_edits_and_submits(client, member):
    client.force_login(member)
    client.post(
        reverse("blog:create"),
        {"kind": "news", "title": "Draft news", "body_markdown": "x", "action": "draft"},
    )
    post = Post.objects.get()
    assert post.state == "draft"
    response = client.post(
        reverse("blog:edit", args=[post.slug]),
        {"kind": "news", "title": "Draft news", "body_markdown": "Final", "tags": "",
         "action": "submit"},
    )  # fmt: skip
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.state == "pending" and post.body_html == "<p>Final</p>"
    mine = client.get(reverse("blog:mine")).content.decode()
    assert "Draft news" in mine


def test_write_form_shows_clear_errors(client, member):
    client.force_login(member)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    gif.seek(0)
    gif.name = "cover.png"
    response = client.post(
        reverse("blog:create"),
        {"kind": "report", "title": "", "body_markdown": "x", "cover": gif, "action": "submit"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "title" in errors
    assert errors["alpcafe"] == ["Choose the AlpCafé this report is about."]
    assert "Please upload a JPEG, PNG or WebP image (this one is GIF)." in errors["cover"]
    assert not Post.objects.exists()


def test_report_form_offers_held_alpcafes_only(client, member):
    held = AlpCafeFactory(state="held", title="Held one")
    AlpCafeFactory(title="Upcoming one")
    client.force_login(member)
    html = client.get(reverse("blog:create") + f"?alpcafe={held.slug}").content.decode()
    assert "Held one" in html and "Upcoming one" not in html
    assert f'<option value="{held.pk}" selected>' in html


def test_moderator_approves_from_the_queue_and_the_author_is_mailed(
    client, member, moderator, on_commit, mailoutbox
):
    post = PostFactory(author=member, title="Waiting", state="pending", published_at=None)
    client.force_login(moderator)
    queue = client.get(reverse("blog:moderation")).content.decode()
    assert "1 post waits for approval" in queue and "Waiting" in queue
    with on_commit(execute=True):
        response = client.post(
            reverse("blog:moderate_post", args=[post.pk]), {"decision": "approve"}
        )
    assert response.url == reverse("blog:moderation")
    post.refresh_from_db()
    assert post.state == "published"
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_moderator_rejection_needs_a_reason(client, member, moderator):
    post = PostFactory(author=member, state="pending", published_at=None)
    client.force_login(moderator)
    client.post(reverse("blog:moderate_post", args=[post.pk]), {"decision": "reject"})
    post.refresh_from_db()
    assert post.state == "pending"
    client.post(
        reverse("blog:moderate_post", args=[post.pk]), {"decision": "reject", "reason": "Spam"}
    )
    post.refresh_from_db()
    assert post.state == "rejected"
    client.force_login(member)
    assert "Spam" in client.get(post.get_absolute_url()).content.decode()


# --- Supports, comments, reports -----------------------------------------------------------------


def test_support_and_withdraw_through_the_page(client, member):
    idea = IdeaFactory()
    client.force_login(member)
    client.post(reverse("blog:support", args=[idea.slug]), {"action": "support"})
    client.post(reverse("blog:support", args=[idea.slug]), {"action": "support"})
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "1 member supports this idea" in html and "Withdraw my support" in html
    client.post(reverse("blog:support", args=[idea.slug]), {"action": "withdraw"})
    assert not Support.objects.exists()
    news = PostFactory()
    assert client.post(reverse("blog:support", args=[news.slug])).status_code == 404


def test_comment_and_reply_through_the_page(client, member, other_member):
    post = PostFactory()
    client.force_login(member)
    response = client.post(
        reverse("blog:comment", args=[post.slug]), {"body": "Good point: https://example.org"}
    )
    comment = Comment.objects.get()
    assert response.url == f"{post.get_absolute_url()}#comment-{comment.pk}"
    client.force_login(other_member)
    client.post(reverse("blog:comment", args=[post.slug]), {"body": "Agreed", "parent": comment.pk})
    reply = Comment.objects.get(body="Agreed")
    assert reply.parent == comment
    empty = client.post(reverse("blog:comment", args=[post.slug]), {"body": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()


def test_comment_edit_within_the_window_only(client, member, settings):
    settings.BLOG_COMMENT_EDIT_MINUTES = 15
    comment = CommentFactory(author=member)
    client.force_login(member)
    html = client.get(comment.post.get_absolute_url()).content.decode()
    assert reverse("blog:comment_edit", args=[comment.pk]) in html
    client.post(reverse("blog:comment_edit", args=[comment.pk]), {"body": "Edited text"})
    comment.refresh_from_db()
    assert comment.body == "Edited text" and comment.edited_at
    settings.BLOG_COMMENT_EDIT_MINUTES = 0
    Comment.objects.filter(pk=comment.pk).update(created_at="2014-01-01T00:00Z")
    assert client.get(reverse("blog:comment_edit", args=[comment.pk])).status_code == 403


def test_report_then_moderator_hides_and_reporter_hears(
    client, member, moderator, on_commit, mailoutbox
):
    comment = CommentFactory(body="Rude words")
    client.force_login(member)
    assert client.get(reverse("blog:comment_report", args=[comment.pk])).status_code == 200
    client.post(reverse("blog:comment_report", args=[comment.pk]), {"reason": "Insulting"})
    report = Report.objects.get()
    assert report.comment == comment and report.reporter == member
    client.force_login(moderator)
    queue = client.get(reverse("blog:moderation")).content.decode()
    assert "1 open report" in queue and "Insulting" in queue and "Rude words" in queue
    with on_commit(execute=True):
        client.post(reverse("blog:moderate_report", args=[report.pk]), {"decision": "hide"})
    comment.refresh_from_db()
    assert comment.is_hidden
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert "hidden the comment" in message.body
    client.force_login(member)
    assert "Rude words" not in client.get(comment.post.get_absolute_url()).content.decode()


def test_moderator_hides_and_shows_a_comment_directly(client, moderator):
    comment = CommentFactory()
    client.force_login(moderator)
    client.post(reverse("blog:comment_hide", args=[comment.pk]), {"action": "hide"})
    comment.refresh_from_db()
    assert comment.is_hidden
    client.post(reverse("blog:comment_hide", args=[comment.pk]), {"action": "show"})
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_moderator_sets_the_status_of_an_idea(client, moderator):
    idea = IdeaFactory()
    client.force_login(moderator)
    client.post(reverse("blog:idea_status", args=[idea.slug]), {"status": "discussion"})
    idea.refresh_from_db()
    assert idea.idea_status == "discussion"


# --- Proposals -----------------------------------------------------------------------------------


def test_moderator_builds_a_proposal_from_an_idea_and_opens_it(client, moderator):
    idea = IdeaFactory(title="Shared testbeds")
    held = AlpCafeFactory(state="held", title="Testbed AlpCafé")
    client.force_login(moderator)
    form = client.get(reverse("blog:proposal_create") + f"?ideas={idea.pk}").content.decode()
    assert re.search(rf'value="{idea.pk}"[^>]*checked', form)
    response = client.post(
        reverse("blog:proposal_create"),
        {"title": "Alpine testbeds", "problem": "No testbeds.", "joint_action": "Share them.",
         "level": "eu", "ideas": [idea.pk], "alpcafes": [held.pk]},
    )  # fmt: skip
    proposal = PolicyProposal.objects.get()
    assert response.url == proposal.get_absolute_url()
    client.post(reverse("blog:proposal_advance", args=[proposal.slug]), {"status": "open"})
    proposal.refresh_from_db()
    assert proposal.status == "open"
    client.logout()
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "Shared testbeds" in html and "Testbed AlpCafé" in html
    assert "European Union" in html
    idea_page = client.get(idea.get_absolute_url()).content.decode()
    assert "Alpine testbeds" in idea_page and "Taken into a proposal" in idea_page


def test_member_endorses_for_their_organisation_listed_with_its_country(
    client, member, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory()
    org = StakeholderFactory(name="Cluster Lombardia", country="IT")
    contact = contact_for_user(user=member)
    contact.stakeholder = org
    contact.save()
    client.force_login(member)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Endorse on behalf of Cluster Lombardia" in page
    with django_capture_on_commit_callbacks(execute=True):  # as when the request commits
        response = client.post(reverse("blog:endorse", args=[proposal.slug]))
    html = client.get(response.url).content.decode()
    assert "Cluster Lombardia endorses this proposal. Thank you!" in html
    assert 'Cluster Lombardia</a> <span class="text-body-secondary">(Italy)</span>' in html
    assert "1 endorsement" in html


def test_member_without_organisation_is_told_clearly(client, member):
    proposal = ProposalFactory()
    client.force_login(member)
    response = client.post(reverse("blog:endorse", args=[proposal.slug]), follow=True)
    assert "on behalf of an organisation only" in response.content.decode()
    assert not proposal.endorsements.exists()


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_support_clicks_show_no_error():
    """One member's twenty simultaneous clicks (real connections): one support, each request
    answered with the page and a thank-you, none with an error."""
    import threading

    from django.db import connection
    from django.test import Client

    idea = IdeaFactory()
    member = UserFactory()
    barrier = threading.Barrier(20)
    responses, errors = [], []

    def click():
        client = Client()
        client.force_login(member)
        try:
            barrier.wait()
            responses.append(
                client.post(reverse("blog:support", args=[idea.slug]), {"action": "support"})
            )
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [r.status_code for r in responses] == [302] * 20
    assert Support.objects.filter(post=idea, user=member).count() == 1


@pytest.mark.parametrize(
    "next_value", ["0", "blog:list", "https://evil.example/", "//evil.example"]
)
def test_moderation_goes_back_only_to_a_page_of_this_site(client, moderator, next_value):
    """A "next" that is not a path of this site (a bare word, which redirect() took for the name
    of a view and answered 500; another site) leads back to the queue."""
    post = PostFactory(state="pending", published_at=None)
    client.force_login(moderator)
    response = client.post(
        reverse("blog:moderate_post", args=[post.pk]), {"decision": "approve", "next": next_value}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("blog:moderation")
    post.refresh_from_db()
    assert post.state == "published"


def test_a_reply_carries_the_repliers_own_csrf_token(member, other_member):
    """The comments are kept for every member who wrote none of them: the reply forms in them
    must carry each member's own CSRF token, or the second member's reply is refused (403) and
    what they typed is lost. (The token of the first member to see the page was kept.)"""
    from django.test import Client

    author = UserFactory()
    post = PostFactory()
    comment = CommentFactory(post=post, author=author, body="Worth discussing")
    for user in (member, other_member):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        html = browser.get(post.get_absolute_url()).content.decode()
        reply_form = html[html.index(f'name="parent" value="{comment.pk}"') - 400 :]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reply_form).group(1)
        response = browser.post(
            reverse("blog:comment", args=[post.slug]),
            {"body": f"Reply by {user.pk}", "parent": comment.pk, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.status_code
        assert Comment.objects.get(body=f"Reply by {user.pk}").parent == comment
