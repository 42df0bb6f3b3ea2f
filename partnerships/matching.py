"""Suggested matches: for an opportunity, and for an organisation, the best counterparts among the
open opportunities of other organisations, each with its reason in words.

A counterpart must be complementary and acceptable both ways:

- for an opportunity: the other type (an offer meets a request), in the same category or sharing
  a sector;
- for an organisation (with or without opportunities of its own): an opportunity of another
  organisation sharing one of its sectors;
- and in both cases each side is of a country and a kind the other seeks (an empty list seeks
  any).

Ranking: partners across a border first (the project's purpose), then points — 3 per shared
sector (at most two counted), 2 for the same category, 2 for each side's explicitly sought country
that the other is in, 1 for each explicitly sought kind — then the newest. Reasons are written in
the active language when they are read ("both in Mechatronics; they seek a partner in Austria").

Everything is read in three queries (the open opportunities with their organisation, their
sectors, the organisation's sectors) and scored in Python: the registry holds hundreds of open
opportunities, not millions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Country, Stakeholder

from .models import Opportunity

LIMIT = 5
COUNTRIES = dict(Country.choices)
KINDS = dict(Stakeholder.Kind.choices)


@dataclass
class Match:
    counterpart: Opportunity
    points: int
    cross_border: bool
    reasons: list = field(default_factory=list)  # lazy strings

    @property
    def reason(self) -> str:
        text = "; ".join(str(r) for r in self.reasons)
        return text[:1].upper() + text[1:]

    @property
    def sort_key(self):
        published = self.counterpart.published_at
        return (
            not self.cross_border,
            -self.points,
            -(published.timestamp() if published else 0),
            self.counterpart.pk,
        )


def open_pool() -> list[Opportunity]:
    """Every open opportunity of a published organisation, with what scoring reads."""
    return list(
        Opportunity.objects.open()
        .filter(stakeholder__state=Stakeholder.State.PUBLISHED)
        .select_related("stakeholder")
        .prefetch_related("sectors")
    )


def _accepts(seeker: Opportunity, stakeholder: Stakeholder) -> bool:
    countries, kinds = seeker.countries_sought_list, seeker.kinds_sought_list
    return (not countries or stakeholder.country in countries) and (
        not kinds or stakeholder.kind in kinds
    )


def _sector_reason(names: list[str]):
    return format_lazy(_("both in {sectors}"), sectors=", ".join(names))


def _common(stakeholder, sectors: set, seeking: list[Opportunity], other: Opportunity) -> Match:
    """Points and reasons shared by both kinds of match: sectors, countries, kinds, border."""
    them = other.stakeholder
    shared = sorted(s.label for s in other.sectors.all() if s.pk in sectors)
    match = Match(other, 3 * min(len(shared), 2), them.country != stakeholder.country)
    if shared:
        match.reasons.append(_sector_reason(shared))
    if stakeholder.country in other.countries_sought_list:
        match.points += 2
        match.reasons.append(
            format_lazy(
                _("they seek a partner in {country}"),
                country=COUNTRIES.get(stakeholder.country, stakeholder.country),
            )
        )
    if stakeholder.kind in other.kinds_sought_list:
        match.points += 1
        match.reasons.append(
            format_lazy(
                _("they look for partners like you ({kind})"),
                kind=KINDS.get(stakeholder.kind, ""),
            )
        )
    for mine in seeking:
        if them.country in mine.countries_sought_list:
            match.points += 2
            match.reasons.append(
                format_lazy(
                    _("they are in {country}, where you seek a partner"),
                    country=COUNTRIES.get(them.country, them.country),
                )
            )
            break
    for mine in seeking:
        if them.kind in mine.kinds_sought_list:
            match.points += 1
            match.reasons.append(
                format_lazy(
                    _("they are the kind of partner you seek ({kind})"),
                    kind=KINDS.get(them.kind, ""),
                )
            )
            break
    if match.cross_border:
        match.reasons.append(
            format_lazy(
                _("across the border ({mine} – {theirs})"),
                mine=COUNTRIES.get(stakeholder.country, stakeholder.country),
                theirs=COUNTRIES.get(them.country, them.country),
            )
        )
    return match


def _best(matches: list[Match], limit: int) -> list[Match]:
    return sorted(matches, key=lambda m: m.sort_key)[:limit]


def for_opportunity(
    opportunity: Opportunity, *, pool: list[Opportunity] | None = None, limit: int = LIMIT
) -> list[Match]:
    """The best counterparts of one opportunity."""
    pool = open_pool() if pool is None else pool
    stakeholder = opportunity.stakeholder
    sectors = {s.pk for s in opportunity.sectors.all()}
    found = []
    for other in pool:
        if other.stakeholder_id == stakeholder.pk or other.type == opportunity.type:
            continue
        shares_sector = any(s.pk in sectors for s in other.sectors.all())
        same_category = other.category == opportunity.category
        if not (shares_sector or same_category):
            continue
        if not (_accepts(opportunity, other.stakeholder) and _accepts(other, stakeholder)):
            continue
        match = _common(stakeholder, sectors, [opportunity], other)
        if same_category:
            match.points += 2
            match.reasons.insert(
                0,
                format_lazy(
                    _("their offer meets your request ({category})")
                    if other.type == Opportunity.Type.OFFER
                    else _("their request meets your offer ({category})"),
                    category=other.get_category_display(),
                ),
            )
        found.append(match)
    return _best(found, limit)


def for_stakeholder(
    stakeholder: Stakeholder, *, pool: list[Opportunity] | None = None, limit: int = LIMIT
) -> list[Match]:
    """The best counterparts of an organisation: the matches of its own open opportunities, and
    opportunities of others that suit its profile (a shared sector, a country and kind they
    accept), each counterpart once with its best reason."""
    pool = open_pool() if pool is None else pool
    own = [o for o in pool if o.stakeholder_id == stakeholder.pk]
    best: dict[int, Match] = {}
    for mine in own:
        for match in for_opportunity(mine, pool=pool, limit=len(pool)):
            current = best.get(match.counterpart.pk)
            if current is None or match.sort_key < current.sort_key:
                best[match.counterpart.pk] = match
    sectors = {s.pk for s in stakeholder.sectors.all()}
    for other in pool:
        if other.stakeholder_id == stakeholder.pk or other.pk in best:
            continue
        if not any(s.pk in sectors for s in other.sectors.all()):
            continue
        if not _accepts(other, stakeholder):
            continue
        best[other.pk] = _common(stakeholder, sectors, own, other)
    return _best(list(best.values()), limit)


def new_for_stakeholder(
    stakeholder: Stakeholder, since, until, *, pool: list[Opportunity] | None = None
) -> list[Match]:
    """Matches whose counterpart was published between ``since`` and ``until`` (the digest's)."""
    pool = open_pool() if pool is None else pool
    return [
        m
        for m in for_stakeholder(stakeholder, pool=pool, limit=len(pool))
        if m.counterpart.published_at and since <= m.counterpart.published_at < until
    ][:LIMIT]
