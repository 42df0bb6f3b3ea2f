"""The registry in a real Chromium: search, filter, open a stakeholder, see the map's markers."""

import pytest
from playwright.sync_api import expect

from .factories import SectorFactory, StakeholderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry():
    energy = SectorFactory(name="Renewable Energy", slug="energy")
    StakeholderFactory(
        name="Energia Südtirol Cluster",
        country="IT",
        region="Südtirol",
        city="Bolzano",
        latitude="46.49835",
        longitude="11.35479",
        sectors=[energy],
    )
    StakeholderFactory(name="Énergie Savoie", country="FR", city="Chambéry", sectors=[energy])
    StakeholderFactory(name="Holz Tirol", country="AT", city="Innsbruck")


def test_search_filter_open_and_see_the_map(page, registry):
    page.goto("/stakeholders/")
    assert page.get_by_role("heading", name="3 stakeholders").is_visible()

    page.get_by_role("searchbox", name="Search").fill("sudtirol")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**q=sudtirol**")
    assert page.get_by_role("heading", name="1 stakeholder").is_visible()

    page.goto("/stakeholders/")
    page.get_by_label("Sector", exact=True).select_option(label="Renewable Energy (2)")
    page.get_by_label("Country", exact=True).select_option("FR")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**country=FR**")
    results = page.locator(".stakeholder-card h3")
    assert results.all_inner_texts() == ["Énergie Savoie"]

    page.goto("/stakeholders/?q=energia")
    page.get_by_role("link", name="Energia Südtirol Cluster").click()
    page.wait_for_url("**/stakeholders/energia-sudtirol-cluster/")
    assert page.get_by_role("heading", name="Energia Südtirol Cluster").is_visible()
    # The pin is there although no tile can load on this machine.
    page.locator("#stakeholder-map .leaflet-marker-icon").wait_for()

    page.goto("/stakeholders/map/")
    expect(page.locator("#stakeholders-map")).to_have_attribute("data-markers", "3")
    assert page.locator("#stakeholders-map .leaflet-marker-icon").count() >= 1
    assert page.get_by_role("link", name="Holz Tirol").is_visible()  # the list below the map

    page.goto("/stakeholders/map/?country=IT")
    expect(page.locator("#stakeholders-map")).to_have_attribute("data-markers", "1")


def test_claiming_a_mapped_profile_keeps_the_persons_public_name(page, live_server):
    """A member whose address a partner mapped edits that contact: saving the profile as shown
    keeps the name on the organisation's public page (it used to start empty and wipe it)."""
    from django.contrib.auth import get_user_model

    from .factories import PASSWORD, ContactFactory

    stakeholder = StakeholderFactory(name="Holzcluster Steiermark")
    ContactFactory(
        stakeholder=stakeholder,
        first_name="Theresia",
        last_name="Tanner",
        role="Cluster manager",
        email="theresia@holzcluster.example.org",
        user=None,
    )
    user = get_user_model().objects.create_user(
        email="theresia@holzcluster.example.org", password=PASSWORD
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/accounts/profile/")
    assert page.get_by_label("First name").input_value() == "Theresia"
    assert page.get_by_label("Last name").input_value() == "Tanner"
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/accounts/profile/")
    page.goto(stakeholder.get_absolute_url())
    assert page.locator("main").get_by_text("Theresia Tanner — Cluster manager").is_visible()


def test_registering_shows_likely_duplicates_while_typing_and_after_an_error(page, live_server):
    """The hint appears as the member types (no need to leave the field), ignores accents, and is
    there again when the form comes back with an error (it was hidden then)."""
    from django.contrib.auth import get_user_model

    from .factories import PASSWORD

    StakeholderFactory(name="Agence de développement économique Grenoble", country="FR")
    user = get_user_model().objects.create_user(email="new@example.org", password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.goto("/stakeholders/register/")
    page.get_by_label("Country").select_option("FR")
    page.locator("#id_name").press_sequentially("Agence developpement economique Grenoble")
    hint = page.locator("#similar")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Agence de développement économique Grenoble")
    # Sent without the kind: the form comes back with its error, and the hint with it.
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Agence developpement economique Grenoble")
    expect(hint).to_be_visible()
