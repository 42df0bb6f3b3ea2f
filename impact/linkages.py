"""Who met whom at the AlpCafés: pairs of countries and of sectors, from the attendance rows.

Pure computation on rows the selectors read (one row per AlpCafé and stakeholder who attended),
so the work grows with attendance, never with the size of the registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations


@dataclass
class Link:
    """Two countries (or sectors) at the same AlpCafés: how many AlpCafés brought both, and how
    many distinct pairs of stakeholders (one of each) met there."""

    alpcafes: int = 0
    pairs: int = 0


@dataclass
class Linkages:
    countries: dict[tuple[str, str], Link] = field(default_factory=dict)
    sectors: dict[tuple[str, str], Link] = field(default_factory=dict)
    #: Stakeholders who attended (in the period) and, of them, those who met at least one
    #: stakeholder from another country at the same AlpCafé.
    attendees: int = 0
    met_abroad: int = 0

    @property
    def share_abroad(self) -> float | None:
        return 100 * self.met_abroad / self.attendees if self.attendees else None


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pair_links(
    by_alpcafe: dict[int, set[int]], labels: dict[int, set[str]]
) -> dict[tuple[str, str], Link]:
    """For every pair of labels (a stakeholder may carry several, like sectors): the AlpCafés
    where stakeholders of both were present, and the distinct stakeholder pairs that met."""
    alpcafes: dict[tuple[str, str], set[int]] = defaultdict(set)
    pairs: dict[tuple[str, str], set[tuple[int, int]]] = defaultdict(set)
    for alpcafe, present in by_alpcafe.items():
        for first, second in combinations(sorted(present), 2):
            for a in labels.get(first, ()):
                for b in labels.get(second, ()):
                    key = _key(a, b)
                    alpcafes[key].add(alpcafe)
                    pairs[key].add((first, second))
    return {key: Link(len(alpcafes[key]), len(pairs[key])) for key in alpcafes}


def compute(
    attendance: Iterable[tuple[int, int, str]], sectors: Iterable[tuple[int, str]]
) -> Linkages:
    """``attendance``: (AlpCafé id, stakeholder id, country) once each; ``sectors``: (stakeholder
    id, sector slug) for the stakeholders in it."""
    by_alpcafe: dict[int, set[int]] = defaultdict(set)
    country_of: dict[int, set[str]] = {}
    for alpcafe, stakeholder, country in attendance:
        by_alpcafe[alpcafe].add(stakeholder)
        country_of[stakeholder] = {country}
    sectors_of: dict[int, set[str]] = defaultdict(set)
    for stakeholder, slug in sectors:
        sectors_of[stakeholder].add(slug)
    met_abroad = set()
    for present in by_alpcafe.values():
        countries = {next(iter(country_of[s])) for s in present}
        if len(countries) > 1:
            met_abroad.update(present)
    return Linkages(
        countries=_pair_links(by_alpcafe, country_of),
        sectors=_pair_links(by_alpcafe, sectors_of),
        attendees=len(country_of),
        met_abroad=len(met_abroad),
    )
