import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from alpcafes.tests.factories import AlpCafeFactory
from blog import selectors, services
from blog.models import Comment, Endorsement, Post, Report, Support, Tag
from stakeholders.services import contact_for_user, stakeholders_merge
from stakeholders.tests.factories import SectorFactory, StakeholderFactory, UserFactory

from .factories import CommentFactory, IdeaFactory, PostFactory, ProposalFactory

pytestmark = pytest.mark.django_db


def _image(fmt="PNG", size=(40, 30), name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "steelblue").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _write(author, **kwargs):
    values = {"kind": "news", "title": "Hydrogen valleys", "body_markdown": "Some *text*."}
    return services.post_create(author=author, **{**values, **kwargs})


# --- Posts and moderation ------------------------------------------------------------------------


def test_member_post_waits_for_moderation_and_is_rendered_once(member):
    post = _write(member, body_markdown="# Title\n\nHello **Alps** <script>alert(1)</script>")
    assert post.state == Post.State.PENDING
    assert post.published_at is None
    assert post.body_html.startswith("<h2>Title</h2>")
    assert "<strong>Alps</strong>" in post.body_html
    assert "script" not in post.body_html
    assert post.excerpt == "Title Hello Alps"
    assert post.slug == "hydrogen-valleys"


def test_moderator_publishes_directly(moderator):
    post = _write(moderator)
    assert post.state == Post.State.PUBLISHED and post.published_at is not None


def test_member_becomes_trusted_after_the_set_number_of_approved_posts(member, settings):
    settings.BLOG_TRUSTED_AFTER_APPROVED_POSTS = 2
    for _ in range(2):
        assert _write(member).state == Post.State.PENDING
    for post in Post.objects.filter(author=member):
        services.post_approve(post=post)
    member = type(member).objects.get(pk=member.pk)  # a fresh user: no cached trust
    assert _write(member).state == Post.State.PUBLISHED


def test_draft_stays_private_then_submits(member):
    post = _write(member, submit=False)
    assert post.state == Post.State.DRAFT
    post = services.post_update(post=post, editor=member, submit=True, title="Better title")
    assert post.state == Post.State.PENDING
    assert post.slug == "hydrogen-valleys"  # a slug never changes with the title


def test_untrusted_change_to_a_published_post_goes_back_to_moderation(member, moderator):
    post = services.post_approve(post=_write(member))
    post = services.post_update(post=post, editor=member, submit=True, body_markdown="Changed")
    assert post.state == Post.State.PENDING
    assert post.body_html == "<p>Changed</p>"
    with pytest.raises(ValidationError):
        services.post_update(post=services.post_approve(post=post), editor=member, submit=False)
    # A moderator's change keeps it published.
    post = services.post_update(post=post, editor=moderator, submit=True, title="Edited")
    assert post.state == Post.State.PUBLISHED


def test_moderator_publishing_a_waiting_post_from_its_form_mails_the_author(
    member, moderator, on_commit
):
    post = _write(member)
    with on_commit(execute=True):
        services.post_update(post=post, editor=moderator, submit=True, title="Tidied title")
    assert post.state == Post.State.PUBLISHED
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_latest_posts_for_the_home_page(moderator):
    for title in ("One", "Two", "Three", "Four"):
        _write(moderator, title=title)
    _write(moderator, title="Draft", submit=False)
    assert [p.title for p in selectors.posts_latest(3)] == ["Four", "Three", "Two"]


def test_slugs_are_unique_and_never_shadow_a_path(member):
    assert _write(member, title="New").slug == "new-post"
    assert _write(member, title="Hydrogen valleys").slug == "hydrogen-valleys"
    assert _write(member, title="Hydrogen valleys").slug == "hydrogen-valleys-2"


def test_approve_and_reject_mail_the_author(member, moderator, on_commit):
    post = _write(member)
    with on_commit(execute=True):
        services.post_approve(post=post, moderator=moderator)
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == '[AlpClusters] Your post "Hydrogen valleys" is published'
    assert "http://127.0.0.1:8000/blog/hydrogen-valleys/" in message.body
    assert message.alternatives

    other = _write(member, title="Spam")
    with pytest.raises(ValidationError):
        services.post_reject(post=other, reason="  ", moderator=moderator)
    with on_commit(execute=True):
        services.post_reject(post=other, reason="Off topic for the portal.", moderator=moderator)
    assert mail.outbox[1].subject == '[AlpClusters] Your post "Spam" was not published'
    assert "Off topic for the portal." in mail.outbox[1].body
    other.refresh_from_db()
    assert other.state == Post.State.REJECTED


def test_report_needs_a_held_alpcafe_and_other_kinds_none(member):
    held = AlpCafeFactory(state="held")
    scheduled = AlpCafeFactory()
    with pytest.raises(ValidationError):
        _write(member, kind="report")
    with pytest.raises(ValidationError):
        _write(member, kind="report", alpcafe=scheduled)
    with pytest.raises(ValidationError):
        _write(member, kind="news", alpcafe=held)
    assert _write(member, kind="report", alpcafe=held).alpcafe == held


def test_topics_and_tags_are_kept_and_tags_deduplicated(member):
    wood = SectorFactory(name="Wood")
    tags = services.tags_from_names(["Timber", "timber", " Swiss  pine ", ""])
    assert [t.slug for t in tags] == ["timber", "swiss-pine"]
    post = _write(member, topics=[wood], tags=tags)
    assert list(post.topics.all()) == [wood]
    assert Tag.objects.count() == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: _image("GIF", name="cover.png"), "JPEG, PNG or WebP"),
        (lambda: _image("PNG", size=(4001, 10)), "4001×10"),
        (lambda: SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"), "not an image"),
        (lambda: SimpleUploadedFile("big.png", b"0" * (2 * 1024 * 1024 + 1)), "too large"),
    ],
    ids=["gif-named-png", "too-wide", "not-an-image", "over-2mb"],
)
def test_cover_is_checked_by_content_and_size(member, upload, message):
    with pytest.raises(ValidationError) as error:
        _write(member, cover=upload())
    assert message in str(error.value)


def test_cover_accepts_jpeg_png_webp(member):
    for fmt in ("JPEG", "PNG", "WEBP"):
        post = _write(member, cover=_image(fmt, name=f"c.{fmt.lower()}"))
        assert post.cover.name.startswith("blog/covers/")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full text")
def test_search_finds_title_tags_topics_and_text_ranked_and_accent_free(member, moderator):
    wood = SectorFactory(name="Wood & Timber")
    first = _write(moderator, title="Zirbe in Südtirol", body_markdown="About cembra pine.")
    second = _write(moderator, title="Something else", body_markdown="Südtirol is mentioned.")
    tagged = _write(moderator, title="Tagged", tags=services.tags_from_names(["hydrogen"]))
    topical = _write(moderator, title="Topical", topics=[wood])
    published = Post.objects.published()
    found = list(selectors.posts_search(published, "sudtirol").order_by("-rank"))
    assert found == [first, second]
    assert list(selectors.posts_search(published, "hydro")) == [tagged]
    assert list(selectors.posts_search(published, "timber")) == [topical]


# --- Supports ------------------------------------------------------------------------------------


def test_support_once_each_and_withdraw(member, other_member):
    idea = IdeaFactory()
    services.support_add(post=idea, user=member)
    services.support_add(post=idea, user=member)
    services.support_add(post=idea, user=other_member)
    assert Support.objects.filter(post=idea).count() == 2
    assert services.support_withdraw(post=idea, user=member) is True
    assert services.support_withdraw(post=idea, user=member) is False
    assert Support.objects.filter(post=idea).count() == 1


def test_only_published_ideas_are_supported(member):
    with pytest.raises(ValidationError):
        services.support_add(post=PostFactory(), user=member)
    with pytest.raises(ValidationError):
        services.support_add(post=IdeaFactory(state="pending", published_at=None), user=member)


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_supports_by_one_member_give_one_support():
    """Real concurrent PostgreSQL connections: the constraint keeps one row and nobody errs."""
    assert connection.vendor == "postgresql"
    idea = IdeaFactory()
    member = UserFactory()
    barrier = threading.Barrier(20)
    errors = []

    def support():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.support_add(post=idea, user=member)
        except Exception as exc:  # noqa: BLE001 — collected and asserted below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=support) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Support.objects.filter(post=idea, user=member).count() == 1


# --- Comments ------------------------------------------------------------------------------------


def test_comment_is_escaped_and_links_made_safe(member):
    post = PostFactory()
    comment = services.comment_create(
        post=post,
        author=member,
        body='See https://example.org/x and <b onmouseover="x()">me</b>\nline two',
    )
    assert comment.body_html == (
        '<p>See <a href="https://example.org/x" rel="nofollow noopener ugc">'
        'https://example.org/x</a> and &lt;b onmouseover="x()"&gt;me&lt;/b&gt;'
        "<br>line two</p>"
    )


def test_replies_go_one_level_deep(member, other_member):
    post = PostFactory()
    top = services.comment_create(post=post, author=member, body="Top")
    reply = services.comment_create(post=post, author=other_member, body="Reply", parent=top)
    deeper = services.comment_create(post=post, author=member, body="Deeper", parent=reply)
    assert reply.parent == top and deeper.parent == top
    (thread,) = selectors.post_comments(post)
    assert [c.body for c in thread.thread_replies] == ["Reply", "Deeper"]


def test_comments_only_on_published_posts(member):
    with pytest.raises(ValidationError):
        services.comment_create(
            post=PostFactory(state="pending", published_at=None), author=member, body="Hi"
        )


def test_comment_edit_window(member, other_member, settings):
    settings.BLOG_COMMENT_EDIT_MINUTES = 15
    comment = services.comment_create(post=PostFactory(), author=member, body="Tpyo")
    services.comment_update(comment=comment, editor=member, body="Typo")
    assert comment.body_html == "<p>Typo</p>" and comment.edited_at is not None
    with pytest.raises(ValidationError):
        services.comment_update(comment=comment, editor=other_member, body="Mine now")
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - timedelta(minutes=16)
    )
    comment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.comment_update(comment=comment, editor=member, body="Too late")


# --- Reports -------------------------------------------------------------------------------------


def test_report_on_a_comment_hidden_tells_every_reporter(
    member, other_member, moderator, on_commit
):
    comment = CommentFactory(body="Buy cheap watches")
    first = services.report_create(reporter=member, comment=comment, reason="Spam")
    assert services.report_create(reporter=member, comment=comment, reason="Again") == first
    second = services.report_create(reporter=other_member, comment=comment, reason="Spam too")
    with on_commit(execute=True):
        services.report_hide_content(report=first, moderator=moderator)
    comment.refresh_from_db()
    assert comment.is_hidden
    assert set(Report.objects.values_list("status", flat=True)) == {"hidden"}
    second.refresh_from_db()
    assert second.resolved_by == moderator
    assert sorted(m.to[0] for m in mail.outbox) == [other_member.email, member.email]
    assert "has hidden the comment" in mail.outbox[0].body


def test_report_on_a_post_hidden_takes_it_down_and_mails_author_and_reporter(
    member, moderator, on_commit
):
    post = PostFactory(title="Dubious offer")
    report = services.report_create(reporter=member, post=post, reason="Advertising")
    with on_commit(execute=True):
        services.report_hide_content(report=report, moderator=moderator, note="No advertising.")
    post.refresh_from_db()
    assert post.state == Post.State.REJECTED and post.rejection_reason == "No advertising."
    assert {m.to[0] for m in mail.outbox} == {member.email, post.author.email}


def test_report_dismissed_keeps_the_content_and_tells_the_reporter(member, moderator, on_commit):
    post = PostFactory(title="Fine post")
    report = services.report_create(reporter=member, post=post, reason="I disagree")
    with on_commit(execute=True):
        services.report_dismiss(report=report, moderator=moderator)
    report.refresh_from_db()
    post.refresh_from_db()
    assert report.status == "dismissed" and post.state == "published"
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == '[AlpClusters] Your report about "Fine post"'
    assert "decided to keep it" in message.body


# --- Proposals and endorsements ------------------------------------------------------------------


def _proposal(moderator, **kwargs):
    values = {
        "title": "Alpine matchmaking",
        "problem": "Partners are hard to find.",
        "joint_action": "A **joint** programme.",
        "level": "transnational",
    }
    return services.proposal_create(created_by=moderator, **{**values, **kwargs})


def test_proposal_grows_from_ideas_and_alpcafes_and_marks_its_ideas(moderator):
    idea = IdeaFactory()
    held = AlpCafeFactory(state="held")
    proposal = _proposal(moderator, ideas=[idea], alpcafes=[held])
    assert proposal.status == "draft"
    assert proposal.action_html == "<p>A <strong>joint</strong> programme.</p>"
    idea.refresh_from_db()
    assert idea.idea_status == Post.IdeaStatus.PROPOSAL
    with pytest.raises(ValidationError):
        _proposal(moderator, title="No sources")
    with pytest.raises(ValidationError):
        _proposal(moderator, alpcafes=[AlpCafeFactory()])  # not held
    with pytest.raises(ValidationError):
        _proposal(moderator, ideas=[PostFactory()])  # not an idea


def test_proposal_moves_one_step_at_a_time(moderator):
    proposal = _proposal(moderator, ideas=[IdeaFactory()])
    with pytest.raises(ValidationError):
        services.proposal_advance(proposal=proposal, status="submitted")
    proposal = services.proposal_advance(proposal=proposal, status="open")
    assert proposal.opened_at is not None
    proposal = services.proposal_advance(proposal=proposal, status="submitted")
    assert proposal.submitted_at is not None
    with pytest.raises(ValidationError):
        services.proposal_update(proposal=proposal, title="Too late")


def _member_of(stakeholder):
    user = UserFactory()
    contact = contact_for_user(user=user)
    contact.stakeholder = stakeholder
    contact.save()
    return user


def test_endorsement_once_per_stakeholder_on_behalf_of_the_members_organisation():
    proposal = ProposalFactory()
    org = StakeholderFactory(name="Holzcluster", country="AT")
    first, colleague = _member_of(org), _member_of(org)
    endorsement = services.endorsement_create(proposal=proposal, user=first)
    assert endorsement.stakeholder == org and endorsement.endorsed_by == first
    with pytest.raises(ValidationError) as error:
        services.endorsement_create(proposal=proposal, user=colleague)
    assert "Holzcluster has already endorsed" in str(error.value)
    assert services.endorsement_withdraw(proposal=proposal, user=colleague) is True
    assert not Endorsement.objects.exists()


def test_endorsement_needs_an_organisation_published_and_an_open_proposal(member):
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.endorsement_create(proposal=proposal, user=member)
    assert "on behalf of an organisation" in str(error.value)
    pending_member = _member_of(StakeholderFactory(name="Pending Org", state="pending"))
    with pytest.raises(ValidationError) as error:
        services.endorsement_create(proposal=proposal, user=pending_member)
    assert "not published" in str(error.value)
    draft = ProposalFactory(status="draft", opened_at=None)
    with pytest.raises(ValidationError):
        services.endorsement_create(proposal=draft, user=_member_of(StakeholderFactory()))


def test_merging_stakeholders_moves_endorsements_without_duplicates():
    survivor, duplicate, other = StakeholderFactory(), StakeholderFactory(), StakeholderFactory()
    both, only_duplicate = ProposalFactory(), ProposalFactory()
    services.endorsement_create(proposal=both, user=_member_of(survivor))
    services.endorsement_create(proposal=both, user=_member_of(duplicate))
    services.endorsement_create(proposal=only_duplicate, user=_member_of(duplicate))
    services.endorsement_create(proposal=only_duplicate, user=_member_of(other))
    stakeholders_merge(survivor=survivor, duplicates=[duplicate])
    assert sorted(
        Endorsement.objects.values_list("proposal__title", "stakeholder_id")
    ) == sorted(
        [(both.title, survivor.pk), (only_duplicate.title, survivor.pk),
         (only_duplicate.title, other.pk)]
    )  # fmt: skip
