import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from impact import reporting
from impact.selectors import Period, compute_figures
from stakeholders.models import Country, Stakeholder
from stakeholders.tests.factories import UserFactory
from testing.cache import clear_own_cache

pytestmark = pytest.mark.django_db

PAGE = "/impact/"
KINDS = dict(Stakeholder.Kind.choices)
COUNTRIES = dict(Country.choices)
# The hand-counted cells of the world (conftest.py): mapped, involved, participations, AlpCafés
# held, ideas, proposals, endorsements.
CELLS = {
    ("AT", "cluster"): [1, 1, 3, 2, 0, 2, 2],
    ("AT", "sme"): [1, 1, 2, 2, 1, 0, 0],
    ("IT", "sme"): [1, 1, 1, 1, 0, 1, 1],
    ("IT", "research"): [1, 0, 0, 0, 0, 0, 0],
    ("FR", "cluster"): [1, 1, 1, 1, 0, 0, 0],
}
UNASSIGNED = ["", "No mapped organisation", "", "", 0, 0, 2, 1, 1, 0, 0]
TOTAL = ["", "Total", "", "", 5, 4, 9, 3, 2, 2, 3]


#: The partnership columns (opportunities, interests, meetings, cross-border pairs): the world has
#: none; partnerships/tests/test_impact.py counts them.
NO_PARTNERSHIPS = [0, 0, 0, 0]


def _expected_rows(cells=CELLS, unassigned=UNASSIGNED, total=TOTAL):
    rows = []
    for country, country_name in Country.choices:
        for kind, kind_name in Stakeholder.Kind.choices:
            values = cells.get((country, kind), [0] * 7)
            rows.append(
                [country, str(country_name), kind, str(kind_name), *values, *NO_PARTNERSHIPS]
            )
    return [*rows, [*unassigned, *NO_PARTNERSHIPS], [*total, *NO_PARTNERSHIPS]]


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _as_text(rows):
    return [["" if v is None else str(v) for v in row] for row in rows]


# --- The page ---------------------------------------------------------------------------------


def test_page_shows_the_headline_and_every_figure(client, world):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "5 stakeholders have been mapped in the area, and 4 of them have been directly involved "
        "in the 3 AlpCafés already organised." in html
    )
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert figures["Stakeholders mapped"] == "5"
    assert figures["Stakeholders involved"] == "4"
    assert figures["Involvement rate"] == "80.0 %"
    assert figures["AlpCafés held"] == "3"
    assert figures["Participations"] == "9"
    assert figures["Countries reached"] == "3 <small>of 3</small>"
    assert figures["Sectors reached"] == "2 <small>of 2</small>"
    assert (figures["Ideas"], figures["Policy proposals"], figures["Endorsements"]) == (
        "2",
        "2",
        "3",
    )


def test_page_draws_each_chart_as_svg_beside_its_table_and_csv(client, world):
    html = client.get(PAGE).content.decode()
    for chart in ("chart-countries", "chart-kinds", "chart-sectors", "chart-growth"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
    assert html.count('role="img"') == 4
    for table in ("countries", "kinds", "sectors", "growth", "coverage", "initiatives"):
        assert f'id="{table}-table"' in html
        assert reverse("impact:data", args=[table]) in html
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "{#" not in html and "{%" not in html and "{{" not in html


def test_the_headline_has_the_right_plurals():
    figures = compute_figures(Period())
    figures.totals.mapped, figures.totals.involved, figures.totals.alpcafes_held = 1, 1, 1
    assert reporting.headline(figures) == (
        "1 stakeholder has been mapped in the area, and 1 of them has been directly involved in "
        "the 1 AlpCafé already organised."
    )
    figures.totals.alpcafes_held = 0
    assert reporting.headline(figures) == (
        "1 stakeholder has been mapped in the area; no AlpCafé has been held yet."
    )
    figures.totals.mapped, figures.totals.involved, figures.totals.alpcafes_held = 100150, 81, 5
    assert reporting.headline(figures).startswith("100,150 stakeholders have been mapped")


@pytest.mark.parametrize("language", ["de", "fr", "it", "sl"])
def test_the_headline_is_translated_with_numbers_in_the_language(world, language):
    figures = compute_figures(Period())
    figures.totals.mapped = 100150
    with translation.override(language):
        translated = reporting.headline(figures)
    assert "stakeholders have been mapped" not in translated
    assert "AlpCaf" in translated and " 4 " in translated and " 3 " in translated
    # Grouped as the language groups thousands (a dot in German and Italian, a space in French).
    assert re.search(r"100\D150", translated) and "100,150" not in translated


def test_coverage_marks_the_gaps_and_links_to_the_directory(client, world):
    html = client.get(PAGE).content.decode()
    table = html.split('id="coverage-table"', 1)[1].split("</table>", 1)[0]
    # IT research: 0 of 1 involved, far below 80 % overall: a gap of one.
    assert 'href="/stakeholders/?country=IT&amp;kind=research"' in table
    assert "gap: +1" in table
    assert table.count("cell-under") == 1
    assert "/alpcafes/new/" not in table  # visitors do not plan AlpCafés


def test_organisers_are_led_from_a_gap_to_a_new_alpcafes_invitations(client, world, organiser):
    client.force_login(organiser)
    html = client.get(PAGE).content.decode()
    plan = "/alpcafes/new/?country=IT&amp;kind=research&amp;involved=no"
    assert plan in html
    assert "plan" in html.split(plan, 1)[1][:20]


def test_the_cached_body_is_per_role_and_language(client, world, organiser):
    plan = "/alpcafes/new/?country=IT&amp;kind=research&amp;involved=no"
    assert plan not in client.get(PAGE).content.decode()
    client.force_login(organiser)
    assert plan in client.get(PAGE).content.decode()
    client.cookies["django_language"] = "de"
    html = client.get(PAGE).content.decode()
    assert plan in html and 'lang="de"' in html and "Österreich" in html
    client.logout()
    client.cookies["django_language"] = "en"
    assert plan not in client.get(PAGE).content.decode()


def test_the_period_filters_the_figures_and_the_downloads(client, world):
    html = client.get(PAGE, {"from": "2025-03-01", "to": "2025-04-30"}).content.decode()
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert (figures["Stakeholders involved"], figures["AlpCafés held"]) == ("1", "1")
    assert "from=2025-03-01&to=2025-04-30" in html.replace("&amp;", "&")
    # The project's sentence stays about everything it achieved.
    assert "4 of them have been directly involved in the 3 AlpCafés" in html


@pytest.mark.parametrize(
    "query, message",
    [
        ({"from": "yesterday"}, "Enter a date as year-month-day"),
        ({"from": "1999-12-31"}, "Choose a year between 2000 and 2100."),
        ({"to": "2101-01-01"}, "Choose a year between 2000 and 2100."),
        ({"from": "2025-05-01", "to": "2025-04-01"}, "The period must start before it ends."),
        ({"from": "2025-02-30"}, "Enter a date as year-month-day"),
        ({"from": "99999-01-01"}, "Enter a date as year-month-day"),
    ],
)
def test_a_bad_period_is_explained_and_the_whole_history_shown(client, world, query, message):
    response = client.get(PAGE, query)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "The figures below cover the whole history." in html
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert figures["AlpCafés held"] == "3"
    export = client.get(reverse("impact:export_csv"), query)
    assert export.status_code == 400 and message in export.content.decode()


def test_the_page_is_cached_and_stale_at_once_when_an_alpcafe_is_held(
    client, world, django_capture_on_commit_callbacks
):
    from alpcafes import services
    from alpcafes.models import AlpCafe

    client.get(PAGE)
    assert client.get(PAGE)["X-Page-Cache"] == "hit"
    k5 = AlpCafe.objects.get(slug="k5-coming")
    AlpCafe.objects.filter(pk=k5.pk).update(
        starts_at=k5.starts_at.replace(year=2025), ends_at=k5.ends_at.replace(year=2025)
    )
    k5.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.alpcafe_mark_held(alpcafe=k5)
    response = client.get(PAGE)
    assert "X-Page-Cache" not in response
    assert "in the 4 AlpCafés already organised" in response.content.decode()


@pytest.mark.parametrize("write", ["check_in", "cancel", "idea", "endorse", "initiative"])
def test_every_write_that_changes_a_figure_makes_it_stale_at_once(
    world, write, django_capture_on_commit_callbacks
):
    from impact.selectors import impact_figures

    before = impact_figures().totals
    with django_capture_on_commit_callbacks(execute=True):
        _write(world, write)
    after = impact_figures().totals
    changed = {name for name in vars(before) if getattr(before, name) != getattr(after, name)}
    assert changed or write == "initiative", write
    if write == "initiative":
        assert impact_figures().initiatives[0].partners == 5


def _write(world, write):
    from alpcafes import services as alpcafes
    from blog import services as blog
    from blog.models import Post
    from impact import services as impact

    if write == "check_in":
        participation = world.d1.participations.get(alpcafe=world.k1)
        alpcafes.participation_check_in(participation=participation)
    elif write == "cancel":
        k2 = world.k2
        k2.state = "scheduled"
        k2.save()
        alpcafes.alpcafe_cancel(alpcafe=k2)
    elif write == "idea":
        pending = Post.objects.get(state=Post.State.PENDING)
        blog.post_approve(post=pending)
    elif write == "endorse":
        user = UserFactory()
        contact = world.d1
        contact.user = user
        contact.save()
        blog.endorsement_create(proposal=world.p1, user=user)
    else:
        partners = [
            impact.PartnerData(p.name, p.country, p.is_lead, p.stakeholder)
            for p in world.initiative.partners.all()
        ]
        impact.initiative_set_partners(
            initiative=world.initiative, partners=[*partners, impact.PartnerData("New Org")]
        )


def test_page_query_count_is_pinned_and_does_not_grow(
    client, world, many_stakeholders, django_assert_num_queries
):
    many_stakeholders(10, prefix="Small")
    # The figures (16 aggregate queries, four of them the partnerships'), the project's facts for
    # the footer (its initiative).
    with django_assert_num_queries(17):
        assert client.get(PAGE).status_code == 200
    with django_assert_num_queries(0):  # the page cache
        assert client.get(PAGE)["X-Page-Cache"] == "hit"
    many_stakeholders(1000, prefix="Large")
    clear_own_cache()
    with django_assert_num_queries(17):
        client.get(PAGE)
    member = UserFactory()
    client.force_login(member)
    client.get(PAGE)
    # Members get no page cache, but the cached figures: the session's user with its groups.
    with django_assert_num_queries(1):
        client.get(PAGE)


# --- Downloads --------------------------------------------------------------------------------


def test_indicator_csv_holds_every_country_and_kind_and_the_totals(client, world):
    response = client.get(reverse("impact:export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="alpclusters-indicators.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == reporting.INDICATOR_KEYS
    assert rows[1:] == _as_text(_expected_rows())
    assert len(rows) == 1 + 56 + 2


def test_indicator_csv_for_a_period(client, world):
    response = client.get(reverse("impact:export_csv"), {"from": "2025-03-01", "to": "2025-04-30"})
    assert (
        'filename="alpclusters-indicators-from-2025-03-01-to-2025-04-30.csv"'
        in (response["Content-Disposition"])
    )
    cells = {
        ("AT", "cluster"): [1, 0, 0, 0, 0, 1, 1],
        ("AT", "sme"): [1, 0, 0, 0, 1, 0, 0],
        ("IT", "sme"): [1, 0, 0, 0, 0, 1, 1],
        ("IT", "research"): [1, 0, 0, 0, 0, 0, 0],
        ("FR", "cluster"): [1, 1, 1, 1, 0, 0, 0],
    }
    unassigned = ["", "No mapped organisation", "", "", 0, 0, 0, 0, 0, 0, 0]
    total = ["", "Total", "", "", 5, 1, 1, 1, 1, 1, 2]
    assert _csv(response)[1:] == _as_text(_expected_rows(cells, unassigned, total))


def test_indicator_spreadsheet_holds_the_same_figures_as_numbers(client, world):
    response = client.get(reverse("impact:export_xlsx"))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Indicators", "About these figures"]
    sheet = workbook["Indicators"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == reporting.INDICATOR_KEYS
    assert rows[1][:5] == ["Country code", "Country", "Kind code", "Kind", "Stakeholders mapped"]
    expected = [[value if value != "" else None for value in row] for row in _expected_rows()]
    assert rows[2:] == expected
    assert all(isinstance(v, int) for row in rows[2:] for v in row[4:])
    about = list(workbook["About these figures"].iter_rows(values_only=True))
    assert about[1] == ("Period", "The whole history of the portal")
    assert about[5][:1] == ("Stakeholders involved",)
    for sheet in workbook:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_each_chart_has_its_data_as_csv(client, world):
    countries = _csv(client.get(reverse("impact:data", args=["countries"])))
    assert countries[0] == ["country", "country_name", "mapped", "involved", "involved_percent"]
    assert ["AT", "Austria", "2", "2", "100.0"] in countries
    assert ["LI", "Liechtenstein", "0", "0", ""] in countries
    growth = _csv(client.get(reverse("impact:data", args=["growth"]), {"to": "2025-06-30"}))
    assert growth[:3] == [
        ["month", "mapped", "involved", "alpcafes_held", "alpcafes_held_in_month"],
        ["2025-01-01", "2", "0", "0", "0"],
        ["2025-02-01", "4", "3", "1", "1"],
    ]
    links = _csv(client.get(reverse("impact:data", args=["country-links"])))
    assert links == [
        ["country_a", "country_b", "alpcafes", "stakeholder_pairs"],
        ["AT", "AT", "2", "1"],
        ["AT", "IT", "1", "2"],
    ]
    sectors = _csv(client.get(reverse("impact:data", args=["sector-links"])))
    assert sectors[1:] == [
        ["ict", "ict", "1", "1"],
        ["ict", "wood", "2", "3"],
        ["wood", "wood", "1", "1"],
    ]
    coverage = _csv(client.get(reverse("impact:data", args=["coverage"])))
    assert ["research", "IT", "1", "0", "0.0", "yes"] in coverage
    initiatives = _csv(client.get(reverse("impact:data", args=["initiatives"])))
    assert initiatives[1] == [
        "Alpine Bridges",
        "Alpine Space 2007–2013",
        "2010-01-01",
        "2012-12-31",
        "4",
        "2",
        "1",
    ]
    assert client.get(reverse("impact:data", args=["nothing"])).status_code == 404


def test_downloads_never_start_a_formula(client, world):
    world.initiative.name = '=HYPERLINK("http://evil.example")'
    world.initiative.save()
    rows = _csv(client.get(reverse("impact:data", args=["initiatives"])))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'


def test_no_person_appears_on_the_page_or_in_any_download(client, world, organiser):
    from stakeholders.models import Contact

    secrets = []
    for contact in Contact.objects.all():
        secrets += [contact.email, contact.phone, contact.last_name and contact.full_name]
    secrets = [s for s in secrets if s]
    bodies = [client.get(PAGE).content.decode()]
    bodies += [_csv_text(client.get(reverse("impact:export_csv")))]
    for name in reporting.DATA_TABLES:
        bodies.append(_csv_text(client.get(reverse("impact:data", args=[name]))))
    workbook = load_workbook(io.BytesIO(client.get(reverse("impact:export_xlsx")).content))
    bodies.append(
        " ".join(
            str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row
        )
    )
    client.force_login(organiser)
    bodies.append(client.get(PAGE).content.decode())
    for body in bodies:
        for secret in secrets:
            assert secret not in body
        assert "@" not in body.split("<footer", 1)[0].replace("@media", "")


def _csv_text(response):
    return response.content.decode("utf-8-sig")


# --- Other pages ------------------------------------------------------------------------------


def test_a_stakeholders_page_lists_its_earlier_initiatives(client, world):
    html = client.get(world.a.get_absolute_url()).content.decode()
    assert "Earlier initiatives" in html
    assert "Alpine Bridges" in html and "lead partner" in html
    assert "Earlier initiatives" not in client.get(world.b.get_absolute_url()).content.decode()


def test_the_menu_leads_to_the_impact_page(client, db):
    html = client.get("/").content.decode()
    assert f'href="{PAGE}">Impact</a>' in html
