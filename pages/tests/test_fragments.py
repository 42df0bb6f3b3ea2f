"""Cards and the footer are rendered once per key in each process ({% fragment %}): a change to
anything a card shows must show at once, and only that card is rendered again."""

import pytest
from django.urls import reverse

from alpcafes.tests.factories import AlpCafeFactory
from blog import services as blog_services
from blog.tests.factories import PostFactory
from common.fragments import store
from common.versions import data_changed
from stakeholders import services as registry_services
from stakeholders.tests.factories import SectorFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(client, url) -> str:
    # A new address each time: the page cache would answer otherwise; the fragments stay.
    _page.n = getattr(_page, "n", 0) + 1
    separator = "&" if "?" in url else "?"
    return client.get(f"{url}{separator}fresh={_page.n}").content.decode()


def test_a_cards_fragment_is_reused_and_changes_with_what_it_shows(
    client, django_capture_on_commit_callbacks
):
    author = UserFactory(first_name="Ada", last_name="Alpine")
    post = PostFactory(title="Timber bridges", author=author)
    other = PostFactory(title="Hydrogen valleys")
    url = reverse("blog:list")
    html = _page(client, url)
    assert "Timber bridges" in html and "Ada Alpine" in html
    size = len(store.items)
    assert "Timber bridges" in _page(client, url)  # the same cards again, from memory:
    assert len(store.items) == size  # nothing new rendered

    # Each thing the card shows, changed the way the portal changes it.
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.comment_create(post=post, author=UserFactory(), body="Nice")
    assert "1 comment" in _page(client, url)
    author.first_name = "Adele"
    author.save()
    data_changed("blog")
    assert "Adele Alpine" in _page(client, url)
    post.title = "Timber footbridges"
    post.save()
    data_changed("blog")
    html = _page(client, url)
    assert "Timber footbridges" in html and "Timber bridges" not in html
    assert "Hydrogen valleys" in html and other.title in html


def test_a_stakeholder_card_shows_a_new_sector_at_once(client, django_capture_on_commit_callbacks):
    stakeholder = StakeholderFactory(name="Card Cluster", sectors=[SectorFactory(name="Wood")])
    url = reverse("stakeholders:directory")
    assert "Wood" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        registry_services.stakeholder_update(
            stakeholder=stakeholder, sectors=[SectorFactory(name="Mechatronics")]
        )
    html = _page(client, url)
    assert "Mechatronics" in html


def test_cards_are_kept_per_language(client):
    AlpCafeFactory(title="Language AlpCafé")
    english = _page(client, reverse("alpcafes:list"))
    client.cookies["django_language"] = "de"
    german = _page(client, reverse("alpcafes:list"))
    assert "Open for registration" in english
    assert "Open for registration" not in german and "Language AlpCafé" in german
