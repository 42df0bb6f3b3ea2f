import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from blog.models import Comment, Post
from blog.services import post_refresh_search
from common.versions import data_changed
from stakeholders.models import MODERATORS_GROUP, Sector
from stakeholders.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded covers go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """``with on_commit(execute=True):`` runs what the block queued for after the commit (mail)."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def member():
    return UserFactory(email="marta@example.org", first_name="Marta", last_name="Moser")


@pytest.fixture
def other_member():
    return UserFactory(email="luca@example.org", first_name="Luca", last_name="Lanz")


@pytest.fixture
def moderator():
    user = UserFactory(email="mira@example.org", first_name="Mira", last_name="Mlakar")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.fixture
def many_posts():
    """Bulk-create ``n`` published posts with ``comments`` comments each (a tenth are replies),
    a topic each, the search index refreshed."""

    def make(n: int, *, comments: int = 100, prefix: str = "Bulk", kind=Post.Kind.NEWS):
        author = UserFactory()
        commenter = UserFactory()
        topic, _ = Sector.objects.get_or_create(slug="ict", defaults={"name": "ICT"})
        now = timezone.now()
        posts = Post.objects.bulk_create(
            Post(
                kind=kind,
                title=f"{prefix} post {i}",
                slug=slugify(f"{prefix}-post-{i}"),
                author=author,
                body_markdown=f"Text of {prefix} post {i} about clusters.",
                body_html=f"<p>Text of {prefix} post {i} about clusters.</p>",
                excerpt=f"Text of {prefix} post {i} about clusters.",
                state=Post.State.PUBLISHED,
                published_at=now,
            )
            for i in range(n)
        )
        Post.topics.through.objects.bulk_create(
            Post.topics.through(post_id=p.pk, sector_id=topic.pk) for p in posts
        )
        for start in range(0, n, 50):
            chunk = posts[start : start + 50]
            tops = Comment.objects.bulk_create(
                Comment(
                    post=p,
                    author=commenter,
                    body=f"Comment {c}",
                    body_html=f"<p>Comment {c}</p>",
                )
                for p in chunk
                for c in range(comments - comments // 10)
            )
            firsts = {c.post_id: c for c in reversed(tops)}
            Comment.objects.bulk_create(
                Comment(
                    post=p,
                    parent=firsts[p.pk],
                    author=commenter,
                    body=f"Reply {c}",
                    body_html=f"<p>Reply {c}</p>",
                )
                for p in chunk
                for c in range(comments // 10)
            )
        post_refresh_search(ids=[p.pk for p in posts])
        data_changed("blog")  # written past the services: cached pages must not outlive it
        return posts

    return make
