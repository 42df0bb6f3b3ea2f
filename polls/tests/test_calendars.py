"""Holidays by country and region for known dates, the registry's regions mapped to the library's
subdivisions, and times written with the right zone abbreviation in each language."""

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from polls.calendars import (
    Place,
    candidate_holidays,
    holidays_on,
    local_days,
    moment_text,
    place_for,
    subdivision_for,
    when_text,
    zone_abbreviation,
)
from stakeholders.demo import PLACES

ROME = ZoneInfo("Europe/Rome")


@pytest.fixture(autouse=True)
def _in_english():
    """English unless a test says otherwise, whatever language an earlier test's request left
    active in this thread."""
    with translation.override("en"):
        yield


def names(place, day, language="en"):
    return [name for name, _partial in holidays_on(place, [day], language)]


# --- Known dates -----------------------------------------------------------------------------

CORPUS_CHRISTI_2026 = date(2026, 6, 4)
ASSUMPTION_2026 = date(2026, 8, 15)
WHIT_MONDAY_2026 = date(2026, 5, 25)
SAINT_AMBROSE_2026 = date(2026, 12, 7)
SAINT_JOSEPH_2026 = date(2026, 3, 19)


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        (Place("DE", "BY"), ["Corpus Christi"]),
        (Place("DE", "BW"), ["Corpus Christi"]),
        (Place("DE"), []),  # not in Berlin, say: the Länder differ
        (Place("AT", "7"), ["Corpus Christi"]),
        (Place("CH", "TI"), ["Corpus Christi"]),
        (Place("CH", "VS"), ["Corpus Christi"]),
        (Place("CH", "BE"), []),  # a Protestant canton
        (Place("IT", "MI"), []),
        (Place("FR"), []),
        (Place("LI"), ["Corpus Christi"]),
        (Place("SI"), []),
    ],
)
def test_corpus_christi_is_a_holiday_in_catholic_regions_only(place, expected):
    assert names(place, CORPUS_CHRISTI_2026) == expected


def test_bavaria_is_not_baden_wurttemberg_on_assumption_day():
    # Assumption Day is a holiday in Bavaria's catholic communities (most of Alpine Bavaria),
    # never in Baden-Württemberg: shown for Bavaria, marked as in part of the region only.
    assert holidays_on(Place("DE", "BY"), [ASSUMPTION_2026], "en") == [("Assumption Day", True)]
    assert holidays_on(Place("DE", "BW"), [ASSUMPTION_2026], "en") == []
    assert holidays_on(Place("AT", "7"), [ASSUMPTION_2026], "en") == [("Assumption Day", False)]
    assert names(Place("CH", "BE"), ASSUMPTION_2026) == []
    assert names(Place("CH", "TI"), ASSUMPTION_2026) == ["Assumption Day"]
    assert names(Place("LI"), ASSUMPTION_2026) == ["National Day"]


def test_whit_monday_in_south_tyrol_but_not_in_the_rest_of_italy():
    assert names(Place("IT", "BZ"), WHIT_MONDAY_2026) == ["Pentecost Monday"]
    assert names(Place("IT", "MI"), WHIT_MONDAY_2026) == []
    assert names(Place("IT"), WHIT_MONDAY_2026) == []
    assert names(Place("CH", "GR"), WHIT_MONDAY_2026) == ["Pentecost Monday"]
    assert names(Place("CH", "VS"), WHIT_MONDAY_2026) == []
    assert names(Place("SI"), WHIT_MONDAY_2026) == []


def test_patron_saints_of_italian_provincial_capitals_and_swiss_cantons():
    assert names(Place("IT", "MI"), SAINT_AMBROSE_2026) == ["Saint Ambrose's Day"]
    assert names(Place("IT", "BG"), SAINT_AMBROSE_2026) == []
    assert names(Place("CH", "TI"), SAINT_JOSEPH_2026) == ["Saint Joseph's Day"]
    assert names(Place("CH", "BE"), SAINT_JOSEPH_2026) == []
    assert names(Place("LI"), SAINT_JOSEPH_2026) == ["Saint Joseph's Day"]


def test_holiday_names_in_the_readers_language_where_the_library_has_it():
    assert names(Place("DE", "BY"), CORPUS_CHRISTI_2026, "de") == ["Fronleichnam"]
    assert names(Place("CH", "TI"), SAINT_JOSEPH_2026, "it") == ["San Giuseppe"]
    assert names(Place("CH", "TI"), SAINT_JOSEPH_2026, "fr") == ["Saint-Joseph"]
    assert names(Place("IT", "BZ"), WHIT_MONDAY_2026, "it") == ["Lunedì di Pentecoste"]
    assert names(Place("SI"), date(2026, 6, 25), "sl") == ["dan državnosti"]
    # Austria's calendar has no French: English then.
    assert names(Place("AT", "7"), CORPUS_CHRISTI_2026, "fr") == ["Corpus Christi"]


def test_no_holidays_for_an_unknown_country_or_an_impossible_year():
    assert holidays_on(Place(""), [CORPUS_CHRISTI_2026]) == []
    assert holidays_on(Place("DE", "BY"), [date(1, 1, 1), date(9999, 12, 31)]) == []


# --- The registry's regions ------------------------------------------------------------------

#: Every region (and city) of the demo data, and the subdivision it maps to.
DEMO = {
    ("AT", "Tirol"): "7",
    ("AT", "Salzburg"): "5",
    ("AT", "Vorarlberg"): "8",
    ("AT", "Oberösterreich"): "4",
    ("AT", "Kärnten"): "2",
    ("AT", "Steiermark"): "6",
    ("CH", "Ticino"): "TI",
    ("CH", "Graubünden"): "GR",
    ("CH", "Valais"): "VS",
    ("CH", "Bern"): "BE",
    ("CH", "St. Gallen"): "SG",
    ("CH", "Vaud"): "VD",
    ("DE", "Bayern"): "BY",
    ("DE", "Baden-Württemberg"): "BW",
    ("FR", "Rhône-Alpes"): None,
    ("FR", "Provence-Alpes-Côte d'Azur"): None,
    ("FR", "Franche-Comté"): None,
    ("IT", "Südtirol"): "BZ",
    ("LI", "Oberland"): None,
    ("LI", "Unterland"): None,
    ("SI", "Gorenjska"): None,
    ("SI", "Osrednjeslovenska"): None,
    ("SI", "Savinjska"): None,
    ("SI", "Podravska"): None,
    ("SI", "Goriška"): None,
}
#: Italy: the provincial capitals (whose patron saint's day the library knows); elsewhere in
#: those regions, the national calendar.
DEMO_ITALIAN_CITIES = {
    "Milano": "MI",
    "Bergamo": "BG",
    "Sondrio": "SO",
    "Torino": "TO",
    "Cuneo": "CN",
    "Belluno": "BL",
    "Vicenza": "VI",
    "Trento": "TN",
    "Rovereto": None,
    "Bolzano": "BZ",
    "Bressanone": "BZ",
    "Brunico": "BZ",
    "Aosta": "AO",
    "Udine": "UD",
}


def test_every_region_and_city_of_the_demo_data_maps_as_documented():
    for country, region, city, *_rest in PLACES:
        if country == "IT":
            assert subdivision_for(country, region, city) == DEMO_ITALIAN_CITIES[city], city
        else:
            assert subdivision_for(country, region, city) == DEMO[(country, region)], region


@pytest.mark.parametrize(
    ("country", "region", "city", "expected"),
    [
        ("DE", "bayern", "", "BY"),
        ("DE", "BAVARIA", "", "BY"),
        ("DE", "Baden Wurttemberg", "", "BW"),
        ("DE", "BY", "", "BY"),
        ("DE", "Bayern", "Augsburg", "Augsburg"),
        ("CH", "Sankt Gallen", "", "SG"),
        ("CH", "St Gallen", "", "SG"),
        ("CH", "Graubunden", "", "GR"),
        ("CH", "Tessin", "", "TI"),
        ("CH", "Wallis", "", "VS"),
        ("AT", "Tyrol", "", "7"),
        ("AT", "Kaernten", "", None),  # no guessing
        ("IT", "Alto Adige", "Merano", "BZ"),
        ("IT", "Trentino", "Rovereto", None),
        ("IT", "Valle d'Aosta", "Courmayeur", None),
        ("IT", "Lombardia", "", None),
        ("FR", "Alsace", "Strasbourg", "6AE"),
        ("FR", "Grand Est", "Reims", None),
        ("DE", "Tirol", "", None),  # a region of another country
        ("XX", "Bayern", "", None),
        ("DE", "", "", None),
    ],
)
def test_region_names_map_only_when_they_name_one_subdivision(country, region, city, expected):
    assert subdivision_for(country, region, city) == expected


def test_places_and_their_labels():
    assert place_for("DE", "Bayern", "Kempten") == Place("DE", "BY")
    assert place_for(None) == Place("")
    assert Place("DE", "BY").label == "Germany · Bayern"
    assert Place("IT", "MI").label == "Italy · Milano"
    assert Place("").label == "Unknown"
    assert Place("DE").regions_unknown and not Place("DE", "BY").regions_unknown
    assert not Place("SI").regions_unknown  # no regional holidays there


def test_candidate_holidays_count_the_people_asked_per_country_and_region():
    places = Counter(
        {
            Place("DE", "BY"): 5,
            Place("DE", "BW"): 2,
            Place("AT", "7"): 3,
            Place("AT", "2"): 1,
            Place("FR"): 4,
            Place("CH", "BE"): 1,
            Place(""): 1,
        }
    )
    start = datetime(2026, 8, 15, 10, tzinfo=ROME)
    found = candidate_holidays(start, start.replace(hour=12), places, "en")
    assert found.asked == 17
    assert [(r.label, r.regions, r.names, r.people, r.partial) for r in found.rows] == [
        ("Austria", "Tirol 3, Kärnten 1", ("Assumption Day",), 4, False),
        ("France", "", ("Assumption Day",), 4, False),
        ("Germany", "Bayern 5", ("Assumption Day",), 5, True),
    ]
    assert found.people == 8 and found.people_maybe == 5
    # An ordinary Tuesday: nothing to warn about.
    tuesday = datetime(2026, 9, 8, 10, tzinfo=ROME)
    assert not candidate_holidays(tuesday, tuesday.replace(hour=12), places, "en")


def test_regions_with_other_holidays_are_rows_of_their_own():
    places = Counter({Place("CH", "TI"): 2, Place("CH", "BE"): 3, Place("CH", "VS"): 1})
    saint_joseph = datetime(2026, 3, 19, 10, tzinfo=ROME)
    found = candidate_holidays(saint_joseph, saint_joseph.replace(hour=12), places, "en")
    assert [(r.regions, r.people) for r in found.rows] == [("Ticino 2, Valais 1", 3)]
    whit_monday = datetime(2026, 5, 25, 10, tzinfo=ROME)
    places = Counter({Place("IT", "BZ"): 2, Place("IT", "MI"): 3, Place("DE", "BY"): 1})
    found = candidate_holidays(whit_monday, whit_monday.replace(hour=12), places, "en")
    assert [(r.label, r.regions, r.people) for r in found.rows] == [
        ("Italy", "Bolzano 2", 2),
        ("Germany", "Bayern 1", 1),
    ]


def test_places_with_and_without_a_region_sort_side_by_side():
    # A bug found by trying it: a national Place (no region) beside a regional one with as many
    # people could not be ordered.
    places = Counter({Place("DE", "BY"): 2, Place("DE"): 2, Place("AT"): 2, Place("DE", "BW"): 3})
    christmas = datetime(2026, 12, 25, 10, tzinfo=ROME)
    found = candidate_holidays(christmas, christmas.replace(hour=12), places, "en")
    assert [(r.label, r.regions, r.people) for r in found.rows] == [
        ("Germany", "Baden-Württemberg 3, Bayern 2, other regions 2", 7),
        ("Austria", "", 2),
    ]
    with translation.override("de"):
        assert found.rows[0].label == "Deutschland"
        assert found.rows[0].regions == "Baden-Württemberg 3, Bayern 2, übrige Regionen 2"


def test_a_candidate_past_midnight_touches_two_days():
    start = datetime(2026, 12, 24, 22, tzinfo=ROME)
    end = datetime(2026, 12, 25, 1, tzinfo=ROME)
    assert local_days(start, end, ROME) == [date(2026, 12, 24), date(2026, 12, 25)]
    assert local_days(start, start.replace(hour=23), ROME) == [date(2026, 12, 24)]
    found = candidate_holidays(start, end, Counter({Place("FR"): 2}), "en")
    assert found.rows[0].names == ("Christmas Day",)


# --- Times -----------------------------------------------------------------------------------

WINTER = datetime(2026, 12, 22, 10, tzinfo=ROME)
SUMMER = datetime(2027, 6, 22, 10, tzinfo=ROME)


def test_the_zone_abbreviation_follows_the_date():
    assert zone_abbreviation(WINTER) == ("CET", "Central European Time")
    assert zone_abbreviation(SUMMER) == ("CEST", "Central European Summer Time")


@pytest.mark.parametrize(
    ("language", "winter", "summer"),
    [
        (
            "en",
            "Tuesday 22 December 2026, 10:00–12:00 CET",
            "Tuesday 22 June 2027, 10:00–12:00 CEST",
        ),
        (
            "de",
            "Dienstag, 22. Dezember 2026, 10:00–12:00 MEZ",
            "Dienstag, 22. Juni 2027, 10:00–12:00 MESZ",
        ),
        ("fr", "mardi 22 décembre 2026, 10:00–12:00 HNEC", "mardi 22 juin 2027, 10:00–12:00 HAEC"),
        (
            "it",
            "martedì 22 dicembre 2026, 10:00–12:00 CET",
            "martedì 22 giugno 2027, 10:00–12:00 CEST",
        ),
        (
            "sl",
            "torek, 22. decembra 2026, 10:00–12:00 CET",
            "torek, 22. junija 2027, 10:00–12:00 CEST",
        ),
    ],
)
def test_candidates_in_each_language_with_the_zone_of_their_date(language, winter, summer):
    with translation.override(language):
        assert when_text(WINTER, WINTER.replace(hour=12), ROME) == winter
        assert when_text(SUMMER, SUMMER.replace(hour=12), ROME) == summer


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Tuesday 1 June 2027"),
        ("de", "Dienstag, 1. Juni 2027"),
        ("fr", "mardi 1er juin 2027"),
        ("it", "martedì 1° giugno 2027"),
        ("sl", "torek, 1. junija 2027"),
    ],
)
def test_the_first_of_the_month_as_each_language_writes_it(language, expected):
    first = datetime(2027, 6, 1, 10, tzinfo=ROME)
    with translation.override(language):
        assert when_text(first, first.replace(hour=12), ROME).startswith(expected + ", 10:00")


def test_times_are_written_in_the_readers_zone():
    # Same instant, another zone: the wall-clock time of that zone.
    lisbon = ZoneInfo("Europe/Lisbon")
    with translation.override("en"):
        assert when_text(WINTER, WINTER.replace(hour=12), lisbon).endswith("09:00–11:00 WET")
        assert moment_text(WINTER, ROME) == "Tuesday 22 December 2026, 10:00 CET"
