"""Whole pages kept for members (common/fragments.py, templates/base.html): the page is the same
for everyone who gets its key, and each member's own parts — their menu, messages, buttons,
forms and CSRF token — are rendered into it on every request. Nothing of one member may reach
another or a visitor, whoever comes first, and a change shows at once."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from alpcafes import services as alpcafe_services
from alpcafes.tests.factories import AlpCafeFactory
from blog.tests.factories import IdeaFactory
from common.fragments import PersonalPartMisplaced, store
from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP
from stakeholders.services import contact_for_user
from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _browser(user=None) -> Client:
    browser = Client(enforce_csrf_checks=True)
    if user is not None:
        browser.force_login(user)
    return browser


def _organiser():
    user = UserFactory(first_name="Olga", last_name="Organiser")
    user.groups.add(Group.objects.get_or_create(name=ORGANISERS_GROUP)[0])
    return user


@pytest.mark.parametrize("organiser_first", [True, False])
def test_an_alpcafe_page_keeps_each_members_own_parts(organiser_first):
    organiser = _organiser()
    member = UserFactory(first_name="Mara", last_name="Member")
    alpcafe = AlpCafeFactory(
        title="Kept AlpCafé", format="hybrid", online_url="https://meet.example.org/secret-room"
    )
    alpcafe.organisers.set([organiser])
    alpcafe_services.participation_register(
        alpcafe=alpcafe, contact=contact_for_user(user=organiser)
    )
    url = alpcafe.get_absolute_url()
    manage = reverse("alpcafes:manage", args=[alpcafe.slug])
    pages = {}
    order = ["organiser", "member"] if organiser_first else ["member", "organiser"]
    for who in [*order, "visitor"]:
        user = {"organiser": organiser, "member": member, "visitor": None}[who]
        pages[who] = _browser(user).get(url).content.decode()

    # The organisers' names are public on the page; the menu is each member's own.
    assert _menu_name(pages["organiser"]) == "Olga Organiser"
    assert _menu_name(pages["member"]) == "Mara Member"
    assert "Mara Member" not in pages["organiser"] and "Mara Member" not in pages["visitor"]
    assert 'id="member-menu"' not in pages["visitor"]
    assert "You are registered" in pages["organiser"]
    assert "secret-room" in pages["organiser"]
    assert manage in pages["organiser"]
    for other in ("member", "visitor"):
        assert "You are registered" not in pages[other]
        assert "secret-room" not in pages[other]
        assert manage not in pages[other]
    assert ">Register<" in pages["member"].replace("\n", "")
    assert "Log in to register" in pages["visitor"]
    assert "csrfmiddlewaretoken" not in pages["visitor"]
    assert "Kept AlpCafé" in pages["visitor"]


def _menu_name(html: str) -> str:
    return re.search(r'id="member-menu"[^>]*>\s*([^<]+?)\s*<', html).group(1)


def test_each_member_posts_with_their_own_token_from_a_kept_page():
    alpcafe = AlpCafeFactory()
    url = alpcafe.get_absolute_url()
    for _ in range(2):  # the second member gets the page as the first left it in the store
        member = UserFactory()
        browser = _browser(member)
        html = browser.get(url).content.decode()
        register = html[html.index(reverse("alpcafes:register", args=[alpcafe.slug])) :]
        token = TOKEN.search(register).group(1)
        response = browser.post(
            reverse("alpcafes:register", args=[alpcafe.slug]), {"csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        # The member's message is theirs alone, on the kept page too.
        after = browser.get(url).content.decode()
        assert "You are registered. See you there!" in after
        assert (
            "You are registered. See you there!"
            not in _browser(UserFactory()).get(url).content.decode()
        )
    assert alpcafe.participations.registered().count() == 2


def test_a_change_shows_at_once_on_a_kept_page(django_capture_on_commit_callbacks):
    alpcafe = AlpCafeFactory(title="Before the change")
    member = _browser(UserFactory())
    assert "Before the change" in member.get(alpcafe.get_absolute_url()).content.decode()
    alpcafe.title = "After the change"
    with django_capture_on_commit_callbacks(execute=True):
        alpcafe_services.alpcafe_save(alpcafe=alpcafe)
    html = member.get(alpcafe.get_absolute_url()).content.decode()
    assert "After the change" in html and "Before the change" not in html


def test_an_idea_page_keeps_moderators_and_supporters_apart(django_capture_on_commit_callbacks):
    from blog import services as blog_services

    idea = IdeaFactory(title="Kept idea")
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    supporter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        blog_services.support_add(post=idea, user=supporter)
    url = idea.get_absolute_url()
    hide = reverse("blog:moderate_post", args=[idea.pk])
    pages = {
        who: _browser(user).get(url).content.decode()
        for who, user in (
            ("moderator", moderator),
            ("supporter", supporter),
            ("member", UserFactory()),
            ("visitor", None),
        )
    }
    assert hide in pages["moderator"]
    assert reverse("blog:moderation") in pages["moderator"]
    for other in ("supporter", "member", "visitor"):
        assert hide not in pages[other]
        assert reverse("blog:moderation") not in pages[other]
    assert "Withdraw my support" in pages["supporter"]
    assert "Withdraw my support" not in pages["member"]
    assert "Support this idea" in pages["member"]
    assert 'id="comment-form"' in pages["member"] and 'id="comment-form"' not in pages["visitor"]
    assert "Log in to comment." in pages["visitor"]


def test_a_csrf_token_outside_a_personal_part_is_refused(rf: RequestFactory):
    store.clear()
    template = engines["django"].from_string(
        '{% load fragments %}{% fragment "t" "k" %}{% csrf_token %}{% endfragment %}'
    )
    request = rf.get("/")
    request.user = UserFactory()
    with pytest.raises(PersonalPartMisplaced):
        template.render({"csrf_token": "secret"}, request)
    fine = engines["django"].from_string(
        '{% load fragments %}{% fragment "t2" "k" %}<p>{% personal %}{% csrf_token %}'
        "{% endpersonal %}</p>{% endfragment %}"
    )
    assert 'value="one"' in fine.render({"csrf_token": "one"}, request)
    assert 'value="two"' in fine.render({"csrf_token": "two"}, request)  # kept, its part not


def test_a_personal_part_reads_the_pages_variables_on_every_request(rf):
    store.clear()
    template = engines["django"].from_string(
        '{% load fragments %}{% fragment "t3" key %}<h1>{{ title }}</h1>'
        "{% personal %}<b>{{ name }}</b>{% endpersonal %}{% endfragment %}"
    )
    request = rf.get("/")
    request.user = AnonymousUser()
    first = template.render({"key": 1, "title": "Shared", "name": "Ada"}, request)
    second = template.render({"key": 1, "title": "Changed", "name": "Bo"}, request)
    assert first == "<h1>Shared</h1><b>Ada</b>"
    assert second == "<h1>Shared</h1><b>Bo</b>"  # the kept part stays, the personal one not


def test_a_post_that_names_the_csrf_field_is_shown(django_capture_on_commit_callbacks):
    """A post about Django forms may quote the CSRF field: escaped, it is text, not a token, and
    its page is kept and shown like any other (it was refused as a token before)."""
    from blog.tests.factories import PostFactory

    quoted = '`<input type="hidden" name="csrfmiddlewaretoken" value="abc">` in every form'
    post = PostFactory(title="Forms in Django", body_markdown=f"Put {quoted}.")
    for user in (None, UserFactory(), UserFactory()):
        response = _browser(user).get(post.get_absolute_url())
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
