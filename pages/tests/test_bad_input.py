"""The inputs that once made the portal answer 500, each a test: bad input gets a clear message
and changes nothing; no stored value can break a page for others."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alpcafes.models import AlpCafe
from alpcafes.tests.factories import AlpCafeFactory
from blog.models import PolicyProposal
from blog.tests.factories import IdeaFactory
from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP
from stakeholders.tests.factories import StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _with_group(name):
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/stakeholders/",
        "/blog/",
        "/stakeholders/map/",
        "/stakeholders/export.csv",
        "/partnerships/",
    ],
)
def test_a_sixty_thousand_character_search_is_answered(client, url):
    StakeholderFactory(name="Cluster Nord")
    response = client.get(url, {"q": "cluster " * 7500})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "١", str(2**64), "-3", "abc"])
def test_odd_ids_in_a_form_are_a_form_error(client, value):
    moderator = _with_group(MODERATORS_GROUP)
    client.force_login(moderator)
    idea = IdeaFactory()
    response = client.post(
        reverse("blog:proposal_create"),
        {
            "title": "A proposal",
            "level": "transnational",
            "problem": "Problem.",
            "joint_action": "Action.",
            "ideas": [value, str(idea.pk)],
        },
    )
    assert response.status_code == 200
    assert not PolicyProposal.objects.filter(title="A proposal").exists()
    response = client.get(reverse("blog:proposal_create"), {"ideas": value})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/alpcafes/rsvp/{}/",
        "/mail/unsubscribe/{}/",
        "/mail/preferences/{}/",
        "/partnerships/renew/{}/",
    ],
)
def test_a_nul_byte_or_garbage_in_a_token_is_refused(client, path):
    for token in ["abc\x00def", "\x00", "%00"]:
        assert client.get(path.format(token)).status_code == 400
        assert client.post(path.format(token), {"answer": "accept"}).status_code == 400
    for token in ["x" * 5000, "1.mail:forged"]:
        assert client.get(path.format(token)).status_code == 404
        assert client.post(path.format(token), {"answer": "accept"}).status_code == 404


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1850-06-01T10:00"])
def test_an_alpcafe_date_outside_sane_years_is_refused_and_pages_keep_working(client, value):
    organiser = _with_group(ORGANISERS_GROUP)
    alpcafe = AlpCafeFactory(organisers=[organiser])
    client.force_login(organiser)
    url = reverse("alpcafes:edit", args=[alpcafe.slug])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data.update(
        starts_at=timezone.localtime(alpcafe.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=timezone.localtime(alpcafe.ends_at).strftime("%Y-%m-%dT%H:%M"),
        registration_deadline=value,
        organisers=[organiser.pk],
    )
    data.pop("host", None)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "registration_deadline" in response.context["form"].errors
    alpcafe.refresh_from_db()
    assert alpcafe.registration_deadline is None
    visitor = Client(raise_request_exception=False)
    assert visitor.get("/alpcafes/").status_code == 200
    assert visitor.get("/alpcafes/calendar.ics").status_code == 200


def test_a_stored_date_in_year_one_cannot_break_the_public_pages(client):
    """Even a row written past the forms (the admin, an import) keeps the list and the feed up:
    the model refuses such dates on validation."""
    from django.core.exceptions import ValidationError

    alpcafe = AlpCafeFactory()
    alpcafe.registration_deadline = timezone.now().replace(year=1)
    with pytest.raises(ValidationError) as refused:
        alpcafe.full_clean()
    assert "registration_deadline" in refused.value.message_dict


@pytest.mark.parametrize("value", ["²", str(2**64), "-1", "'; DROP TABLE x; --"])
def test_odd_page_numbers_and_filters_are_ignored(client, value):
    for url in [
        "/stakeholders/",
        "/blog/",
        "/alpcafes/",
        "/proposals/",
        "/blog/ideas/",
        "/partnerships/",
    ]:
        response = client.get(
            url,
            {"page": value, "sector": value, "topic": value, "tag": value, "status": value},
        )
        assert response.status_code == 200, url
        # A NUL byte anywhere is refused at the door, with a message, before any query.
        refused = client.get(url, {"page": value + "\x00"})
        assert refused.status_code == 400 and b"not allowed" in refused.content


def test_a_refused_request_gets_a_page_of_the_site_in_the_visitors_language(client):
    client.cookies["django_language"] = "fr"
    refused = client.get("/impact/", {"q": "\x00"})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert '<html lang="fr">' in html
    assert "La requête contient un caractère non autorisé." in html
    assert 'href="/"' in html  # a way back


def test_check_in_with_a_non_numeric_id_is_a_404(client):
    organiser = _with_group(ORGANISERS_GROUP)
    alpcafe = AlpCafeFactory(organisers=[organiser], starts_at=timezone.now() + timedelta(hours=1))
    client.force_login(organiser)
    for value in ["abc", "²", str(2**70)]:
        response = client.post(
            reverse("alpcafes:check_in", args=[alpcafe.slug]), {"participation": value}
        )
        assert response.status_code == 404
    assert AlpCafe.objects.count() == 1


@pytest.mark.parametrize("value", [str(2**63), str(2**70), "0"])
def test_ids_beyond_64_bits_in_a_path_are_a_404(client, value):
    from stakeholders.models import MODERATORS_GROUP

    client.force_login(_with_group(MODERATORS_GROUP))
    for path in [
        "/stakeholders/moderation/{}/",
        "/blog/moderation/posts/{}/",
        "/blog/moderation/reports/{}/",
        "/blog/comments/{}/edit/",
        "/blog/comments/{}/hide/",
        "/blog/comments/{}/report/",
        "/partnerships/moderation/{}/",
        "/partnerships/interest/{}/decide/",
    ]:
        assert client.get(path.format(value)).status_code in (404, 405), path
        assert client.post(path.format(value), {"decision": "approve"}).status_code == 404, path


def test_an_opportunity_with_hostile_text_is_escaped_everywhere(client):
    """Markup in a title or summary stays text on the list, the page, the feed and the
    stakeholder's page."""
    from partnerships.tests.factories import OpportunityFactory

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    opportunity = OpportunityFactory(title=f"Offer {payload}", summary=payload)
    for url in [
        "/partnerships/",
        opportunity.get_absolute_url(),
        "/partnerships/feed/rss/",
        "/partnerships/feed/atom/",
        opportunity.stakeholder.get_absolute_url(),
    ]:
        body = client.get(url).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, url
