import csv
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from common.versions import data_changed
from stakeholders.models import ContactMessage, Stakeholder
from testing.cache import clear_own_cache

from .factories import ContactFactory, SectorFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_directory_searches_filters_and_counts(client):
    wood = SectorFactory(name="Wood", slug="wood")
    StakeholderFactory(name="Holz Südtirol", country="IT", region="Südtirol", sectors=[wood])
    StakeholderFactory(name="Bois Savoie", country="FR", region="Savoie", sectors=[wood])
    StakeholderFactory(name="Mecha Tirol", country="AT", kind="sme")
    StakeholderFactory(name="Hidden Pending", state="pending")

    html = client.get(reverse("stakeholders:directory")).content.decode()
    assert "3 stakeholders" in html
    assert "Hidden Pending" not in html
    assert "Italy (1)" in html and "Wood (2)" in html
    assert "No (3)" in html  # partners: none of the three

    response = client.get(reverse("stakeholders:directory"), {"q": "sudtirol"})
    assert [s.name for s in response.context["stakeholders"]] == ["Holz Südtirol"]

    response = client.get(reverse("stakeholders:directory"), {"sector": "wood", "country": "FR"})
    assert [s.name for s in response.context["stakeholders"]] == ["Bois Savoie"]
    assert "France (1)" in response.content.decode()


def test_directory_sorts_and_paginates_with_shareable_urls(client, many_stakeholders):
    many_stakeholders(25)
    response = client.get(reverse("stakeholders:directory"), {"sort": "-name", "country": "AT"})
    names = [s.name for s in response.context["stakeholders"]]
    assert names == sorted(names, reverse=True)
    page2 = client.get(reverse("stakeholders:directory"), {"page": 2})
    assert len(page2.context["stakeholders"]) == 5
    assert 'href="?page=1"' in page2.content.decode() or "page=1" in page2.content.decode()


def test_directory_empty_state_helps(client):
    StakeholderFactory(name="Something")
    html = client.get(reverse("stakeholders:directory"), {"q": "nothingmatches"}).content.decode()
    assert "No stakeholder matches." in html
    assert "see every stakeholder" in html


def test_directory_rejects_bad_filter_values_with_a_message_not_an_error(client):
    StakeholderFactory()
    response = client.get(reverse("stakeholders:directory"), {"country": "XX"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        reverse("stakeholders:directory"),
        reverse("stakeholders:directory") + "?q=cluster&country=AT&kind=cluster",
        reverse("stakeholders:map"),
    ],
)
def test_list_pages_query_count_does_not_grow(
    client, many_stakeholders, url, django_assert_num_queries
):
    many_stakeholders(10, prefix="Small")
    client.get(url)
    clear_own_cache()  # measure with the directory's counts not cached yet
    # (+1: the footer's project facts, read on a cold cache as well)
    with django_assert_num_queries(8 if "map" not in url else 4) as small:
        client.get(url)
    many_stakeholders(1000, prefix="Large")
    clear_own_cache()
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_detail_query_count_does_not_grow(client, django_assert_num_queries):
    stakeholder = StakeholderFactory(sectors=[SectorFactory(), SectorFactory()])
    ContactFactory(stakeholder=stakeholder)
    url = stakeholder.get_absolute_url()
    client.force_login(UserFactory())  # members never get the anonymous page cache
    client.get(url)
    # Its shared parts kept: the user with their groups (menu), the page, the member's
    # organisation (edit and join buttons).
    with django_assert_num_queries(3):
        client.get(url)
    from common.fragments import store

    store.clear()
    # Rendered: and its sectors, contacts, the relay check, three sections (AlpCafés attended;
    # earlier initiatives; open partnership opportunities).
    with django_assert_num_queries(9):
        client.get(url)
    for _ in range(20):
        ContactFactory(stakeholder=stakeholder)
    stakeholder.sectors.add(*[SectorFactory() for _ in range(10)])
    data_changed("registry")
    # The same nine, and the footer's project facts, read again after a change of the registry.
    with django_assert_num_queries(10):
        client.get(url)


def test_detail_shows_public_fields_and_listed_contacts_only(client):
    stakeholder = StakeholderFactory(description="We build robots.")
    listed = ContactFactory(stakeholder=stakeholder, first_name="Lena", role="Manager")
    unlisted = ContactFactory(stakeholder=stakeholder, first_name="Ugo", listing_consent_at=None)
    html = client.get(stakeholder.get_absolute_url()).content.decode()
    assert "We build robots." in html
    assert "Lena" in html and "Manager" in html
    assert "Ugo" not in html
    assert listed.email not in html and unlisted.email not in html
    assert listed.phone not in html
    assert 'data-lat="47.269200"' in html


def test_pending_stakeholder_is_404_for_others_and_visible_to_submitter_and_moderators(client):
    submitter = UserFactory()
    stakeholder = StakeholderFactory(state="pending", submitted_by=submitter)
    url = stakeholder.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(submitter)
    assert client.get(url).status_code == 200
    moderator = UserFactory()
    moderator.groups.add(_group("Moderators"))
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


def test_exports_give_public_fields_with_the_directory_filters(client):
    wood = SectorFactory(name="Wood", slug="wood")
    StakeholderFactory(name="Holz AG", country="AT", sectors=[wood])
    StakeholderFactory(name="Bois SA", country="FR")
    StakeholderFactory(name="Pending AG", country="AT", state="pending")

    response = client.get(reverse("stakeholders:export_csv"), {"country": "AT"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["name"] for r in rows] == ["Holz AG"]
    assert rows[0]["sectors"] == "Wood"
    assert rows[0]["url"].endswith("/stakeholders/holz-ag/")
    assert "email" not in rows[0] and "phone" not in rows[0]

    response = client.get(reverse("stakeholders:export_json"))
    data = json.loads(b"".join(response.streaming_content))
    assert sorted(s["name"] for s in data["stakeholders"]) == ["Bois SA", "Holz AG"]


class _Statements(list):
    """Every statement run on the connection (CaptureQueriesContext misses those run while a
    streamed response is read), savepoints left out."""

    def __call__(self, execute, sql, params, many, context):
        if "SAVEPOINT" not in sql:
            self.append(sql)
        return execute(sql, params, many, context)


@pytest.mark.parametrize("size", [3, 30])
def test_exports_read_rows_and_sectors_in_one_query_at_any_size(client, size, monkeypatch):
    """The sectors come with the rows (aggregated by the database, alphabetically), not from a
    query per batch: one query whatever the number of rows and batches."""
    from stakeholders import views

    monkeypatch.setattr(views, "EXPORT_FIRST_BATCH", 2)
    monkeypatch.setattr(views, "EXPORT_BATCH", 5)
    wood, metal = SectorFactory(name="Wood", slug="wood"), SectorFactory(name="Metal")
    for i in range(size):
        StakeholderFactory(name=f"Org {i:02}", country="AT", sectors=[wood, metal][: i % 3])
    statements = _Statements()
    with connection.execute_wrapper(statements):
        response = client.get(reverse("stakeholders:export_csv"), {"country": "AT"})
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(statements) == 1, statements
    assert len(rows) == size
    assert [row["sectors"] for row in rows[:3]] == ["", "Wood", "Metal; Wood"]
    statements = _Statements()
    with connection.execute_wrapper(statements):
        response = client.get(reverse("stakeholders:export_json"), {"country": "AT"})
        data = json.loads(b"".join(response.streaming_content))["stakeholders"]
    assert len(statements) == 1, statements
    assert [s["sectors"] for s in data[:3]] == [[], ["Wood"], ["Metal", "Wood"]]
    assert isinstance(data[0]["latitude"], str)  # as before: a Decimal written as a string


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's cursors")
@pytest.mark.django_db(transaction=True)
def test_exports_stream_from_a_cursor_that_is_not_computed_whole_first(client):
    """Outside a transaction Django declares the cursor WITH HOLD, and PostgreSQL computes every
    row before it gives the first (the first byte then waits for the whole export)."""
    StakeholderFactory(name="Streamed AG", country="AT")
    cursors = []

    def record(execute, sql, params, many, context):
        cursors.append(context["cursor"].cursor)  # psycopg2's own cursor
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(reverse("stakeholders:export_csv"))
        assert b"Streamed AG" in b"".join(response.streaming_content)
    (export,) = [cursor for cursor in cursors if cursor.name]  # a server-side cursor
    assert not export.withhold


def test_map_geojson_has_a_point_per_located_stakeholder(client):
    StakeholderFactory(name="Located")
    StakeholderFactory(name="Nowhere", latitude=None, longitude=None)
    data = client.get(reverse("stakeholders:map_geojson")).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Located"]
    assert data["features"][0]["geometry"]["coordinates"] == [11.4041, 47.2692]


def test_map_page_lists_stakeholders_for_readers_without_javascript(client):
    StakeholderFactory(name="Listed On Map")
    html = client.get(reverse("stakeholders:map")).content.decode()
    assert "Listed On Map" in html
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html


def test_no_contact_email_or_phone_on_any_public_page_or_export(client):
    """Scan every public response for every contact's address and phone number."""
    stakeholders = [StakeholderFactory(name=f"Org {i}") for i in range(3)]
    contacts = [ContactFactory(stakeholder=s) for s in stakeholders for _ in range(2)]
    ContactFactory(stakeholder=stakeholders[0], listing_consent_at=None)
    urls = [
        "/",
        reverse("stakeholders:directory"),
        reverse("stakeholders:directory") + "?q=org",
        reverse("stakeholders:map"),
        reverse("stakeholders:map_geojson"),
        reverse("stakeholders:export_csv"),
        reverse("stakeholders:export_json"),
        *[s.get_absolute_url() for s in stakeholders],
        # The impact page and its downloads: aggregates only (its own tests read the .xlsx).
        reverse("impact:page"),
        reverse("impact:export_csv"),
        *[reverse("impact:data", args=[name]) for name in ("countries", "coverage", "growth")],
        "/about/",
    ]
    secrets = [c.email for c in contacts] + [c.phone for c in contacts]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for secret in secrets:
            assert secret not in body, (url, secret)


# --- Registration, moderation, relay, profile ------------------------------------------------


def test_register_needs_login(client):
    response = client.get(reverse("stakeholders:register"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_register_form_shows_field_errors_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("stakeholders:register"),
        {"name": "", "kind": "sme", "country": "AT", "latitude": "46.5"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors
    assert "Give both latitude and longitude, or neither." in form.non_field_errors()
    assert Stakeholder.objects.count() == 0


def test_register_creates_a_pending_stakeholder_visible_to_its_submitter(client):
    user = UserFactory()
    client.force_login(user)
    wood = SectorFactory(name="Wood", slug="wood")
    response = client.post(
        reverse("stakeholders:register"),
        {
            "name": "Neue Holz GmbH",
            "kind": "sme",
            "country": "AT",
            "city": "Lienz",
            "website": "https://holz.example.org",
            "sectors": [wood.pk],
            "role": "CEO",
        },
        follow=True,
    )
    stakeholder = Stakeholder.objects.get()
    assert stakeholder.state == "pending" and stakeholder.submitted_by == user
    assert "waiting for a moderator" in response.content.decode()
    assert "Neue Holz GmbH" not in client.get(reverse("stakeholders:directory")).content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("visitor", 302), ("member", 403), ("organiser", 403), ("moderator", 200), ("staff", 200)],
)
def test_moderation_queue_permissions(client, role, expected):
    StakeholderFactory(state="pending")
    if role != "visitor":
        user = UserFactory(is_superuser=(role == "staff"), is_staff=(role == "staff"))
        if role == "moderator":
            user.groups.add(_group("Moderators"))
        if role == "organiser":
            user.groups.add(_group("Organisers"))
        client.force_login(user)
    assert client.get(reverse("stakeholders:moderation")).status_code == expected


def test_moderator_approves_and_rejects_from_the_queue(client, django_capture_on_commit_callbacks):
    submitter = UserFactory(email="submitter@example.org")
    good = StakeholderFactory(name="Good Org", state="pending", submitted_by=submitter)
    bad = StakeholderFactory(name="Bad Org", state="pending", submitted_by=submitter)
    moderator = UserFactory()
    moderator.groups.add(_group("Moderators"))
    client.force_login(moderator)
    html = client.get(reverse("stakeholders:moderation")).content.decode()
    assert "Good Org" in html and "Bad Org" in html

    url = reverse("stakeholders:moderate", args=[bad.pk])
    client.post(url, {"decision": "reject", "reason": ""})
    bad.refresh_from_db()
    assert bad.state == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("stakeholders:moderate", args=[good.pk]), {"decision": "approve"})
        client.post(url, {"decision": "reject", "reason": "Not in the Alpine Space."})
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.state, bad.state) == ("published", "rejected")
    assert [m.to for m in mail.outbox] == [["submitter@example.org"]] * 2
    assert "Not in the Alpine Space." in mail.outbox[1].body


def test_member_cannot_moderate_by_posting(client):
    stakeholder = StakeholderFactory(state="pending")
    client.force_login(UserFactory())
    response = client.post(
        reverse("stakeholders:moderate", args=[stakeholder.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    stakeholder.refresh_from_db()
    assert stakeholder.state == "pending"


def test_moderation_queue_flags_likely_duplicates(client):
    StakeholderFactory(name="Cluster Alpha", website="https://alpha.example.org/")
    StakeholderFactory(
        name="Alpha again", state="pending", website="https://www.alpha.example.org/x"
    )
    moderator = UserFactory()
    moderator.groups.add(_group("Moderators"))
    client.force_login(moderator)
    html = client.get(reverse("stakeholders:moderation")).content.decode()
    assert "Possible duplicate of:" in html and "Cluster Alpha" in html


def test_contact_relay_sends_and_is_rate_limited(
    client, django_capture_on_commit_callbacks, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "relay": "2/h"}
    stakeholder = StakeholderFactory()
    ContactFactory(stakeholder=stakeholder)
    client.force_login(UserFactory())
    url = reverse("stakeholders:contact", args=[stakeholder.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = client.post(url, {"subject": "Hello", "body": "Let's cooperate."})
            assert response.status_code == 302
    response = client.post(url, {"subject": "Hello", "body": "Again"})
    assert response.status_code == 429
    assert "several times in a short time" in response.content.decode()
    assert "Again" in response.content.decode()  # what the member wrote is still in the form
    assert ContactMessage.objects.count() == 2
    assert len(mail.outbox) == 2


def test_contact_relay_needs_login_and_a_consenting_contact(client):
    stakeholder = StakeholderFactory()
    ContactFactory(stakeholder=stakeholder, mail_consent_at=None)
    url = reverse("stakeholders:contact", args=[stakeholder.slug])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    response = client.post(url, {"subject": "Hello", "body": "Anyone?"})
    assert response.status_code == 200
    assert ContactMessage.objects.count() == 0


def test_profile_consents_start_unticked_and_are_saved_with_history(client):
    user = UserFactory()
    client.force_login(user)
    form = client.get(reverse("profile")).context["form"]
    assert form.initial["listing_consent"] is False and form.initial["mail_consent"] is False
    client.post(
        reverse("profile"),
        {"first_name": "Eva", "last_name": "Egger", "language": "de", "mail_consent": "on"},
    )
    contact = user.contact
    contact.refresh_from_db()
    assert contact.accepts_mail and not contact.is_listed
    assert contact.language == "de"
    assert contact.consent_events.get().source == "profile"
    client.post(reverse("profile"), {"first_name": "Eva", "last_name": "Egger", "language": "de"})
    contact.refresh_from_db()
    assert not contact.accepts_mail


@pytest.mark.parametrize("page", ["moderation", "profile", "register", "contact"])
def test_member_pages_query_count_does_not_grow(
    client, many_stakeholders, page, django_assert_num_queries, django_assert_max_num_queries
):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    for _ in range(3):
        StakeholderFactory(state="pending", submitted_by=user)
    target = StakeholderFactory(name="Target")
    ContactFactory(stakeholder=target)
    url = {
        "moderation": reverse("stakeholders:moderation"),
        "profile": reverse("profile"),
        "register": reverse("stakeholders:register"),
        "contact": reverse("stakeholders:contact", args=[target.slug]),
    }[page]
    many_stakeholders(10, prefix="Small")
    client.get(url)
    with django_assert_max_num_queries(100) as small:
        assert client.get(url).status_code == 200
    many_stakeholders(1000, prefix="Large")
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("name", ["export_csv", "export_json", "map_geojson"])
def test_exports_query_count_does_not_grow_per_row(
    client, many_stakeholders, name, django_assert_num_queries, django_assert_max_num_queries
):
    """The exports read in batches (200 first, then 2,000): the same handful of queries at 250
    and 2,000 rows."""
    many_stakeholders(250, prefix="Small")

    def fetch(miss):  # a query string of its own: a page-cache miss each time
        response = client.get(reverse(f"stakeholders:{name}") + f"?miss={miss}")
        if response.streaming:
            b"".join(response.streaming_content)

    with django_assert_max_num_queries(100) as small:
        fetch(1)
    many_stakeholders(1750, prefix="Large")
    with django_assert_num_queries(len(small.captured_queries)):
        fetch(2)


def test_csv_export_never_hands_a_spreadsheet_a_formula(client):
    StakeholderFactory(name='=HYPERLINK("http://evil.example","x")', slug="evil")
    response = client.get(reverse("stakeholders:export_csv"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["name"].startswith("'=HYPERLINK")


def test_directory_counts_are_cached_until_the_registry_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    StakeholderFactory(name="First", country="AT")
    client.force_login(UserFactory())  # past the anonymous page cache
    client.get(reverse("stakeholders:directory"))
    from common.fragments import store

    store.clear()  # the content rendered again, from the cached counts:
    # the user with their groups, the page, its sectors and the sector choices.
    with django_assert_num_queries(4):
        html = client.get(reverse("stakeholders:directory")).content.decode()
    assert "Austria (1)" in html
    # The content itself kept (the same for every member): the user with their groups.
    with django_assert_num_queries(1):
        assert "Austria (1)" in client.get(reverse("stakeholders:directory")).content.decode()
    user = UserFactory()
    from stakeholders import services

    with django_capture_on_commit_callbacks(execute=True):
        services.stakeholder_register(user=user, name="Second", kind="sme", country="AT")
        services.stakeholder_publish(stakeholder=Stakeholder.objects.get(name="Second"))
    html = client.get(reverse("stakeholders:directory")).content.decode()
    assert "Austria (2)" in html


def test_anonymous_pages_are_cached_whole_until_the_registry_changes(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    stakeholder = StakeholderFactory(name="Cached Cluster", country="AT")
    for url in [reverse("stakeholders:directory"), stakeholder.get_absolute_url()]:
        first = client.get(url)
        assert "csrftoken" not in first.cookies  # nothing per visitor on a public page
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again["X-Page-Cache"] == "hit" and again.content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        from stakeholders import services

        services.stakeholder_update(stakeholder=stakeholder, name="Renamed Cluster")
    html = client.get(reverse("stakeholders:directory")).content.decode()
    assert "Renamed Cluster" in html and "Cached Cluster" not in html


def test_page_cache_keeps_languages_apart_and_skips_members(client):
    StakeholderFactory()
    english = client.get(reverse("stakeholders:directory")).content.decode()
    client.get(reverse("choose_language"), {"language": "de", "next": "/stakeholders/"})
    german = client.get(reverse("stakeholders:directory")).content.decode()
    assert '<html lang="de">' in german and german != english
    client.force_login(UserFactory(first_name="Mia"))
    member = client.get(reverse("stakeholders:directory"))
    assert "X-Page-Cache" not in member and "Mia" in member.content.decode()


def test_withdrawing_listing_consent_hides_the_name_at_once_on_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    from stakeholders.unsubscribe import preferences_token

    stakeholder = StakeholderFactory()
    contact = ContactFactory(stakeholder=stakeholder, first_name="Wanda", last_name="Withdraw")
    url = stakeholder.get_absolute_url()
    assert "Wanda Withdraw" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"  # the page is cached for visitors
    with django_capture_on_commit_callbacks(execute=True):  # as when the request commits
        client.post(
            reverse("mail_preferences", args=[preferences_token(contact)]),
            {"language": "en", "mail_consent": "on", "digest_frequency": "never"},
        )
    contact.refresh_from_db()
    assert not contact.is_listed
    assert "Wanda Withdraw" not in client.get(url).content.decode()
    # Not even for another visitor (no message pending: the page cache and the fragments).
    assert "Wanda Withdraw" not in Client().get(url).content.decode()


def test_the_preferences_link_opens_in_the_contacts_language_and_refuses_tampering(client):
    from stakeholders.unsubscribe import preferences_token

    contact = ContactFactory(language="de", digest_frequency="weekly")
    url = reverse("mail_preferences", args=[preferences_token(contact)])
    html = client.get(url).content.decode()
    assert '<html lang="de">' in html
    assert client.get(url[:-3] + "xx/").status_code == 404
    response = client.post(
        url, {"language": "it", "digest_frequency": "monthly", "mail_consent": "on"}
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.language, contact.digest_frequency) == ("it", "monthly")
    assert contact.consent_events.filter(source="preferences link").exists()


@pytest.mark.parametrize("count", [0, 1, 201])
def test_json_export_is_one_valid_document_whatever_the_number_of_batches(
    client, many_stakeholders, count
):
    if count:
        many_stakeholders(count, prefix="Batch")
    response = client.get(reverse("stakeholders:export_json") + f"?n={count}")
    data = json.loads(b"".join(response.streaming_content))
    assert data["license"] == "CC BY 4.0" and len(data["stakeholders"]) == count


def test_profile_lists_registrations_and_requests_in_one_query(client, django_assert_num_queries):
    """The member's contact, the organisations they registered and their latest five requests to
    join one come in one query (selectors.member_profile), on PostgreSQL as on SQLite."""
    from stakeholders.models import JoinRequest

    member = UserFactory()
    ContactFactory(user=member, email=member.email, stakeholder=None)
    StakeholderFactory(name="Zeta Registered", submitted_by=member, state=Stakeholder.State.PENDING)
    StakeholderFactory(name="Alpha Registered", submitted_by=member)
    for n in range(6):
        JoinRequest.objects.create(user=member, stakeholder=StakeholderFactory(name=f"Asked {n}"))
    client.force_login(member)
    client.get(reverse("profile"))  # the session and the layout, cached
    # The member with their groups, then the contact with both lists.
    with django_assert_num_queries(2):
        html = client.get(reverse("profile")).content.decode()
    assert html.index("Alpha Registered") < html.index("Zeta Registered")
    assert "Zeta Registered</a> — Pending" in html
    assert "Asked 5</a> — Waiting for a decision" in html  # the latest five, newest first
    assert "Asked 0" not in html and html.index("Asked 5") < html.index("Asked 1")
    assert "You are not linked to an organisation yet." in html
    # Without anything of the kind: nothing listed; their organisation named and linked.
    other = UserFactory()
    own = StakeholderFactory(name="Own Cluster")
    ContactFactory(user=other, email=other.email, stakeholder=own)
    client.force_login(other)
    html = client.get(reverse("profile")).content.decode()
    assert "Organisations you registered" not in html and "Your requests to join" not in html
    assert f'<a href="{own.get_absolute_url()}">Own Cluster</a>' in html
    assert reverse("stakeholders:edit", args=[own.slug]) in html
