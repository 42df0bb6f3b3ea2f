import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stakeholders import importing, selectors
from stakeholders.models import ConsentEvent, Contact, ContactMessage, Stakeholder

from .factories import ContactFactory, SectorFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db

# The admin's changelist of stakeholders, whatever the number of rows: the user, the sectors of the
# sector filter, the two counts, the page of rows with its contacts counted (the session comes
# from the cache).
CHANGELIST_QUERIES = 5

HEADER = (
    "name,kind,country,region,city,latitude,longitude,website,description,sectors,is_partner,state"
)


def changelist_url():
    return reverse("admin:stakeholders_stakeholder_changelist")


def import_url():
    return reverse("admin:stakeholders_stakeholder_import")


def run_action(client, action, stakeholders, **data):
    return client.post(
        changelist_url(),
        {"action": action, ACTION_CHECKBOX_NAME: [s.pk for s in stakeholders], **data},
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def upload(client, content: str | bytes, name="stakeholders.csv"):
    data = content.encode() if isinstance(content, str) else content
    return client.post(import_url(), {"file": SimpleUploadedFile(name, data, "text/csv")})


# --- Pages and access ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 50])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_num_queries, size
):
    sector = SectorFactory()
    for stakeholder in StakeholderFactory.create_batch(size, sectors=[sector]):
        ContactFactory.create_batch(2, stakeholder=stakeholder)
    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = admin_client.get(changelist_url())
    assert response.status_code == 200
    assert response.context["cl"].result_count == size
    assert [s.contact_count for s in response.context["cl"].result_list] == [2] * size
    assert "Import CSV" in response.content.decode()


def test_changelist_search_finds_by_name_and_contact_address(admin_client):
    StakeholderFactory(name="Cluster Südtirol Alimentare")
    other = StakeholderFactory(name="Mechatronik Cluster")
    ContactFactory(stakeholder=other, email="anna@mecha.example.org")
    found = admin_client.get(changelist_url(), {"q": "Südtirol"}).context["cl"].result_list
    assert [s.name for s in found] == ["Cluster Südtirol Alimentare"]
    found = admin_client.get(changelist_url(), {"q": "anna@mecha"}).context["cl"].result_list
    assert [s.name for s in found] == ["Mechatronik Cluster"]


def test_change_pages_load_with_contacts_and_consent_history(admin_client):
    contact = ContactFactory(first_name="Greta", last_name="Huber")
    ConsentEvent.objects.create(contact=contact, kind="mail", granted=True, source="sign-up form")
    response = admin_client.get(
        reverse("admin:stakeholders_stakeholder_change", args=[contact.stakeholder.pk])
    )
    assert response.status_code == 200
    assert "Greta" in response.content.decode()
    response = admin_client.get(reverse("admin:stakeholders_contact_change", args=[contact.pk]))
    assert response.status_code == 200
    assert "sign-up form" in response.content.decode()
    # Only the person gives consent: the admin shows the timestamps but cannot set them.
    assert "mail_consent_at" not in response.context["adminform"].form.fields


@pytest.mark.parametrize(
    "name",
    [
        "admin:stakeholders_stakeholder_changelist",
        "admin:stakeholders_stakeholder_add",
        "admin:stakeholders_contact_changelist",
        "admin:stakeholders_contactmessage_changelist",
        "admin:stakeholders_sector_changelist",
    ],
)
def test_other_admin_pages_load(admin_client, name):
    ContactFactory()
    assert admin_client.get(reverse(name)).status_code == 200


def test_contact_changelist_filters_on_consent(admin_client):
    ContactFactory(email="yes@example.org")
    ContactFactory(email="no@example.org", mail_consent_at=None)
    response = admin_client.get(
        reverse("admin:stakeholders_contact_changelist"), {"mail_consent": "no"}
    )
    assert [c.email for c in response.context["cl"].result_list] == ["no@example.org"]


@pytest.mark.parametrize("url", [changelist_url, import_url])
def test_non_staff_is_sent_to_the_admin_login(client, url):
    client.force_login(UserFactory())
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- Change form ---------------------------------------------------------------------------------


def form_data(**fields):
    return {
        "name": "Holz Cluster Tirol",
        "slug": "",
        "kind": "cluster",
        "country": "AT",
        "region": "Tirol",
        "city": "Innsbruck",
        "latitude": "",
        "longitude": "",
        "website": "",
        "description": "",
        "state": "published",
        "rejection_reason": "",
        "origin": "mapped",
        "submitted_by": "",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_adding_in_the_admin_derives_the_slug_and_indexes_the_sectors(admin_client):
    wood = SectorFactory(name="Wood & Timber", slug="wood")
    response = admin_client.post(
        reverse("admin:stakeholders_stakeholder_add"), form_data(sectors=[wood.pk])
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert stakeholder.slug == "holz-cluster-tirol"
    found = selectors.stakeholders_search(Stakeholder.objects.all(), "timber")
    assert list(found) == [stakeholder]


def test_changing_in_the_admin_refreshes_the_search_index(admin_client):
    stakeholder = StakeholderFactory(name="Old Name", slug="old-name")
    response = admin_client.post(
        reverse("admin:stakeholders_stakeholder_change", args=[stakeholder.pk]),
        form_data(name="Photonics Valley", slug="old-name"),
    )
    assert response.status_code == 302
    found = selectors.stakeholders_search(Stakeholder.objects.all(), "photonics")
    assert list(found) == [stakeholder]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"slug": "map"}, "the address of a page of the directory"),
        ({"state": "rejected"}, "Please give the reason for the rejection."),
    ],
)
def test_change_form_refuses_reserved_slugs_and_rejection_without_reason(
    admin_client, fields, error
):
    response = admin_client.post(reverse("admin:stakeholders_stakeholder_add"), form_data(**fields))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_deciding_in_the_change_form_mails_the_submitter_like_the_actions(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    submitter = UserFactory(email="submitter@example.org")
    stakeholder = StakeholderFactory(
        name="Holz Cluster Tirol",
        slug="holz-cluster-tirol",
        state=Stakeholder.State.PENDING,
        submitted_by=submitter,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:stakeholders_stakeholder_change", args=[stakeholder.pk]),
            form_data(
                slug="holz-cluster-tirol",
                state="rejected",
                rejection_reason="Outside the Alpine Space.",
                submitted_by=submitter.pk,
            ),
        )
    assert response.status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.state == Stakeholder.State.REJECTED
    assert [m.to for m in mailoutbox] == [["submitter@example.org"]]
    assert "Outside the Alpine Space." in mailoutbox[0].body


# --- Actions -------------------------------------------------------------------------------------


def test_publish_action_publishes_the_selected_and_mails_their_submitters(
    admin_client, django_capture_on_commit_callbacks, mailoutbox
):
    submitter = UserFactory(email="submitter@example.org")
    pending = [
        StakeholderFactory(state=Stakeholder.State.PENDING, submitted_by=submitter),
        StakeholderFactory(state=Stakeholder.State.PENDING),
    ]
    already = StakeholderFactory(submitted_by=submitter)
    untouched = StakeholderFactory(state=Stakeholder.State.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "publish_selected", [*pending, already])
    assert response.status_code == 302
    assert set(Stakeholder.objects.published()) == {*pending, already}
    untouched.refresh_from_db()
    assert untouched.state == Stakeholder.State.PENDING
    # Only a decision is mailed: the one already published hears nothing again.
    assert [m.to for m in mailoutbox] == [["submitter@example.org"]]
    assert messages_of(admin_client.get(changelist_url())) == ["2 stakeholders published."]


def test_reject_action_asks_for_the_reason_then_rejects(admin_client):
    pending = StakeholderFactory.create_batch(2, state=Stakeholder.State.PENDING)
    response = run_action(admin_client, "reject_selected", pending)
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    response = run_action(
        admin_client, "reject_selected", pending, apply="1", reason="Not in the Alpine Space."
    )
    assert response.status_code == 302
    assert messages_of(admin_client.get(changelist_url())) == ["2 stakeholders rejected."]
    for stakeholder in pending:
        stakeholder.refresh_from_db()
        assert stakeholder.state == Stakeholder.State.REJECTED
        assert stakeholder.rejection_reason == "Not in the Alpine Space."


def test_reject_action_without_a_reason_changes_nothing(admin_client):
    pending = StakeholderFactory(state=Stakeholder.State.PENDING)
    response = run_action(admin_client, "reject_selected", [pending], apply="1", reason="   ")
    assert response.status_code == 200
    assert "Please give the reason for the rejection." in response.content.decode()
    pending.refresh_from_db()
    assert pending.state == Stakeholder.State.PENDING


def test_partner_actions_mark_and_unmark(admin_client):
    stakeholders = StakeholderFactory.create_batch(2)
    run_action(admin_client, "mark_partner", stakeholders)
    assert Stakeholder.objects.filter(is_partner=True).count() == 2
    run_action(admin_client, "unmark_partner", stakeholders[:1])
    assert list(Stakeholder.objects.filter(is_partner=True)) == stakeholders[1:]


def test_export_csv_has_the_public_fields_and_sectors_but_no_contact_address(admin_client):
    wood = SectorFactory(name="Wood & Timber")
    stakeholder = StakeholderFactory(
        name="=HYPERLINK(evil)", sectors=[wood, SectorFactory(name="Energy")]
    )
    contact = ContactFactory(stakeholder=stakeholder)
    response = run_action(admin_client, "export_csv", [stakeholder])
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert contact.email not in content
    assert "@" not in content
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == [*selectors.PUBLIC_FIELDS, "sectors"]
    assert rows[0]["sectors"] == "Energy; Wood & Timber"
    assert rows[0]["is_partner"] == "no"
    # A spreadsheet must not run a name as a formula.
    assert rows[0]["name"] == "'=HYPERLINK(evil)"


def test_merge_action_moves_contacts_to_the_chosen_survivor(admin_client):
    survivor = StakeholderFactory(name="Cluster Alpin", city="")
    duplicate = StakeholderFactory(name="Cluster Alpin e.V.", city="Grenoble", is_partner=True)
    contacts = ContactFactory.create_batch(2, stakeholder=duplicate)
    response = run_action(admin_client, "merge_selected", [survivor, duplicate])
    assert response.status_code == 200
    assert 'name="survivor"' in response.content.decode()
    response = run_action(
        admin_client, "merge_selected", [survivor, duplicate], apply="1", survivor=survivor.pk
    )
    assert response.status_code == 302
    assert list(Stakeholder.objects.all()) == [survivor]
    assert set(Contact.objects.filter(stakeholder=survivor)) == set(contacts)
    survivor.refresh_from_db()
    assert (survivor.city, survivor.is_partner) == ("Grenoble", True)
    assert messages_of(admin_client.get(changelist_url())) == [
        "Cluster Alpin e.V. merged into Cluster Alpin."
    ]


def test_merge_action_needs_two_stakeholders(admin_client):
    stakeholder = StakeholderFactory()
    response = run_action(admin_client, "merge_selected", [stakeholder], apply="1")
    assert response.status_code == 302
    assert Stakeholder.objects.count() == 1
    assert messages_of(admin_client.get(changelist_url())) == [
        "Select at least two stakeholders to merge."
    ]


@pytest.mark.parametrize(
    ("action", "kind"),
    [("withdraw_mail_consent", "mail"), ("withdraw_listing_consent", "listing")],
)
def test_withdraw_consent_actions_go_through_the_service(admin_client, action, kind):
    contact = ContactFactory()
    admin_client.post(
        reverse("admin:stakeholders_contact_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [contact.pk]},
    )
    contact.refresh_from_db()
    assert getattr(contact, f"{kind}_consent_at") is None
    event = ConsentEvent.objects.get(contact=contact)
    assert (event.kind, event.granted, event.source) == (kind, False, "admin")


def test_contact_messages_are_read_only_but_do_not_block_deleting_a_stakeholder(admin_client):
    message = ContactMessage.objects.create(
        stakeholder=StakeholderFactory(), sender=UserFactory(), subject="Hello", body="Hi."
    )
    assert admin_client.get(reverse("admin:stakeholders_contactmessage_add")).status_code == 403
    response = admin_client.get(
        reverse("admin:stakeholders_contactmessage_change", args=[message.pk])
    )
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = admin_client.post(
        reverse("admin:stakeholders_stakeholder_delete", args=[message.stakeholder.pk]),
        {"post": "yes"},
    )
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()


# --- CSV import ----------------------------------------------------------------------------------


def test_import_dry_run_shows_errors_with_row_numbers_and_creates_nothing(admin_client):
    SectorFactory(name="Energy")
    content = "\n".join(
        [
            HEADER,
            "Good Org,sme,IT,,Torino,,,,,Energy,no,",
            "Bad Kind,spaceship,IT,,,,,,,,,",
            "Bad Sector,sme,AT,,,,,,,Quantum Knitting,,",
            "Bad Partner,sme,XX,,,91,10,,,,maybe,",
        ]
    )
    response = upload(admin_client, content)
    assert response.status_code == 200
    result = response.context["result"]
    assert {row.number: len(row.errors) for row in result.rows} == {2: 0, 3: 1, 4: 1, 5: 3}
    html = response.content.decode()
    assert "Row 3: kind: “spaceship” is not a kind" in html
    assert "Row 4: sectors: Unknown sector(s): Quantum Knitting." in html
    assert "Row 5: is_partner: “maybe” is not yes or no" in html
    assert "3 rows have errors" in html
    assert 'name="confirm"' not in html
    assert not Stakeholder.objects.exists()


def test_valid_import_creates_every_row_with_origin_imported_and_sectors(admin_client):
    energy, wood = SectorFactory(name="Energy"), SectorFactory(name="Wood & Timber")
    content = "\n".join(
        [
            HEADER,
            'Holz Cluster,cluster,AT,Tirol,Innsbruck,"47,26920",11.404101,holz.example.at,'
            '"Wood, timber and more",wood & timber;Energy,yes,',
            "Energia Alpina,Public authority,it,,Aosta,,,,,,0,pending",
        ]
    )
    response = upload(admin_client, content)
    html = response.content.decode()
    assert "2 stakeholders would be created." in html
    assert not Stakeholder.objects.exists()
    response = admin_client.post(import_url(), {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 302
    holz, energia = Stakeholder.objects.order_by("-name")
    assert {holz.origin, energia.origin} == {Stakeholder.Origin.IMPORTED}
    assert (holz.state, energia.state) == ("published", "pending")
    assert set(holz.sectors.all()) == {energy, wood}
    assert (holz.is_partner, energia.is_partner) == (True, False)
    assert (str(holz.latitude), str(holz.longitude)) == ("47.26920", "11.40410")
    assert holz.website == "https://holz.example.at"
    assert energia.kind == Stakeholder.Kind.PUBLIC_AUTHORITY
    assert energia.country == "IT"
    assert list(selectors.stakeholders_search(Stakeholder.objects.all(), "timber")) == [holz]
    assert messages_of(admin_client.get(changelist_url())) == ["2 stakeholders imported."]


def test_import_with_a_bad_row_imports_nothing_even_when_confirm_is_forged(admin_client):
    content = "\n".join([HEADER, "Good Org,sme,IT,,,,,,,,,", "Bad Org,sme,Narnia,,,,,,,,,"])
    response = upload(admin_client, content)
    assert 'name="confirm"' not in response.content.decode()
    response = admin_client.post(import_url(), {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 200
    assert "Nothing was imported: the file has errors." in messages_of(response)
    assert "Row 3: country:" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_import_confirm_imports_only_the_file_last_previewed(admin_client):
    first = upload(admin_client, f"{HEADER}\nFirst Org,sme,IT,,,,,,,,,")
    upload(admin_client, f"{HEADER}\nSecond Org,sme,IT,,,,,,,,,")
    response = admin_client.post(import_url(), {"confirm": "1", "token": first.context["token"]})
    assert response.status_code == 302
    assert response["Location"] == import_url()
    assert not Stakeholder.objects.exists()
    response = admin_client.post(import_url(), {"confirm": "1", "token": "forged"})
    assert not Stakeholder.objects.exists()


def test_import_reads_utf8_with_bom_and_semicolons(admin_client):
    SectorFactory(name="Énergie")
    content = "\n".join(
        [
            "Name;Kind;Country;City;Sectors;Description",
            "Pôle Énergie Savoie;cluster;FR;Chambéry;énergie;Solaire, hydraulique",
        ]
    )
    response = upload(admin_client, "\ufeff".encode() + content.encode())
    assert response.context["result"].is_valid
    admin_client.post(import_url(), {"confirm": "1", "token": response.context["token"]})
    stakeholder = Stakeholder.objects.get()
    assert (stakeholder.name, stakeholder.city) == ("Pôle Énergie Savoie", "Chambéry")
    assert stakeholder.description == "Solaire, hydraulique"
    assert [s.name for s in stakeholder.sectors.all()] == ["Énergie"]


def test_import_flags_duplicates_in_the_file_and_in_the_registry(admin_client):
    existing = StakeholderFactory(name="Mechatronik Cluster", country="AT")
    content = "\n".join(
        [
            HEADER,
            "mechatronik cluster,cluster,AT,,,,,,,,,",
            "Twin Org,sme,IT,,,,,,,,,",
            "TWIN ORG,sme,it,,,,,,,,,",
        ]
    )
    response = upload(admin_client, content)
    rows = response.context["result"].rows
    assert rows[0].errors == []
    assert rows[0].duplicates == [existing]
    assert rows[2].errors == ["Row 3 has the same name and country."]
    html = response.content.decode()
    assert reverse("admin:stakeholders_stakeholder_change", args=[existing.pk]) in html


def test_import_refuses_a_file_over_the_size_limit(admin_client, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 100)
    response = upload(admin_client, HEADER + "\n" + "Org,sme,IT,,,,,,,,,\n" * 10)
    assert response.status_code == 200
    assert "the limit is 100\xa0bytes" in response.content.decode()
    assert "result" not in response.context


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("name,kind,country\nZürich Org,sme,CH".encode("latin-1"), "is not UTF-8 text"),
        (b"", "The submitted file is empty."),
        (b"name,city\nOrg,Bern", "These columns are missing: kind, country."),
        (HEADER.encode(), "The file has no rows below its header."),
    ],
)
def test_import_explains_files_it_cannot_read(admin_client, content, error):
    response = upload(admin_client, content)
    assert error in response.content.decode()
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "error"),
    [
        ("46,5", "", "Give both latitude and longitude, or neither."),
        ("1e400", "10", "latitude: Ensure that there are no more than 8 digits in total."),
        ("NaN", "10", "latitude: Enter a number."),
        ("-91", "10", "latitude: A latitude lies between -90 and 90."),
    ],
)
def test_import_refuses_impossible_coordinates(latitude, longitude, error):
    content = f"name;kind;country;latitude;longitude\nOrg;sme;IT;{latitude};{longitude}"
    (row,) = importing.parse(content.encode()).rows
    assert row.errors == [error]


def test_renaming_a_sector_refreshes_the_search_index(admin_client):
    sector = SectorFactory(name="Wood", slug="wood")
    stakeholder = StakeholderFactory(sectors=[sector])
    response = admin_client.post(
        reverse("admin:stakeholders_sector_change", args=[sector.pk]),
        {"name": "Photonics", "slug": "photonics"},
    )
    assert response.status_code == 302
    found = selectors.stakeholders_search(Stakeholder.objects.all(), "photonics")
    assert list(found) == [stakeholder]
