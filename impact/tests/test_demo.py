"""With the demo data, the impact page reads what the project reported: 150 stakeholders mapped,
81 of them involved, 5 AlpCafés held, and its 6 partners on the about page."""

import re

import pytest
from django.core.management import call_command
from django.utils.html import escape

from impact.models import Initiative
from impact.selectors import PROJECT_SLUG
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_impact_page_reads_the_projects_figures(client, demo):
    html = client.get("/impact/").content.decode()
    assert (
        "150 stakeholders have been mapped in the area, and 81 of them have been directly "
        "involved in the 5 AlpCafés already organised." in html
    )
    figures = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))
    assert figures["Stakeholders mapped"] == "150"
    assert figures["Stakeholders involved"] == "81"
    assert figures["AlpCafés held"] == "5"
    assert figures["Involvement rate"] == "54.0 %"
    assert "Earlier initiatives: 2, with 11 partners (10 of them in the registry)." in demo


def test_alpclusters_2020_is_in_the_catalogue_with_its_six_partners(demo):
    project = Initiative.objects.get(slug=PROJECT_SLUG)
    assert (project.programme_label, str(project.start_date), str(project.end_date)) == (
        "Alpine Space 2007–2013",
        "2013-08-31",
        "2014-11-29",
    )
    assert (str(project.budget_eur), str(project.eu_cofunding_percent)) == ("376352.00", "64.6")
    partners = project.partners.select_related("stakeholder")
    assert partners.count() == 6
    registry_partners = set(Stakeholder.objects.published().filter(is_partner=True))
    assert {p.stakeholder for p in partners} == registry_partners
    assert [p.name for p in partners if p.is_lead] == ["Alpenland Innovationsagentur Tirol"]


def test_about_names_the_partners_with_links_to_their_registry_pages(client, demo):
    html = client.get("/about/").content.decode()
    partners = html.split('id="project-partners"', 1)[1].split("</ul>", 1)[0]
    for stakeholder in Stakeholder.objects.filter(is_partner=True):
        link = f'<a href="{stakeholder.get_absolute_url()}">{escape(stakeholder.name)}</a>'
        assert link in partners
    assert "Alpine Space 2007–2013" in html and "€376,352.00" in html and "64.6 %" in html
    assert '<dd class="col-sm-8">6</dd>' in html


def test_seeding_again_changes_nothing_in_the_catalogue(demo):
    before = list(Initiative.objects.values_list("pk", "updated_at"))
    partners = list(Initiative.objects.values_list("partners__pk", flat=True))
    call_command("seed_demo", verbosity=0)
    assert list(Initiative.objects.values_list("pk", "updated_at")) == before
    assert list(Initiative.objects.values_list("partners__pk", flat=True)) == partners


def test_the_demo_registry_was_mapped_before_its_first_alpcafe(demo):
    from alpcafes.models import AlpCafe

    first = AlpCafe.objects.filter(state="held").order_by("starts_at").first()
    assert not Stakeholder.objects.published().filter(created_at__gte=first.starts_at).exists()
