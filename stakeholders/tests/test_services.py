import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from outbox.models import Message
from stakeholders import selectors, services
from stakeholders.models import ConsentEvent, Contact, Stakeholder

from .factories import ContactFactory, SectorFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_and_matches_prefixes():
    StakeholderFactory(name="Cluster Südtirol Alimentare", region="Südtirol")
    StakeholderFactory(name="Mechatronik Cluster", region="Oberösterreich")
    found = selectors.stakeholders_search(Stakeholder.objects.all(), "sudtirol")
    assert [s.name for s in found] == ["Cluster Südtirol Alimentare"]
    assert selectors.stakeholders_search(Stakeholder.objects.all(), "mecha").count() == 1


def test_search_finds_sector_names_and_ranks_name_matches_first():
    wood = SectorFactory(name="Wood & Timber", slug="wood")
    StakeholderFactory(name="Holzcluster", description="Timber construction", sectors=[])
    StakeholderFactory(name="Timber Valley Network", sectors=[wood])
    found = list(
        selectors.stakeholders_search(Stakeholder.objects.all(), "timber").order_by("-rank")
    )
    assert [s.name for s in found] == ["Timber Valley Network", "Holzcluster"]


def test_search_with_only_punctuation_returns_everything_unchanged():
    StakeholderFactory()
    assert selectors.stakeholders_search(Stakeholder.objects.all(), "&|!:*()").count() == 1


def test_register_creates_pending_and_links_the_members_contact():
    user = UserFactory()
    stakeholder = services.stakeholder_register(
        user=user, name="New Org", kind="sme", country="IT", role="CEO"
    )
    assert stakeholder.state == Stakeholder.State.PENDING
    assert stakeholder.origin == Stakeholder.Origin.SELF_REGISTERED
    contact = Contact.objects.get(user=user)
    assert contact.stakeholder == stakeholder
    assert contact.role == "CEO"


def test_register_claims_a_mapped_contact_instead_of_duplicating_it():
    mapped = ContactFactory(email="anna@cluster.example.org", user=None)
    user = UserFactory(email="Anna@Cluster.example.org")
    services.stakeholder_register(user=user, name="Other Org", kind="sme", country="IT")
    assert Contact.objects.count() == 1
    mapped.refresh_from_db()
    assert mapped.user == user


def test_register_with_invalid_data_changes_nothing():
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.stakeholder_register(user=user, name="Bad", kind="sme", country="XX")
    assert Stakeholder.objects.count() == 0
    assert Contact.objects.count() == 0


def test_publish_and_reject_mail_the_submitter(django_capture_on_commit_callbacks):
    user = UserFactory(email="submitter@example.org")
    first = services.stakeholder_register(user=user, name="First Org", kind="sme", country="AT")
    second = services.stakeholder_register(user=user, name="Second Org", kind="sme", country="AT")
    with django_capture_on_commit_callbacks(execute=True):
        services.stakeholder_publish(stakeholder=first)
        services.stakeholder_reject(stakeholder=second, reason="No website or description.")
    assert [m.to for m in mail.outbox] == [["submitter@example.org"]] * 2
    published, rejected = mail.outbox
    assert published.subject == "[AlpClusters] First Org is now in the registry"
    assert f"/stakeholders/{first.slug}/" in published.body
    assert "No website or description." in rejected.body
    assert rejected.alternatives and rejected.alternatives[0][1] == "text/html"


def test_reject_without_reason_is_refused_and_changes_nothing():
    stakeholder = StakeholderFactory(state=Stakeholder.State.PENDING)
    with pytest.raises(ValidationError):
        services.stakeholder_reject(stakeholder=stakeholder, reason="  ")
    stakeholder.refresh_from_db()
    assert stakeholder.state == Stakeholder.State.PENDING


def test_withdrawing_consent_removes_the_contact_from_lists_and_mailings_at_once():
    contact = ContactFactory()
    stakeholder = contact.stakeholder
    assert contact in selectors.stakeholder_public_contacts(stakeholder)
    assert contact in services.stakeholder_recipients(stakeholder)
    services.contact_set_consent(contact=contact, kind="listing", granted=False, source="profile")
    services.contact_set_consent(contact=contact, kind="mail", granted=False, source="profile")
    assert contact not in selectors.stakeholder_public_contacts(stakeholder)
    assert contact not in services.stakeholder_recipients(stakeholder)
    assert set(ConsentEvent.objects.values_list("kind", "granted", "source")) == {
        ("mail", False, "profile"),
        ("listing", False, "profile"),
    }


def test_relay_reaches_only_consenting_contacts_and_hides_their_addresses(
    django_capture_on_commit_callbacks,
):
    stakeholder = StakeholderFactory()
    yes = ContactFactory(stakeholder=stakeholder, email="yes@private.example.net")
    ContactFactory(stakeholder=stakeholder, email="no@private.example.net", mail_consent_at=None)
    sender = UserFactory(email="sender@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.contact_message_send(
            sender=sender, stakeholder=stakeholder, subject="Cooperation", body="Hello!"
        )
    assert [m.to for m in mail.outbox] == [[yes.email]]
    assert mail.outbox[0].reply_to == ["sender@example.org"]
    assert "Hello!" in mail.outbox[0].body
    assert list(Message.objects.about(message).values_list("contact", "state")) == [
        (yes.pk, Message.State.SENT)
    ]


def test_merge_moves_contacts_and_sectors_to_the_survivor():
    sector = SectorFactory()
    survivor = StakeholderFactory(name="Cluster A", website="")
    duplicate = StakeholderFactory(
        name="Cluster A (dup)", website="https://a.example.org/", sectors=[sector]
    )
    contact = ContactFactory(stakeholder=duplicate)
    services.stakeholders_merge(survivor=survivor, duplicates=[duplicate])
    contact.refresh_from_db()
    survivor.refresh_from_db()
    assert contact.stakeholder == survivor
    assert list(survivor.sectors.all()) == [sector]
    assert survivor.website == "https://a.example.org/"
    assert not Stakeholder.objects.filter(pk=duplicate.pk).exists()


def test_likely_duplicates_by_domain_and_similar_name():
    existing = StakeholderFactory(
        name="Cluster Mechatronik Austria", country="AT", website="https://www.mecha.example.org/"
    )
    StakeholderFactory(name="Something Else", country="AT", website="https://else.example.org/")
    by_domain = StakeholderFactory(
        name="Totally Different", state="pending", website="http://mecha.example.org/about"
    )
    by_name = StakeholderFactory(name="Cluster Mechatronik Austria GmbH", state="pending")
    assert selectors.stakeholder_likely_duplicates(by_domain) == [existing]
    assert existing in selectors.stakeholder_likely_duplicates(by_name)


def test_slugs_never_shadow_the_registry_pages():
    user = UserFactory()
    stakeholder = services.stakeholder_register(user=user, name="Map", kind="other", country="FR")
    assert stakeholder.slug == "map-org"
