"""Members join an organisation that is already in the registry, or register a new one after
seeing the likely duplicates; its members edit its public profile, and moderators see what
changed."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from outbox.models import Message
from stakeholders import services
from stakeholders.models import MODERATORS_GROUP, Contact, JoinRequest, Stakeholder

from .factories import ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    stakeholder = StakeholderFactory(name="Cluster Légno Trentino", country="IT")
    insider = UserFactory(first_name="Irene", last_name="Insider")
    ContactFactory(stakeholder=stakeholder, user=insider, email=insider.email)
    return stakeholder, insider


@pytest.fixture
def moderator():
    user = UserFactory(first_name="Mira", last_name="Moderator")
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


def test_a_member_asks_to_join_and_a_member_of_the_organisation_approves(
    client, organisation, django_capture_on_commit_callbacks
):
    stakeholder, insider = organisation
    newcomer = UserFactory(first_name="Nico", last_name="Newcomer")
    client.force_login(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stakeholders:join", args=[stakeholder.slug]), {"message": "I run R&D."}
        )
    assert response.status_code == 302
    (asked,) = mail.outbox
    assert asked.to == [insider.email]
    assert "Nico Newcomer asks to join Cluster Légno Trentino" in asked.subject
    assert "I run R&D." in asked.body and newcomer.email not in asked.body

    client.force_login(insider)
    page = client.get(reverse("stakeholders:join_requests")).content.decode()
    assert "Nico Newcomer" in page
    request = JoinRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("stakeholders:join_requests"), {"request": request.pk, "decision": "approve"}
        )
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.APPROVED and request.decided_by == insider
    assert Contact.objects.get(user=newcomer).stakeholder == stakeholder
    told = mail.outbox[-1]
    assert told.to == [newcomer.email] and "You now belong to" in told.subject
    entry = LogEntry.objects.get()
    assert entry.user == insider and "Approved the request of Nico Newcomer" in entry.change_message


def test_someone_outside_the_organisation_cannot_decide(client, organisation):
    stakeholder, _insider = organisation
    request = services.join_request_create(user=UserFactory(), stakeholder=stakeholder)
    outsider = UserFactory()
    client.force_login(outsider)
    assert "asks to join" not in client.get(reverse("stakeholders:join_requests")).content.decode()
    response = client.post(
        reverse("stakeholders:join_requests"), {"request": request.pk, "decision": "approve"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.is_pending


def test_a_moderator_decides_for_an_organisation_without_members(client, moderator):
    stakeholder = StakeholderFactory()
    requester = UserFactory()
    request = services.join_request_create(user=requester, stakeholder=stakeholder)
    assert not Message.objects.filter(kind="stakeholders.join_request").exists()
    client.force_login(moderator)
    client.post(
        reverse("stakeholders:join_requests"), {"request": request.pk, "decision": "decline"}
    )
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.DECLINED
    assert Contact.objects.get(user=requester).stakeholder is None


def test_asking_twice_makes_one_request_and_members_of_another_organisation_cannot_ask(
    organisation,
):
    from django.core.exceptions import ValidationError

    stakeholder, insider = organisation
    newcomer = UserFactory()
    first = services.join_request_create(user=newcomer, stakeholder=stakeholder)
    assert services.join_request_create(user=newcomer, stakeholder=stakeholder) == first
    with pytest.raises(ValidationError):
        services.join_request_create(user=insider, stakeholder=StakeholderFactory())
    assert JoinRequest.objects.count() == 1


def test_registering_a_likely_duplicate_shows_it_first_and_offers_to_join(client, organisation):
    StakeholderFactory(name="Cluster Legno Trentini", country="IT", state="pending")
    client.force_login(UserFactory())
    data = {"name": "Cluster Legno Trentino", "kind": "cluster", "country": "IT"}
    response = client.post(reverse("stakeholders:register"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cluster Légno Trentino" in html and "Ask to join it instead" in html
    # Another member's pending registration is private: never shown to a registrant.
    assert "Trentini" not in html
    assert Stakeholder.objects.filter(name="Cluster Legno Trentino").count() == 0
    similar = client.get(reverse("stakeholders:register_similar"), data).json()["similar"]
    assert [s["name"] for s in similar] == ["Cluster Légno Trentino"]
    response = client.post(reverse("stakeholders:register"), {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Stakeholder.objects.get(name="Cluster Legno Trentino").state == "pending"


def test_members_edit_their_organisation_and_moderators_see_what_changed(
    client, organisation, moderator
):
    stakeholder, insider = organisation
    url = reverse("stakeholders:edit", args=[stakeholder.slug])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403  # not theirs
    client.force_login(insider)
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k != "sectors"}
    data.update(description="Timber construction and furniture in Trentino.", city="Rovereto")
    response = client.post(url, data)
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.city == "Rovereto"
    public = client.get(stakeholder.get_absolute_url()).content.decode()
    assert "Timber construction and furniture" in public
    client.force_login(moderator)
    queue = client.get(reverse("stakeholders:moderation")).content.decode()
    assert "Recent changes by members" in queue and "Irene Insider" in queue
    assert "Innsbruck → Rovereto" in queue


def test_the_audit_trail_records_moderation_decisions(client, moderator):
    pending = StakeholderFactory(state="pending")
    client.force_login(moderator)
    client.post(reverse("stakeholders:moderate", args=[pending.pk]), {"decision": "approve"})
    entry = LogEntry.objects.get(object_id=str(pending.pk))
    assert entry.user == moderator and entry.change_message == "Published"


@pytest.mark.parametrize(
    "typed",
    [
        "Agence de developpement economique Grenoble",
        "agence développement économique grenoble",
        "Agence de développement économique de Grenoble",
    ],
)
def test_likely_duplicates_ignore_accents_case_and_small_words(typed):
    """On PostgreSQL (trigrams over the unaccented name) and in the embedded default's Python
    comparison alike."""
    from stakeholders import selectors

    StakeholderFactory(name="Agence de développement économique Grenoble", country="FR")
    StakeholderFactory(name="Chambre de commerce Grenoble", country="FR")
    StakeholderFactory(
        name="Agence de développement économique Grenoble", country="IT", slug="adeg-it"
    )
    candidate = Stakeholder(name=typed, country="FR")
    found = selectors.stakeholder_likely_duplicates(candidate, published_only=True)
    assert [(s.name, s.country) for s in found] == [
        ("Agence de développement économique Grenoble", "FR")
    ]
    fallback = selectors._similar_names(Stakeholder.objects.filter(country="FR"), typed, 5)
    assert [s.name for s in fallback] == ["Agence de développement économique Grenoble"]
