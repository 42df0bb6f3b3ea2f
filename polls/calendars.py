"""Public holidays and time zones of the people asked in a poll.

Holidays come from the ``holidays`` library (national and regional calendars, maintained by its
project), never typed in by hand. A contact's region is the subdivision of that library their
stakeholder's region (or, for Italian provinces and a few cities, its city) names reliably;
otherwise the national calendar is used and the page says for how many people the regional
holidays are unknown.

Times: every country of the Alpine Space is on Central European Time today, but each person's
zone is still their country's, and each time is shown with the abbreviation that is right for its
date (CET in winter, CEST in summer), in the reader's language.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_library
from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.zones import zone_abbreviation
from stakeholders.models import Country

#: The time zone of each country of the registry.
ZONES = {
    "AT": "Europe/Vienna",
    "CH": "Europe/Zurich",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "IT": "Europe/Rome",
    "LI": "Europe/Vaduz",
    "SI": "Europe/Ljubljana",
}

#: Countries whose public holidays differ from one region to the next in the library (in its
#: "public" category): for people there without a known region, the page says so.
REGIONAL_COUNTRIES = {"CH", "DE", "IT"}

#: Further categories of the library that apply in part of a region only: shown, marked so.
PARTIAL_CATEGORIES = {"DE": ("catholic",)}  # Assumption Day in Bavaria's catholic communities

# Region names that name exactly one subdivision of the library, beyond the library's own names
# (which count too, except for Italy, whose library subdivisions are provinces named after their
# capitals: a patron saint's day there is the capital's). Keys are compared without accents,
# case, spaces or punctuation.
REGION_NAMES = {
    "AT": {
        "Carinthia": "2",
        "Carinzia": "2",
        "Koroška": "2",
        "Lower Austria": "3",
        "Upper Austria": "4",
        "Styria": "6",
        "Stiria": "6",
        "Tyrol": "7",
        "Tirolo": "7",
        "Vienna": "9",
        "Vienne": "9",
        "Dunaj": "9",
    },
    "CH": {
        "Tessin": "TI",
        "Grisons": "GR",
        "Wallis": "VS",
        "Vallese": "VS",
        "Waadt": "VD",
        "Saint-Gall": "SG",
        "San Gallo": "SG",
        "Geneva": "GE",
        "Genf": "GE",
        "Ginevra": "GE",
        "Lucerne": "LU",
        "Zurich": "ZH",
        "Fribourg": "FR",
    },
    "DE": {"Bavaria": "BY", "Bavière": "BY", "Baviera": "BY", "Bavarska": "BY"},
    "FR": {"Bas-Rhin": "6AE", "Haut-Rhin": "6AE", "Alsace-Moselle": "6AE"},
    # Whit Monday is a holiday in the whole province of Bolzano (South Tyrol); the other Alpine
    # regions of Italy span provinces with different patron saints' days.
    "IT": {
        "Südtirol": "BZ",
        "Alto Adige": "BZ",
        "South Tyrol": "BZ",
        "Tyrol du Sud": "BZ",
        "Južna Tirolska": "BZ",
        "Provincia di Bolzano": "BZ",
        "Provinz Bozen": "BZ",
    },
}

# Cities that are a subdivision of their own in the library.
CITY_NAMES = {
    "DE": {"Augsburg": "Augsburg"},
    "CH": {"Zürich": "Stadt Zurich", "Zurich": "Stadt Zurich", "Zurigo": "Stadt Zurich"},
    # Italian provincial capitals: the library's provinces carry the capital's patron saint's day.
    "IT": {"Bozen": "BZ", "Trient": "TN", "Aoste": "AO", "Turin": "TO", "Milan": "MI"},
}


def _key(text: str) -> str:
    """A name as compared: no accents, case, spaces or punctuation; "Sankt" is "St"."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c)
    ).casefold()
    plain = plain.replace("sankt", "st")
    return "".join(c for c in plain if c.isalnum())


@cache
def _holiday_class(country: str):
    return type(holidays_library.country_holidays(country))


@cache
def _region_table(country: str) -> dict[str, str]:
    cls = _holiday_class(country)
    table: dict[str, str] = {}
    if country != "IT":
        for code in cls.subdivisions:
            if code.isalpha() and len(code) >= 2:
                table[_key(code)] = code
        for alias, code in (getattr(cls, "subdivisions_aliases", None) or {}).items():
            if len(alias) >= 3:
                table[_key(alias)] = code
    for name, code in REGION_NAMES.get(country, {}).items():
        table[_key(name)] = code
    return table


@cache
def _city_table(country: str) -> dict[str, str]:
    table: dict[str, str] = {}
    if country == "IT":
        cls = _holiday_class(country)
        for alias, code in (getattr(cls, "subdivisions_aliases", None) or {}).items():
            table[_key(alias)] = code
        for code in cls.subdivisions:
            if not code.isupper():  # the cities that are subdivisions of their own
                table[_key(code)] = code
    for name, code in CITY_NAMES.get(country, {}).items():
        table[_key(name)] = code
    return table


def subdivision_for(country: str, region: str = "", city: str = "") -> str | None:
    """The library's subdivision code for a stakeholder's region (or city), or None when it does
    not name one reliably (the national calendar then applies)."""
    if country not in ZONES:
        return None
    return _city_table(country).get(_key(city)) or _region_table(country).get(_key(region))


@cache
def subdivision_name(country: str, code: str) -> str:
    """A readable name of a subdivision: the library's first full name for it."""
    cls = _holiday_class(country)
    for alias, alias_code in (getattr(cls, "subdivisions_aliases", None) or {}).items():
        if alias_code == code and len(alias) >= 4 and not alias.isupper():
            return alias
    return code


def zone_for(country: str | None) -> ZoneInfo:
    return ZoneInfo(ZONES.get(country or "", settings.TIME_ZONE))


# --- Places and their holidays -------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where people asked live, as far as holidays go: a country and perhaps a subdivision."""

    country: str
    subdivision: str | None = None

    @property
    def label(self) -> str:
        country = str(Country(self.country).label) if self.country in ZONES else str(_("Unknown"))
        if self.subdivision:
            return f"{country} · {subdivision_name(self.country, self.subdivision)}"
        return country

    @property
    def regions_unknown(self) -> bool:
        """Only the national calendar is known for people here, though regions differ."""
        return self.subdivision is None and self.country in REGIONAL_COUNTRIES


def place_for(country: str | None, region: str = "", city: str = "") -> Place:
    country = country if country in ZONES else ""
    return Place(country, subdivision_for(country, region, city) if country else None)


def _library_language(country: str, language: str) -> str | None:
    supported = _holiday_class(country).supported_languages
    for code in (language, f"{language}_{language.upper()}", "en_US"):
        if code in supported:
            return code
    return None


@lru_cache(maxsize=1024)
def _holidays_of_year(
    country: str, subdivision: str | None, year: int, language: str | None
) -> dict[date, tuple[tuple[str, bool], ...]]:
    """{day: ((name, in part of the region only), …)} of one place and year."""

    def calendar(categories):
        return holidays_library.country_holidays(
            country, subdiv=subdivision, years=year, language=language, categories=categories
        )

    public = calendar(("public",))
    days: dict[date, list[tuple[str, bool]]] = {
        day: [(name, False) for name in public.get_list(day)] for day in public
    }
    partial_categories = PARTIAL_CATEGORIES.get(country)
    if partial_categories:
        partial = calendar(partial_categories)
        for day in partial:
            for name in partial.get_list(day):
                if (name, False) not in days.get(day, []):
                    days.setdefault(day, []).append((name, True))
    return {day: tuple(names) for day, names in days.items()}


def holidays_on(
    place: Place, days: list[date], language: str | None = None
) -> list[tuple[str, bool]]:
    """The public holidays at ``place`` on any of ``days``: [(name, in part of the region only)],
    named in ``language`` (the active one) where the library knows it, else in English."""
    if not place.country:
        return []
    lang = _library_language(place.country, language or translation.get_language() or "en")
    found: list[tuple[str, bool]] = []
    for day in days:
        if not 1 < day.year < 9999:
            continue
        for entry in _holidays_of_year(place.country, place.subdivision, day.year, lang).get(
            day, ()
        ):
            if entry not in found:
                found.append(entry)
    return found


def local_days(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> list[date]:
    """The calendar days a candidate touches in ``zone`` (one, unless it runs past midnight)."""
    first = timezone.localtime(starts_at, zone).date()
    last = timezone.localtime(ends_at - timedelta(microseconds=1), zone).date()
    days, day = [], first
    while day <= last and len(days) < 7:
        days.append(day)
        day += timedelta(days=1)
    return days


@dataclass
class PlaceHolidays:
    """The people of one country who have the same holidays on a candidate, by region."""

    country: str
    names: tuple[str, ...]
    partial: bool  # every holiday here applies in part of the region only
    places: list[tuple[Place, int]] = field(default_factory=list)

    @property
    def people(self) -> int:
        return sum(n for _place, n in self.places)

    @property
    def label(self) -> str:
        return Place(self.country).label

    @property
    def regions(self) -> str:
        """ "Bayern 3, Baden-Württemberg 1" (or "" when only the national calendar was used)."""
        if all(place.subdivision is None for place, _n in self.places):
            return ""
        elsewhere = str(_("other regions"))
        names = [
            subdivision_name(place.country, place.subdivision) if place.subdivision else elsewhere
            for place, _n in self.places
        ]
        return ", ".join(
            f"{name} {n}" for name, (_place, n) in zip(names, self.places, strict=True)
        )


@dataclass
class CandidateHolidays:
    """The holidays on one candidate for the people asked."""

    asked: int
    rows: list[PlaceHolidays] = field(default_factory=list)

    @property
    def people(self) -> int:
        """How many of the people asked have a public holiday on this date."""
        return sum(row.people for row in self.rows if not row.partial)

    @property
    def people_maybe(self) -> int:
        """How many more may have one (a holiday in part of their region)."""
        return sum(row.people for row in self.rows if row.partial)

    def __bool__(self) -> bool:
        return bool(self.rows)


def candidate_holidays(starts_at, ends_at, places: Counter, language: str | None = None):
    """The holidays on a candidate for the people asked (``places`` counts them by Place): one
    row per country and set of holidays, its regions and the countries with the most people
    first."""
    groups: dict[tuple, PlaceHolidays] = {}
    for place, people in places.items():
        if not place.country:
            continue
        days = local_days(starts_at, ends_at, zone_for(place.country))
        found = holidays_on(place, days, language)
        if not found:
            continue
        names = tuple(name for name, _partial in found)
        partial = all(partial for _name, partial in found)
        key = (place.country, names, partial)
        if key not in groups:
            groups[key] = PlaceHolidays(place.country, names, partial)
        groups[key].places.append((place, people))
    for row in groups.values():
        # The largest regions first; the national calendar ("other regions") last.
        row.places.sort(key=lambda p: (p[0].subdivision is None, -p[1], p[0].subdivision or ""))
    rows = sorted(groups.values(), key=lambda row: (row.partial, -row.people, row.country))
    return CandidateHolidays(asked=sum(places.values()), rows=rows)


# --- Time, as the reader reads it ---------------------------------------------------------------

MONTHS = [
    pgettext_lazy("month after the day's number", "January"),
    pgettext_lazy("month after the day's number", "February"),
    pgettext_lazy("month after the day's number", "March"),
    pgettext_lazy("month after the day's number", "April"),
    pgettext_lazy("month after the day's number", "May"),
    pgettext_lazy("month after the day's number", "June"),
    pgettext_lazy("month after the day's number", "July"),
    pgettext_lazy("month after the day's number", "August"),
    pgettext_lazy("month after the day's number", "September"),
    pgettext_lazy("month after the day's number", "October"),
    pgettext_lazy("month after the day's number", "November"),
    pgettext_lazy("month after the day's number", "December"),
]
#: Languages that write the day of the week in lower case inside a sentence.
LOWER_CASE_WEEKDAYS = {"fr", "it", "sl"}


def day_text(local: datetime | date) -> str:
    """ "Tuesday 22 December 2026", as the active language writes a date in a sentence."""
    weekday = formats.date_format(local, "l")
    if (translation.get_language() or "en")[:2] in LOWER_CASE_WEEKDAYS:
        weekday = weekday.lower()
    # The first of the month is "1er" in French, "1°" in Italian.
    day = str(pgettext_lazy("the first day of a month", "1")) if local.day == 1 else local.day
    pattern = pgettext_lazy("a date: Tuesday 22 December 2026", "{weekday} {day} {month} {year}")
    return str(pattern).format(
        weekday=weekday, day=day, month=MONTHS[local.month - 1], year=local.year
    )


def _parts(starts_at: datetime, ends_at: datetime, zone: ZoneInfo | None):
    zone = zone or ZoneInfo(settings.TIME_ZONE)
    start, end = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    if end.date() == start.date():
        times = f"{start:%H:%M}–{end:%H:%M}"
    else:
        times = f"{start:%H:%M} – {day_text(end)}, {end:%H:%M}"
    return start, day_text(start), times, zone_abbreviation(start)


def when_text(starts_at: datetime, ends_at: datetime, zone: ZoneInfo | None = None) -> str:
    """ "Tuesday 9 June 2026, 10:00–12:00 CEST" in the active language."""
    _start, day, times, (short, _full) = _parts(starts_at, ends_at, zone)
    return f"{day}, {times} {short}"


def when_html(starts_at: datetime, ends_at: datetime, zone: ZoneInfo | None = None) -> str:
    start, day, times, (short, full) = _parts(starts_at, ends_at, zone)
    return format_html(
        '<time datetime="{}">{}, {}</time> <abbr title="{}">{}</abbr>',
        start.isoformat(),
        day,
        times,
        full,
        short,
    )


def moment_text(value: datetime, zone: ZoneInfo | None = None) -> str:
    """ "Wednesday 9 December 2026, 18:00 CET" in the active language."""
    local = timezone.localtime(value, zone or ZoneInfo(settings.TIME_ZONE))
    short, _full = zone_abbreviation(local)
    return f"{day_text(local)}, {local:%H:%M} {short}"
