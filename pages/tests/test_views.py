import pytest
from django.urls import reverse

from stakeholders.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_home_says_what_the_portal_is_for_and_leads_to_its_parts(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "AlpClusters" in html
    assert "AlpCafés" in html
    assert f'href="{reverse("about")}"' in html
    assert f'href="{reverse("account_signup")}"' in html


def test_base_layout_is_accessible(client):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert 'href="#main"' in html  # skip link
    assert '<main id="main"' in html
    assert "<header>" in html and "<footer" in html
    assert 'aria-label="Main"' in html
    assert '<label for="language-select"' in html


def test_footer_gives_the_project_facts(client):
    html = client.get("/about/").content.decode()
    for fact in (
        "Alpine Space 2007–2013",
        "31 August 2013",
        "29 November 2014",
        "6 partners",
        "64.6 %",
    ):
        assert fact in html
    assert "€376,352.00" in html
    with_german = client.get("/about/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "31. August 2013" in with_german


def test_assets_are_served_locally_never_from_a_cdn(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_home_query_count_is_pinned(client, django_assert_num_queries):
    from common.fragments import store

    client.get("/")  # the headline figures are now cached
    with django_assert_num_queries(0):  # the page cache: no query at all
        assert client.get("/")["X-Page-Cache"] == "hit"
    # A miss (another address) with the content kept: nothing to read.
    with django_assert_num_queries(0):
        assert client.get("/?miss=1").status_code == 200
    store.clear()
    # A miss with the content to render: the next AlpCafés with their seat counts, the posts.
    with django_assert_num_queries(2):
        assert client.get("/?miss=2").status_code == 200
    client.force_login(UserFactory())
    client.get("/")  # the session is now cached, and the member's content kept
    # The member with their groups (for the moderator's menu entry).
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200
    store.clear()
    # And the AlpCafés and posts when the content is rendered again.
    with django_assert_num_queries(3):
        assert client.get("/").status_code == 200


def test_home_query_count_does_not_grow_with_content(
    client, django_assert_num_queries, django_assert_max_num_queries
):
    from alpcafes.tests.factories import AlpCafeFactory
    from blog.tests.factories import PostFactory

    AlpCafeFactory()
    PostFactory()
    from common.fragments import store

    client.get("/")
    store.clear()  # the content rendered, not kept
    with django_assert_max_num_queries(10) as few:
        client.get("/?miss=1")
    for _ in range(5):
        AlpCafeFactory()
        PostFactory()
    store.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/?miss=2")


def test_member_menu_shows_name_not_username(client):
    user = UserFactory(first_name="Greta", last_name="Gruber")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Greta Gruber" in html
    assert reverse("account_logout") in html
    assert reverse("account_signup") not in html


def test_healthz_answers_ok_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_pages_render_in_another_language(client):
    client.cookies["django_language"] = "de"
    response = client.get("/", headers={"accept-language": "de"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    from django.utils import translation

    with translation.override("de"):
        skip = translation.gettext("Skip to main content")
    assert skip != "Skip to main content" and skip in html


def test_home_shows_figures_and_the_next_alpcafes(client):
    from alpcafes.tests.factories import AlpCafeFactory
    from stakeholders.tests.factories import StakeholderFactory

    StakeholderFactory(country="AT")
    StakeholderFactory(country="IT")
    AlpCafeFactory(title="Next Wood AlpCafé")
    html = client.get("/").content.decode()
    assert "Next Wood AlpCafé" in html
    assert '<div class="display-6 fw-bold">2</div><div>stakeholders in the registry' in html


def test_language_is_chosen_with_a_get_form_and_stays_on_the_page(client):
    response = client.get(reverse("choose_language"), {"language": "fr", "next": "/about/"})
    assert response.status_code == 302 and response.url == "/about/"
    assert response.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get("/about/").content.decode()


def test_language_chooser_refuses_foreign_redirects_and_unknown_languages(client):
    response = client.get(
        reverse("choose_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.url == "/" and "django_language" not in response.cookies


def test_the_language_menu_names_each_language_in_itself(client):
    html = client.get("/about/").content.decode()
    for name in ("English", "Deutsch", "Français", "Italiano", "Slovenščina"):
        assert f">{name}</option>" in html


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("privacy", "AlpClusters 2020 project partnership"),
        ("imprint", "co-funded by the European Union"),
        ("accessibility", "Directive (EU) 2016/2102"),
        ("community_rules", "Be courteous"),
    ],
)
def test_legal_pages_and_the_footer_links_to_them(client, name, text):
    html = client.get(reverse(name)).content.decode()
    assert text in html
    assert f'href="{reverse(name)}"' in client.get("/").content.decode()
    assert "/static/img/eu-emblem.svg" in html


def test_the_privacy_notice_gives_the_retention_periods_from_the_settings(client, settings):
    settings.RETENTION = {**settings.RETENTION, "sent_mail": 123}
    assert "123 days" in client.get(reverse("privacy")).content.decode()


def test_about_and_footer_take_the_facts_from_the_projects_catalogue_entry(client):
    from datetime import date
    from decimal import Decimal

    from impact.selectors import PROJECT_SLUG
    from impact.tests.factories import InitiativeFactory, InitiativePartnerFactory
    from stakeholders.tests.factories import StakeholderFactory

    project = InitiativeFactory(
        name="AlpClusters 2020",
        slug=PROJECT_SLUG,
        programme="Alpine Space",
        programme_period="2007–2013",
        start_date=date(2013, 9, 1),
        end_date=date(2014, 12, 1),
        budget_eur=Decimal("400000.00"),
        eu_cofunding_percent=Decimal("70.0"),
    )
    lead = StakeholderFactory(name="Lead Agency")
    hidden = StakeholderFactory(name="Hidden Cluster", state="pending")
    InitiativePartnerFactory(initiative=project, name="Lead Agency", stakeholder=lead, is_lead=True)
    InitiativePartnerFactory(initiative=project, name="Hidden Cluster", stakeholder=hidden)
    InitiativePartnerFactory(initiative=project, name="Not Mapped Org")
    html = client.get("/about/").content.decode()
    for fact in ("1 September 2013", "1 December 2014", "€400,000.00", "70.0 %", "with 3 partners"):
        assert fact in html
    assert f'<a href="{lead.get_absolute_url()}">Lead Agency</a> (AT) — lead partner' in html
    # A partner whose registry page is not public is named without a link.
    assert "<li>Hidden Cluster (AT)</li>" in html and hidden.get_absolute_url() not in html
    assert "<li>Not Mapped Org (AT)</li>" in html


def test_project_facts_fall_back_before_the_catalogue_is_loaded(client, django_assert_num_queries):
    client.get("/about/")
    # The answer "no entry yet" is cached too: no query on the next pages.
    with django_assert_num_queries(0):
        html = client.get("/about/").content.decode()
    assert "31 August 2013" in html and "€376,352.00" in html
    assert 'id="project-partners"' not in html


def test_the_log_in_page_shows_its_errors_and_keeps_where_to_go_next(client):
    """The log-in page is written out in plain markup (not allauth's element tags): its errors,
    its field states and the way back must still be there."""
    url = reverse("account_login")
    html = client.get(url + "?next=/blog/").content.decode()
    assert 'name="next" value="/blog/"' in html and "/accounts/signup/?next=%2Fblog%2F" in html
    assert 'autocomplete="current-password"' in html and 'for="id_login"' in html
    user = UserFactory()
    wrong = client.post(url, {"login": user.email, "password": "not-the-password"})
    html = wrong.content.decode()
    assert "alert-danger" in html and f'value="{user.email}"' in html
    invalid = client.post(url, {"login": "not an address", "password": "x"}).content.decode()
    assert 'aria-describedby="id_login_error"' in invalid and "is-invalid" in invalid
    client.cookies["django_language"] = "de"
    assert "Anmeldung" in client.get(url).content.decode()
