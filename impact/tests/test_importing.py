from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impact import importing
from impact.models import Initiative, InitiativePartner
from stakeholders.tests.factories import StakeholderFactory

from .factories import InitiativeFactory

pytestmark = pytest.mark.django_db

# As the programme's project database exports its records.
HEADER = (
    "Project name,Programme,Programming period,Start date,End date,Total budget,"
    "EU co-financing rate,Lead partner,Project partners,Project website,Achievements"
)
ALPCLUSTERS = (
    'AlpClusters 2020,Alpine Space,2007–2013,31/08/2013,29/11/2014,"€376,352.00",64.6 %,'
    "Lead Agency (AT),Second Cluster (DE); Third Pôle (FR); Unknown Partner (IT),"
    "https://www.alpclusters.example.org/,About 150 stakeholders mapped."
)


@pytest.fixture
def partners():
    return {
        "lead": StakeholderFactory(name="Lead Agency", country="AT"),
        "second": StakeholderFactory(name="Second Cluster", country="DE"),
        "third": StakeholderFactory(name="Third Pôle", country="FR"),
    }


def _parse(*lines: str):
    return importing.parse("\n".join(lines).encode())


def test_a_record_is_read_with_the_databases_column_names(partners):
    result = _parse(HEADER, ALPCLUSTERS)
    assert result.is_valid and result.errors == []
    [row] = result.rows
    assert row.data == {
        "name": "AlpClusters 2020",
        "programme": "Alpine Space",
        "programme_period": "2007–2013",
        "start_date": date(2013, 8, 31),
        "end_date": date(2014, 11, 29),
        "budget_eur": Decimal("376352.00"),
        "eu_cofunding_percent": Decimal("64.6"),
        "website": "https://www.alpclusters.example.org/",
        "achievements": "About 150 stakeholders mapped.",
    }
    assert [(p.name, p.country, p.is_lead, p.stakeholder) for p in row.partners] == [
        ("Lead Agency", "AT", True, partners["lead"]),
        ("Second Cluster", "DE", False, partners["second"]),
        ("Third Pôle", "FR", False, partners["third"]),
        ("Unknown Partner", "IT", False, None),
    ]
    assert row.existing is None and result.created == 1


def test_the_dry_run_writes_nothing_and_the_import_writes_everything(partners):
    result = _parse(HEADER, ALPCLUSTERS)
    assert Initiative.objects.count() == 0
    [initiative] = importing.import_initiatives(result)
    assert initiative.slug == "alpclusters-2020"
    assert initiative.budget_eur == Decimal("376352.00")
    assert list(initiative.partners.values_list("name", "is_lead", "stakeholder", "position")) == [
        ("Lead Agency", True, partners["lead"].pk, 0),
        ("Second Cluster", False, partners["second"].pk, 1),
        ("Third Pôle", False, partners["third"].pk, 2),
        ("Unknown Partner", False, None, 3),
    ]


def test_importing_the_same_file_again_changes_nothing(partners):
    importing.import_initiatives(_parse(HEADER, ALPCLUSTERS))
    before = list(InitiativePartner.objects.values_list("pk", "name"))
    stamp = Initiative.objects.get().updated_at
    result = _parse(HEADER, ALPCLUSTERS)
    assert result.rows[0].existing is not None and result.updated == 1
    importing.import_initiatives(result)
    assert list(InitiativePartner.objects.values_list("pk", "name")) == before
    assert Initiative.objects.get().updated_at == stamp


def test_a_changed_record_updates_its_initiative_and_partners(partners):
    importing.import_initiatives(_parse(HEADER, ALPCLUSTERS))
    changed = ALPCLUSTERS.replace("64.6 %", "70 %").replace("; Unknown Partner (IT)", "")
    importing.import_initiatives(_parse(HEADER, changed))
    initiative = Initiative.objects.get()
    assert initiative.eu_cofunding_percent == Decimal("70")
    assert initiative.partners.count() == 3


@pytest.mark.parametrize(
    "value, expected",
    [
        ("€376,352.00", "376352.00"),
        ("376.352,00", "376352.00"),
        ("376 352", "376352"),
        ("376352", "376352"),
        ("1,5", "1.5"),
        ("EUR 1,180,400", "1180400"),
    ],
)
def test_amounts_are_read_as_spreadsheets_write_them(value, expected):
    assert importing._amount(value) == expected


def test_each_row_reports_its_own_errors_and_nothing_is_imported(partners):
    result = _parse(
        "name,programme,start_date,end_date,budget_eur,eu_cofunding_percent,lead_partner,partners",
        "Good One,Alpine Space,2010-01-01,2011-01-01,100,50,,",
        "Backwards,Alpine Space,2012-01-01,2011-01-01,,,,",
        "Bad Date,Alpine Space,2012-13-01,2013-01-01,,,,",
        "Too Much,Alpine Space,2012-01-01,2013-01-01,,120,,",
        ",Alpine Space,2012-01-01,2013-01-01,,,,",
        "Good One,alpine space,2010-01-01,2011-01-01,,,,",
        "Negative,Alpine Space,2010-01-01,2011-01-01,-5,,,",
    )
    assert not result.is_valid
    errors = {row.number: row.errors for row in result.rows}
    assert errors[2] == []
    assert errors[3] == ["An initiative cannot end before it starts."]
    assert errors[4] == ["start_date: Enter a date as 2013-08-31, 31/08/2013 or 31.08.2013."]
    assert errors[5] == ["eu_cofunding_percent: Ensure this value is less than or equal to 100."]
    assert errors[6] == ["name: This field is required."]
    assert errors[7] == ["Row 2 has the same name and programme."]
    assert errors[8] == ["budget_eur: Ensure this value is greater than or equal to 0."]
    with pytest.raises(ValueError):
        importing.import_initiatives(result)
    assert Initiative.objects.count() == 0


def test_an_ambiguous_partner_must_name_its_country():
    StakeholderFactory(name="Twin Cluster", country="AT")
    StakeholderFactory(name="Twin Cluster", country="IT", slug="twin-cluster-it")
    header = "name,programme,start_date,end_date,partners"
    result = _parse(header, "P,Alpine Space,2010-01-01,2011-01-01,Twin Cluster")
    assert result.rows[0].errors == [
        "Partner “Twin Cluster” matches 2 stakeholders of the registry: add its country, "
        "e.g. “Twin Cluster (AT)”."
    ]
    result = _parse(header, "P,Alpine Space,2010-01-01,2011-01-01,Twin Cluster (IT)")
    assert result.is_valid and result.rows[0].partners[0].stakeholder.country == "IT"


def test_the_lead_repeated_among_the_partners_is_kept_once(partners):
    header = "name,programme,start_date,end_date,lead_partner,partners"
    result = _parse(header, "P,Alpine Space,2010-01-01,2011-01-01,Lead Agency,Lead Agency; X")
    assert [(p.name, p.is_lead) for p in result.rows[0].partners] == [
        ("Lead Agency", True),
        ("X", False),
    ]


def test_file_level_errors():
    assert importing.parse(b"").errors == ["The file is empty."]
    assert importing.parse(b"name,programme\nX,Y").errors == [
        "These columns are missing: start_date, end_date. The first line must name the columns."
    ]
    assert "not UTF-8" in importing.parse("name\n\xe9".encode("latin-1")).errors[0]


# --- In the admin -----------------------------------------------------------------------------


def _upload(client, content: str):
    data = SimpleUploadedFile("initiatives.csv", content.encode(), "text/csv")
    return client.post(reverse("admin:impact_initiative_import"), {"file": data})


def test_admin_preview_then_confirm_imports_all(admin_client, partners):
    response = _upload(admin_client, f"{HEADER}\n{ALPCLUSTERS}\n")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Initiatives to create: 1; to update: 0." in html
    assert "not in the registry (kept by name)" in html
    assert Initiative.objects.count() == 0
    response = admin_client.post(
        reverse("admin:impact_initiative_import"),
        {"confirm": "1", "token": response.context["token"]},
    )
    assert response.status_code == 302
    assert Initiative.objects.get().partners.count() == 4


def test_admin_import_with_errors_imports_nothing(admin_client):
    response = _upload(
        admin_client, "name,programme,start_date,end_date\nX,Y,2012-01-01,2001-01-01"
    )
    html = response.content.decode()
    assert "Row 2: An initiative cannot end before it starts." in html
    assert 'name="confirm"' not in html
    response = admin_client.post(
        reverse("admin:impact_initiative_import"), {"confirm": "1", "token": "forged"}
    )
    assert response.status_code == 302 and Initiative.objects.count() == 0


def test_admin_change_form_saves_partners_and_the_changelist_counts_them(admin_client):
    initiative = InitiativeFactory()
    stakeholder = StakeholderFactory()
    url = reverse("admin:impact_initiative_change", args=[initiative.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "name": initiative.name,
        "slug": initiative.slug,
        "programme": "Alpine Space",
        "programme_period": "2014–2020",
        "start_date": "2015-01-01",
        "end_date": "2016-01-01",
        "budget_eur": "",
        "eu_cofunding_percent": "",
        "website": "",
        "achievements": "",
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "0",
        "partners-0-position": "0",
        "partners-0-name": "Someone",
        "partners-0-country": "AT",
        "partners-0-is_lead": "on",
        "partners-0-stakeholder": str(stakeholder.pk),
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    initiative.refresh_from_db()
    assert initiative.programme_period == "2014–2020"
    assert initiative.partners.get().stakeholder == stakeholder
    html = admin_client.get(reverse("admin:impact_initiative_changelist")).content.decode()
    assert "Alpine Space 2014–2020" in html
