"""Every anonymous page from the page cache, invalidated the moment its data changes, with ETag
and Last-Modified for browsers and proxies; a member's page is never cached anywhere."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alpcafes import services as alpcafe_services
from alpcafes.tests.factories import AlpCafeFactory
from blog import services as blog_services
from blog.tests.factories import IdeaFactory, PostFactory, ProposalFactory
from stakeholders import services as registry_services
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import SectorFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    topic = SectorFactory(name="Wood", slug="wood")
    stakeholder = StakeholderFactory(name="Cached Cluster", country="AT", sectors=[topic])
    alpcafe = AlpCafeFactory(title="Cached AlpCafé", capacity=10)
    post = PostFactory(title="Cached post", topics=[topic])
    idea = IdeaFactory(title="Cached idea")
    proposal = ProposalFactory(ideas=[idea])
    return {
        "stakeholder": stakeholder,
        "alpcafe": alpcafe,
        "post": post,
        "idea": idea,
        "proposal": proposal,
        "topic": topic,
    }


def public_urls(w) -> list[str]:
    return [
        reverse("home"),
        reverse("about"),
        reverse("privacy"),
        reverse("imprint"),
        reverse("accessibility"),
        reverse("community_rules"),
        reverse("impact:page"),
        reverse("stakeholders:directory"),
        reverse("stakeholders:directory") + "?q=cluster&country=AT",
        reverse("stakeholders:map"),
        w["stakeholder"].get_absolute_url(),
        reverse("alpcafes:list"),
        w["alpcafe"].get_absolute_url(),
        reverse("alpcafes:ics", args=[w["alpcafe"].slug]),
        reverse("alpcafes:feed"),
        reverse("blog:list"),
        reverse("blog:list") + "?q=cached",
        reverse("blog:ideas"),
        w["post"].get_absolute_url(),
        reverse("blog:proposals"),
        w["proposal"].get_absolute_url(),
        reverse("blog:feed_rss"),
        reverse("blog:feed_atom"),
        reverse("blog:topic_feed_rss", args=[w["topic"].slug]),
    ]


def test_every_anonymous_page_is_served_from_the_cache(client, world, django_assert_num_queries):
    for url in public_urls(world):
        first = client.get(url)
        assert first.status_code == 200, url
        assert not first.cookies, f"{url} sets a cookie: its HTML would be one visitor's"
        assert "public" in first["Cache-Control"] and "s-maxage=60" in first["Cache-Control"]
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit", url
        assert again.content == first.content, url
        assert again["ETag"] == first["ETag"], url


def test_a_hit_costs_one_round_trip_to_the_cache(client, world, monkeypatch):
    """The versions the page must match and the page itself come in one read (two reads cost
    a hit about a fifth of its time under load)."""
    from django.core.cache import cache

    url = reverse("blog:list")
    client.get(url)
    reads = []
    for name in ("get", "get_many", "has_key"):
        original = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _o=original, _n=name, **k: reads.append(_n) or _o(*a, **k)
        )
    assert client.get(url)["X-Page-Cache"] == "hit"
    # The session and messages of a visitor without cookies read nothing.
    assert reads == ["get_many"]


def test_a_page_kept_from_older_versions_is_not_served(
    client, world, django_capture_on_commit_callbacks
):
    url = reverse("blog:list")
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.comment_create(post=world["post"], author=UserFactory(), body="Newer")
    # The same address, language and time slot: the kept page is there, from older versions.
    response = client.get(url)
    assert "X-Page-Cache" not in response and "1 comment" in response.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_a_browser_revalidates_with_the_etag_and_gets_304_until_the_page_changes(
    client, world, django_capture_on_commit_callbacks
):
    url = world["post"].get_absolute_url()
    first = client.get(url)
    etag = first["ETag"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.comment_create(
            post=world["post"], author=UserFactory(), body="A fresh comment"
        )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "A fresh comment" in changed.content.decode()
    assert changed["ETag"] != etag
    # The time of the blog's last change is the page's Last-Modified.
    assert changed["Last-Modified"].endswith("GMT")


def _register(w):
    member = UserFactory()
    alpcafe_services.participation_register(
        alpcafe=w["alpcafe"], contact=contact_for_user(user=member)
    )


def _rename_stakeholder(w):
    registry_services.stakeholder_update(stakeholder=w["stakeholder"], name="Renamed Cluster")


def _support(w):
    blog_services.support_add(post=w["idea"], user=UserFactory())


def _comment(w):
    blog_services.comment_create(post=w["post"], author=UserFactory(), body="Hello")


# A write through a service, a page that shows it, and what shows it changed.
CHANGES = [
    (_register, lambda w: w["alpcafe"].get_absolute_url(), "9 of 10 seats left"),
    (_rename_stakeholder, lambda w: reverse("stakeholders:directory"), "Renamed Cluster"),
    (_comment, lambda w: reverse("home"), "1 comment"),
    (_support, lambda w: w["idea"].get_absolute_url(), "1 member supports this idea"),
    (_comment, lambda w: reverse("blog:list"), "1 comment"),
]


@pytest.mark.parametrize(("change", "url", "shows"), CHANGES)
def test_a_change_shows_at_once_on_the_cached_page(
    client, world, change, url, shows, django_capture_on_commit_callbacks
):
    page = url(world)
    client.get(page)
    assert client.get(page)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        change(world)
    response = client.get(page)
    assert "X-Page-Cache" not in response
    assert shows in response.content.decode()


def test_a_members_page_is_private_and_never_served_to_a_visitor(client, world):
    url = world["post"].get_absolute_url()
    client.force_login(UserFactory(first_name="Mia", last_name="Member"))
    member = client.get(url)
    assert member["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in member and "ETag" not in member
    assert "Mia Member" in member.content.decode()
    client.get(url)
    client.logout()
    visitor = client.get(url)
    assert "Mia Member" not in visitor.content.decode()
    assert "private" not in visitor["Cache-Control"]


def test_a_visitor_with_a_message_gets_the_page_rendered_for_them(client, world):
    url = reverse("stakeholders:directory")
    client.get(url)
    # Logging out leaves a message ("You have signed out.") for the next page.
    client.force_login(UserFactory())
    client.post(reverse("account_logout"))
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "signed out" in response.content.decode()


def test_pages_that_show_the_upcoming_change_with_the_clock(client, world, settings):
    """The cache key has a five-minute time slot: an AlpCafé that started moves from "upcoming"
    to "past" within five minutes without any write."""
    from common import pagecache

    url = reverse("alpcafes:list")
    first = client.get(url)
    later = timezone.now() + timedelta(seconds=pagecache.TIMEOUT + 1)
    import time as time_module

    real = time_module.time
    try:
        time_module.time = lambda: later.timestamp()
        again = client.get(url)
    finally:
        time_module.time = real
    assert "X-Page-Cache" not in again and again["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("stakeholders:export_csv") + "?country=AT",
        reverse("stakeholders:export_json"),
        reverse("stakeholders:map_geojson"),
        reverse("impact:export_csv"),
        reverse("impact:export_xlsx"),
        reverse("alpcafes:feed"),
        reverse("blog:feed_rss"),
    ],
)
def test_exports_feeds_and_calendars_answer_304_to_a_current_etag(client, world, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # Served again whole (from the cache where it is kept), the file keeps its name.
    whole = client.get(url)
    assert whole.get("Content-Disposition") == first.get("Content-Disposition")
    assert whole["Content-Type"] == first["Content-Type"]


def test_static_files_have_hashed_names_and_a_years_max_age(client, settings, tmp_path):
    """In production (DEBUG off) WhiteNoise serves collectstatic's hashed names as immutable, for
    ten years (its default, beyond the year asked)."""
    import os
    import subprocess
    import sys

    from django.conf import settings as live

    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_URL": "consolemail://",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "db.sqlite3"),
        "SECURE_SSL_REDIRECT": "0",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "import django,os;django.setup();"
        "from django.core.management import call_command;"
        "call_command('collectstatic','--noinput','-v0');"
        "from django.templatetags.static import static;"
        "from django.test import Client;"
        "url=static('css/site.css');"
        "r=Client().get(url);"
        "print(url, r.status_code, r['Cache-Control'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=live.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "alpclusters.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    url, status, cache_control = out[0], out[1], " ".join(out[2:])
    assert (
        url.startswith("/static/css/site.")
        and url.endswith(".css")
        and url != "/static/css/site.css"
    )
    assert status == "200"
    assert "max-age=315360000" in cache_control and "immutable" in cache_control
