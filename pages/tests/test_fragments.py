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


# --- A page's shared content (content_key, lazy_context) -----------------------------------------


def test_a_pages_shared_content_is_kept_and_its_data_not_read(client, django_assert_num_queries):
    StakeholderFactory(name="Kept Cluster", country="AT")
    url = reverse("stakeholders:directory") + "?country=AT"
    assert "Kept Cluster" in _page(client, url)
    # Another address for the page cache, the same content: nothing read.
    with django_assert_num_queries(0):
        assert "Kept Cluster" in _page(client, url)


def test_shared_content_keeps_apart_what_a_member_sees(client):
    """A member's content never reaches a visitor, whichever of them comes first."""
    from blog.tests.factories import CommentFactory

    member = UserFactory()
    post = PostFactory(title="Shared post")
    CommentFactory(post=post, author=member, body="Mine to edit")
    edit = reverse("blog:comment_edit", args=[post.comments.get().pk])
    directory = reverse("stakeholders:directory")
    register = reverse("stakeholders:register")

    visitor = _page(client, post.get_absolute_url())
    assert "Mine to edit" in visitor and edit not in visitor
    assert register not in _page(client, directory)
    client.force_login(member)
    mine = _page(client, post.get_absolute_url())
    assert "Mine to edit" in mine and edit in mine
    assert register in _page(client, directory)
    # Another member, who wrote none of the comments, shares the members' version: no edit link.
    client.force_login(UserFactory())
    other = _page(client, post.get_absolute_url())
    assert "Mine to edit" in other and edit not in other
    # A moderator gets the forms to hide comments, whoever came before.
    from django.contrib.auth.models import Group

    from stakeholders.models import MODERATORS_GROUP

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    client.force_login(moderator)
    hide = reverse("blog:comment_hide", args=[post.comments.get().pk])
    assert hide in _page(client, post.get_absolute_url())
    client.force_login(UserFactory())
    assert hide not in _page(client, post.get_absolute_url())
    client.logout()
    visitor = _page(client, post.get_absolute_url())
    assert edit not in visitor and hide not in visitor and "csrfmiddlewaretoken" not in visitor
    assert register not in _page(client, directory)


def test_a_pages_links_carry_only_the_parameters_it_understands(client):
    for n in range(25):
        StakeholderFactory(name=f"Paged {n:02}", country="AT")
    url = reverse("stakeholders:directory") + "?country=AT"
    for tag in ("newsletter", "social"):
        html = client.get(f"{url}&utm_source={tag}").content.decode()
        content = html.split("<footer")[0]  # (the language menu's way back names the address)
        assert "page=2" in content and "country=AT" in content
        assert "utm_source" not in content


def test_the_store_keeps_its_size_in_characters_bounded():
    from common.fragments import _Store

    bounded = _Store(size=1000, budget=10_000)
    for n in range(50):
        bounded.put(("page", n), "x" * 1_000)
    assert len(bounded.items) == 10 and bounded.weight == 10_000
    assert bounded.get(("page", 49)) is not None and bounded.get(("page", 0)) is None
    bounded.put(("page", 49), "y" * 500)  # replaced, not counted twice
    assert bounded.weight == 9_500


def test_a_content_key_does_not_grow_with_what_a_visitor_types(rf):
    """The key stays in each process's memory: a visitor's query of any length is a digest."""
    from django.contrib.auth.models import AnonymousUser

    from common.fragments import content_key

    keys = []
    for q in ("wood", "w" * 5_000):
        request = rf.get("/stakeholders/", {"q": q, "country": "AT"})
        request.user = AnonymousUser()
        keys.append(content_key(request, "directory", params=["q", "country"]))
    assert keys[0] != keys[1]
    assert all(len(repr(key)) < 300 for key in keys)
