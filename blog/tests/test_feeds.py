"""The feeds parse as XML (ElementTree), hold published posts only, with absolute links and the
sanitised HTML of each post."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stakeholders.tests.factories import SectorFactory

from .factories import IdeaFactory, PostFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def posts():
    wood = SectorFactory(name="Wood", slug="wood")
    now = timezone.now()
    return {
        "old": PostFactory(title="Old news", published_at=now - timedelta(days=2), topics=[wood]),
        "new": IdeaFactory(
            title="New idea & more",
            body_markdown="Hello <script>alert(1)</script>**there**",
            published_at=now - timedelta(days=1),
        ),
        "pending": PostFactory(title="Pending", state="pending", published_at=None, topics=[wood]),
    }


def test_rss_feed_parses_with_published_posts_newest_first(client, posts):
    response = client.get(reverse("blog:feed_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")  # noqa: S314 — our own feed
    assert channel.findtext("title") == "AlpClusters community blog"
    assert channel.findtext("link") == "http://testserver/blog/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["New idea & more", "Old news"]
    first = items[0]
    assert first.findtext("link") == "http://testserver/blog/new-idea-more/"
    assert first.findtext("description") == "<p>Hello <strong>there</strong></p>"
    assert first.findtext("pubDate")
    assert [c.text for c in items[1].findall("category")] == ["Wood"]


def test_atom_feed_parses(client, posts):
    response = client.get(reverse("blog:feed_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 — our own feed
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["New idea & more", "Old news"]
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link == "http://testserver/blog/new-idea-more/"
    assert entries[0].findtext(f"{ATOM}summary") == "<p>Hello <strong>there</strong></p>"
    assert entries[0].find(f"{ATOM}author").findtext(f"{ATOM}name")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/blog/feed/atom/"


@pytest.mark.parametrize("name", ["blog:topic_feed_rss", "blog:topic_feed_atom"])
def test_topic_feeds_hold_the_topics_posts_only(client, posts, name):
    content = client.get(reverse(name, args=["wood"])).content
    root = ET.fromstring(content)  # noqa: S314 — our own feed
    titles = [e.text for e in root.iter() if e.tag in ("title", f"{ATOM}title")]
    assert titles == ["AlpClusters community blog: Wood", "Old news"]
    assert client.get(reverse(name, args=["nowhere"])).status_code == 404


def test_list_and_detail_announce_the_feeds(client, posts):
    html = client.get(posts["old"].get_absolute_url()).content.decode()
    assert 'type="application/rss+xml"' in html and reverse("blog:feed_atom") in html
