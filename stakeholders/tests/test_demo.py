from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection

from stakeholders import demo as demo_registry
from stakeholders import selectors
from stakeholders.models import ConsentEvent, Contact, Country, Sector, Stakeholder

pytestmark = pytest.mark.django_db


def _snapshot():
    links = Stakeholder.sectors.through.objects
    return {
        "stakeholders": sorted(
            Stakeholder.objects.values_list("slug", "state", "is_partner", "updated_at")
        ),
        "sectors": sorted(Sector.objects.values_list("slug", "name")),
        "links": links.count(),
        "contacts": sorted(
            Contact.objects.values_list("email", "stakeholder__slug", "user__email", "updated_at")
        ),
        "consent_events": ConsentEvent.objects.count(),
    }


def _search_index_is_filled():
    if connection.vendor != "postgresql":
        return True
    return not Stakeholder.objects.filter(search_document__isnull=True).exists()


def test_seed_demo_fills_the_registry(capsys):
    call_command("seed_demo")

    published = Stakeholder.objects.published()
    assert published.count() == demo_registry.PUBLISHED_TOTAL == 150
    assert set(published.values_list("country", flat=True)) == set(Country.values)
    assert set(published.values_list("kind", flat=True)) == set(Stakeholder.Kind.values)
    partners = published.filter(is_partner=True)
    assert partners.count() == 6
    assert len(set(partners.values_list("country", flat=True))) == 6
    assert Sector.objects.count() == 12
    assert not published.filter(sectors=None).exists()
    assert Contact.objects.filter(stakeholder__in=published).count() >= 150
    assert not published.filter(contacts=None).exists()
    assert Contact.objects.mailable().listable().count() > Contact.objects.count() // 2
    assert Contact.objects.filter(listing_consent_at=None).exists()
    assert _search_index_is_filled()
    assert "150 published" in capsys.readouterr().out


def test_seed_demo_rows_are_valid_and_fictional():
    call_command("seed_demo")

    for stakeholder in Stakeholder.objects.all():
        stakeholder.full_clean(validate_unique=False)
        assert urlsplit(stakeholder.website).hostname.endswith(
            (".example.org", ".example.net", ".example.com")
        )
        assert stakeholder.has_location
    for contact in Contact.objects.select_related("stakeholder", "user"):
        contact.full_clean(validate_unique=False)
        assert contact.email.rsplit("@", 1)[1].split(".")[-2] == "example"
        if contact.user is None:
            assert contact.stakeholder is not None and contact.role
            assert (contact.listing_consent_at is None) == (contact.listing_consent_source == "")


def test_seed_demo_pending_registrations_include_a_likely_duplicate():
    call_command("seed_demo")

    pending = Stakeholder.objects.pending()
    assert pending.count() == 3
    assert set(pending.values_list("submitted_by__email", flat=True)) == {
        "member@example.org",
        "member2@example.org",
    }
    assert set(pending.values_list("origin", flat=True)) == {Stakeholder.Origin.SELF_REGISTERED}
    duplicate = pending.get(name="Käserei Obermoser")
    found = selectors.stakeholder_likely_duplicates(duplicate)
    assert [s.slug for s in found] == ["bergkaserei-obermoser-kg"]
    assert found[0].state == Stakeholder.State.PUBLISHED


def test_seed_demo_gives_the_demo_accounts_contacts():
    call_command("seed_demo")

    contacts = {c.user.email: c for c in Contact.objects.filter(user__isnull=False)}
    assert set(contacts) == {
        "organiser@example.org",
        "moderator@example.org",
        "member@example.org",
        "member2@example.org",
    }
    member = contacts["member@example.org"]
    assert member.stakeholder.state == Stakeholder.State.PUBLISHED
    assert member.accepts_mail and member.is_listed
    assert contacts["organiser@example.org"].stakeholder.is_partner


def test_seed_demo_registry_is_idempotent():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_stakeholders_tops_up_the_generated_registry():
    call_command("seed_demo", "--stakeholders", "300", verbosity=0)
    bulk = Stakeholder.objects.filter(slug__startswith=demo_registry.BULK_PREFIX)
    assert bulk.count() == 300
    assert not bulk.exclude(state=Stakeholder.State.PUBLISHED).exists()
    assert Contact.objects.filter(stakeholder__in=bulk).count() == 300
    assert Stakeholder.sectors.through.objects.filter(stakeholder__in=bulk).count() >= 300
    assert ConsentEvent.objects.filter(contact__stakeholder__in=bulk).exists()
    assert _search_index_is_filled()
    first = _snapshot()

    call_command("seed_demo", "--stakeholders", "300", verbosity=0)
    assert _snapshot() == first

    call_command("seed_demo", "--stakeholders", "350", verbosity=0)
    assert bulk.count() == 350
    assert set(first["stakeholders"]) <= set(_snapshot()["stakeholders"])


def test_seed_demo_stakeholders_are_the_same_rows_in_every_database():
    # Generated rows depend on their index only: topping up in two steps or one gives the same.
    demo_registry.seed_bulk_stakeholders(20)
    demo_registry.seed_bulk_stakeholders(40)
    two_steps = sorted(Stakeholder.objects.values_list("slug", "name", "city", "latitude"))
    Contact.objects.all().delete()
    Stakeholder.objects.all().delete()
    demo_registry.seed_bulk_stakeholders(40, batch_size=7)
    assert sorted(Stakeholder.objects.values_list("slug", "name", "city", "latitude")) == two_steps
