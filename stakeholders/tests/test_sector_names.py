"""Sectors (and the blog's topics) are named in the reader's language wherever pages show them;
exports keep the English name, and the search finds a sector by any of its names."""

import pytest
from django.urls import reverse

from blog.tests.factories import PostFactory
from common.versions import data_changed
from impact.selectors import impact_figures
from stakeholders.tests.factories import SectorFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

GERMAN = "Holz & Holzbau"


@pytest.fixture
def wood():
    sector = SectorFactory(
        name="Wood & Timber",
        slug="wood-timber",
        name_de=GERMAN,
        name_fr="Bois & construction bois",
        name_it="Legno & costruzioni in legno",
        name_sl="Les in lesarstvo",
    )
    stakeholder = StakeholderFactory(name="Tischlerei Alpina", country="AT", sectors=[sector])
    post = PostFactory(title="Timber news", topics=[sector])
    data_changed("registry")
    data_changed("blog")
    return sector, stakeholder, post


def _get(client, url, language, **params):
    client.cookies["django_language"] = language
    return client.get(url, params).content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Holz &amp; Holzbau"),
        ("fr", "Bois &amp; construction bois"),
        ("en", "Wood &amp; Timber"),
    ],
)
def test_pages_name_the_sector_in_the_readers_language(client, wood, language, expected):
    _sector, stakeholder, post = wood
    directory = _get(client, reverse("stakeholders:directory"), language)
    assert expected in directory  # the card and the filter's option
    assert f'<option value="wood-timber">{expected} (1)</option>' in directory
    assert expected in _get(client, stakeholder.get_absolute_url(), language)
    assert expected in _get(client, post.get_absolute_url(), language)
    assert expected in _get(client, reverse("blog:list"), language, topic="wood-timber")
    assert expected in _get(client, reverse("impact:page"), language)


def test_a_sector_without_a_translation_keeps_its_english_name(client, wood):
    SectorFactory(name="Space & Aerospace", slug="space-aerospace")
    data_changed("registry")
    assert "Space &amp; Aerospace" in _get(client, reverse("stakeholders:directory"), "sl")


def test_exports_keep_the_english_name(client, wood):
    client.cookies["django_language"] = "de"
    response = client.get(reverse("stakeholders:export_csv"))
    csv = b"".join(response.streaming_content).decode()
    assert "Wood & Timber" in csv and GERMAN not in csv


def test_the_search_finds_a_sector_by_its_name_in_any_language(client, wood):
    html = _get(client, reverse("stakeholders:directory"), "de", q="Holzbau")
    assert "Tischlerei Alpina" in html


def test_impact_figures_hold_every_name_and_show_the_readers(wood, settings):
    from django.utils import translation

    figures = impact_figures()
    (sector,) = [s for s in figures.sectors if s.slug == "wood-timber"]
    with translation.override("it"):
        assert sector.name == "Legno & costruzioni in legno"
    with translation.override("en"):
        assert sector.name == "Wood & Timber"
