"""Redis stopped: the portal keeps serving. Pages render uncached, members log in and write
(sessions come from the database, rate limits let requests through), and nothing is lost."""

import pytest
from django.urls import reverse

from blog.models import Comment
from blog.tests.factories import PostFactory
from common.cache import pool_options
from stakeholders.tests.factories import PASSWORD, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(settings):
    """The cache at a port where nothing listens (as when Redis is stopped)."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "common.cache.PortalRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "CONNECTION_POOL_KWARGS": pool_options(),
            },
        }
    }


def test_pages_serve_uncached_and_members_still_write_while_redis_is_down(client, cache_down):
    stakeholder = StakeholderFactory(name="Still There Cluster")
    post = PostFactory(title="Still readable")
    for url in [reverse("home"), reverse("stakeholders:directory"), post.get_absolute_url()]:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert "X-Page-Cache" not in response
    assert "Still There Cluster" in client.get(stakeholder.get_absolute_url()).content.decode()

    member = UserFactory(email="writer@example.org")
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]  # session in the DB
    response = client.post(reverse("blog:comment", args=[post.slug]), {"body": "Redis or not"})
    assert response.status_code == 302
    assert Comment.objects.filter(body="Redis or not").exists()
    assert "Redis or not" in client.get(post.get_absolute_url()).content.decode()
