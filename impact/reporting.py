"""The figures as people read them: the headline sentence, tables with their columns, the
coverage and linkage matrices, and the programme's indicator rows. Labels are in the active
language; numbers stay numbers (templates and exports format them)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.models import Country, Stakeholder

from .linkages import Link
from .selectors import Counts, Figures

COUNTRY_NAMES = dict(Country.choices)
KIND_NAMES = dict(Stakeholder.Kind.choices)


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def headline(figures: Figures) -> str:
    """“150 stakeholders have been mapped in the area, and 81 of them have been directly
    involved in the 5 AlpCafés already organised.” — from the live figures, in the active
    language, each number with its own plural."""
    totals = figures.totals
    mapped = ngettext(
        "%(count)s stakeholder has been mapped in the area",
        "%(count)s stakeholders have been mapped in the area",
        totals.mapped,
    ) % {"count": _n(totals.mapped)}
    if not totals.alpcafes_held:
        # Translators: %(mapped)s is "150 stakeholders have been mapped in the area".
        return _("%(mapped)s; no AlpCafé has been held yet.") % {"mapped": mapped}
    involved = ngettext(
        "%(count)s of them has been directly involved",
        "%(count)s of them have been directly involved",
        totals.involved,
    ) % {"count": _n(totals.involved)}
    alpcafes = ngettext(
        "in the %(count)s AlpCafé already organised",
        "in the %(count)s AlpCafés already organised",
        totals.alpcafes_held,
    ) % {"count": _n(totals.alpcafes_held)}
    # Translators: the headline of the impact page, e.g. "150 stakeholders have been mapped in
    # the area, and 81 of them have been directly involved in the 5 AlpCafés already organised."
    return _("%(mapped)s, and %(involved)s %(alpcafes)s.") % {
        "mapped": mapped,
        "involved": involved,
        "alpcafes": alpcafes,
    }


# --- Tables ---------------------------------------------------------------------------------


@dataclass
class Table:
    """Rows for a chart's data table and its CSV: ``keys`` name the CSV's columns (stable, in
    English), ``columns`` head the page's table (in the reader's language)."""

    name: str
    keys: list[str]
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def _rate(counts: Counts) -> float | None:
    return None if counts.rate is None else round(counts.rate, 1)


def _breakdown(name: str, code_key: str, heading: str, rows: dict[str, Counts], names) -> Table:
    table = Table(
        name=name,
        keys=[code_key, f"{code_key}_name", "mapped", "involved", "involved_percent"],
        columns=["", heading, _("Mapped"), _("Involved"), _("Share involved")],
    )
    for code, counts in rows.items():
        table.rows.append([code, str(names[code]), counts.mapped, counts.involved, _rate(counts)])
    return table


def countries_table(figures: Figures) -> Table:
    return _breakdown("countries", "country", _("Country"), figures.by_country, COUNTRY_NAMES)


def kinds_table(figures: Figures) -> Table:
    return _breakdown("kinds", "kind", _("Kind"), figures.by_kind, KIND_NAMES)


def sectors_table(figures: Figures) -> Table:
    table = Table(
        name="sectors",
        keys=["sector", "sector_name", "mapped", "involved", "involved_percent"],
        columns=["", _("Sector"), _("Mapped"), _("Involved"), _("Share involved")],
    )
    for sector in figures.sectors:
        counts = Counts(mapped=sector.mapped, involved=sector.involved)
        table.rows.append([sector.slug, sector.name, sector.mapped, sector.involved, _rate(counts)])
    return table


def growth_table(figures: Figures) -> Table:
    table = Table(
        name="growth",
        keys=["month", "mapped", "involved", "alpcafes_held", "alpcafes_held_in_month"],
        columns=[
            _("Month"),
            _("Mapped"),
            _("Involved"),
            _("AlpCafés held"),
            _("AlpCafés that month"),
        ],
    )
    for month in figures.growth:
        table.rows.append(
            [month.month, month.mapped, month.involved, month.alpcafes, month.alpcafes_in_month]
        )
    return table


def initiatives_table(figures: Figures) -> Table:
    table = Table(
        name="initiatives",
        keys=[
            "initiative",
            "programme",
            "start",
            "end",
            "partners",
            "partners_mapped",
            "partners_involved",
        ],
        columns=[
            _("Initiative"),
            _("Programme"),
            _("Start"),
            _("End"),
            _("Partners"),
            _("Mapped today"),
            _("Involved today"),
        ],
    )
    for i in figures.initiatives:
        programme = " ".join(p for p in (_(i.programme), i.programme_period) if p)
        table.rows.append(
            [i.name, programme, i.start_date, i.end_date, i.partners, i.mapped, i.involved]
        )
    return table


# --- Coverage -------------------------------------------------------------------------------


@dataclass
class CoverageCell:
    country: str
    country_name: str
    kind: str
    mapped: int
    involved: int
    rate: float | None
    #: More involved stakeholders it takes to reach the overall share; 0 when it is reached.
    shortfall: int
    under: bool

    @property
    def filters(self) -> str:
        return urlencode({"country": self.country, "kind": self.kind})

    @property
    def directory_url(self) -> str:
        return f"{reverse('stakeholders:directory')}?{self.filters}"

    @property
    def invite_url(self) -> str:
        """A new AlpCafé, whose invitation page then starts from the cell's stakeholders who
        have not taken part yet."""
        return f"{reverse('alpcafes:create')}?{self.filters}&involved=no"


@dataclass
class Coverage:
    countries: list[tuple[str, str]]
    rows: list[tuple[str, str, list[CoverageCell]]]
    overall_rate: float | None


def coverage(figures: Figures) -> Coverage:
    """Kind × country: mapped and involved per cell. A cell is under-represented when its share
    of involved stakeholders is below half the overall share."""
    overall = figures.totals.rate
    rows = []
    for kind, kind_name in Stakeholder.Kind.choices:
        cells = []
        for country, country_name in Country.choices:
            counts = figures.cells[(country, kind)]
            rate = counts.rate
            shortfall = 0
            if overall is not None and counts.mapped:
                shortfall = max(math.ceil(counts.mapped * overall / 100) - counts.involved, 0)
            under = bool(counts.mapped and overall and rate is not None and rate < overall / 2)
            cells.append(
                CoverageCell(
                    country,
                    str(country_name),
                    kind,
                    counts.mapped,
                    counts.involved,
                    rate,
                    shortfall,
                    under,
                )
            )
        rows.append((kind, str(kind_name), cells))
    return Coverage(
        countries=[(code, str(name)) for code, name in Country.choices],
        rows=rows,
        overall_rate=overall,
    )


def coverage_table(figures: Figures) -> Table:
    table = Table(
        name="coverage",
        keys=["kind", "country", "mapped", "involved", "involved_percent", "under_represented"],
        columns=[],
    )
    for kind, _name, cells in coverage(figures).rows:
        for cell in cells:
            rate = None if cell.rate is None else round(cell.rate, 1)
            table.rows.append([kind, cell.country, cell.mapped, cell.involved, rate, cell.under])
    return table


# --- Linkages -------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    link: Link | None
    level: int
    same: bool


@dataclass
class Matrix:
    labels: list[tuple[str, str]]
    rows: list[tuple[str, str, list[MatrixCell]]]
    strongest: list[tuple[str, str, Link]]


def _matrix(links: dict[tuple[str, str], Link], labels: list[tuple[str, str]]) -> Matrix:
    names = dict(labels)
    most = max((link.pairs for link in links.values()), default=0)
    rows = []
    for code, name in labels:
        cells = []
        for other, _other_name in labels:
            link = links.get((code, other) if code <= other else (other, code))
            level = math.ceil(4 * link.pairs / most) if link and most else 0
            cells.append(MatrixCell(link, level, code == other))
        rows.append((code, name, cells))
    ranked = sorted(
        ((a, b, link) for (a, b), link in links.items() if a != b),
        key=lambda item: (-item[2].pairs, -item[2].alpcafes, item[0], item[1]),
    )
    strongest = [(names[a], names[b], link) for a, b, link in ranked[:5]]
    return Matrix(labels, rows, strongest)


def country_matrix(figures: Figures) -> Matrix:
    labels = [(code, str(name)) for code, name in Country.choices]
    return _matrix(figures.linkages.countries, labels)


def sector_matrix(figures: Figures) -> Matrix:
    labels = [(sector.slug, sector.name) for sector in figures.sectors]
    return _matrix(figures.linkages.sectors, labels)


def _links_table(name: str, key: str, links: dict[tuple[str, str], Link]) -> Table:
    keys = [f"{key}_a", f"{key}_b", "alpcafes", "stakeholder_pairs"]
    table = Table(name=name, keys=keys, columns=[])
    for (a, b), link in sorted(links.items()):
        table.rows.append([a, b, link.alpcafes, link.pairs])
    return table


def country_links_table(figures: Figures) -> Table:
    return _links_table("country-links", "country", figures.linkages.countries)


def sector_links_table(figures: Figures) -> Table:
    return _links_table("sector-links", "sector", figures.linkages.sectors)


DATA_TABLES = {
    "countries": countries_table,
    "kinds": kinds_table,
    "sectors": sectors_table,
    "growth": growth_table,
    "coverage": coverage_table,
    "country-links": country_links_table,
    "sector-links": sector_links_table,
    "initiatives": initiatives_table,
}


# --- The programme's indicators -------------------------------------------------------------

INDICATOR_KEYS = [
    "country",
    "country_name",
    "kind",
    "kind_name",
    "mapped",
    "involved",
    "participations",
    "alpcafes_held",
    "ideas",
    "proposals",
    "endorsements",
    "opportunities",
    "interests",
    "meetings",
    "cross_border_pairs",
]
COUNTED = INDICATOR_KEYS[4:]


def indicator_columns() -> list[str]:
    return [
        _("Country code"),
        _("Country"),
        _("Kind code"),
        _("Kind"),
        _("Stakeholders mapped"),
        _("Stakeholders involved"),
        _("Participations"),
        _("AlpCafés held"),
        _("Ideas"),
        _("Proposals"),
        _("Endorsements"),
        _("Partnership opportunities"),
        _("Expressions of interest"),
        _("1:1 meetings held"),
        _("Cross-border pairs"),
    ]


def indicator_rows(figures: Figures) -> list[list]:
    """One row per country and kind (every combination, zeros included), the activity of people
    outside the mapped stakeholders, and the totals. AlpCafés and proposals are counted once in
    the totals, though a row counts each one its stakeholders took part in."""
    rows = []
    for country, country_name in Country.choices:
        for kind, kind_name in Stakeholder.Kind.choices:
            counts = figures.cells[(country, kind)]
            values = [getattr(counts, name) for name in COUNTED]
            rows.append([country, str(country_name), kind, str(kind_name), *values])
    unassigned = [getattr(figures.unassigned, name) for name in COUNTED]
    rows.append(["", _("No mapped organisation"), "", "", *unassigned])
    totals = [getattr(figures.totals, name) for name in COUNTED]
    rows.append(["", _("Total"), "", "", *totals])
    return rows


def definitions() -> list[tuple[str, str]]:
    """What each indicator counts (the page shows the same list)."""
    return [
        (
            _("Stakeholders mapped"),
            _("Organisations published in the registry by the end of the period."),
        ),
        (
            _("Stakeholders involved"),
            _(
                "Of those, the ones with at least one person checked in at an AlpCafé that took "
                "place in the period (registering alone does not count)."
            ),
        ),
        (
            _("Participations"),
            _("People checked in at AlpCafés that took place in the period."),
        ),
        (
            _("AlpCafés held"),
            _(
                "AlpCafés held in the period (cancelled ones never count). In a row: those its "
                "stakeholders took part in."
            ),
        ),
        (_("Ideas"), _("Ideas published on the community blog in the period.")),
        (
            _("Proposals"),
            _(
                "Policy proposals opened for endorsement in the period. In a row: those its "
                "stakeholders endorsed."
            ),
        ),
        (_("Endorsements"), _("Endorsements of policy proposals given in the period.")),
        (
            _("Partnership opportunities"),
            _("Partnership offers and requests published in the period, under their organisation."),
        ),
        (
            _("Expressions of interest"),
            _("Expressions of interest in opportunities sent in the period, under the sender's."),
        ),
        (
            _("1:1 meetings held"),
            _(
                "Meetings between two participants held at AlpCafés in the period. In a row: "
                "those its stakeholders took part in."
            ),
        ),
        (
            _("Cross-border pairs"),
            _(
                "Pairs of organisations from two countries brought together in the period by an "
                "accepted expression of interest or a meeting held. In a row: those its "
                "stakeholders are part of."
            ),
        ),
        (
            _("No mapped organisation"),
            _(
                "Activity of people whose organisation is not (yet) published in the registry: "
                "counted in the totals, in no country or kind."
            ),
        ),
    ]
