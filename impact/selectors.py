"""The project's achievements, computed from every app's rows: a fixed handful of aggregate
queries whatever the size of the registry (PostgreSQL groups and counts), cached per version of
the data they read and per period.

What is counted, for a period (from its first day to its last, both included; open ends allowed):

- mapped: published stakeholders entered in the registry by the end of the period;
- involved: of those, the ones with a contact who attended an AlpCafé that took place in the
  period (attendance is a check-in: registering is not enough);
- participations: attendances (people checked in) at AlpCafés that took place in the period;
- AlpCafés held: AlpCafés in the state "held" that took place in the period (cancelled ones never);
- ideas: ideas published in the period; proposals: policy proposals opened for endorsement in
  the period; endorsements: endorsements given in the period;
- opportunities: partnership offers and requests published in the period (under their
  organisation); interests: expressions of interest sent in the period (under the sender's);
- meetings: 1:1 meetings held at AlpCafés in the period (scheduled, their slot over, the AlpCafé
  not cancelled; a row counts those its stakeholders took part in, the total each once);
- cross-border pairs: pairs of organisations of two countries brought together in the period by
  an accepted expression of interest or a meeting held (a row: the pairs its stakeholders are in).

Activity is counted under the country and kind of the person's (or endorser's) stakeholder; that
of people whose organisation is not among the mapped stakeholders is counted apart
("unassigned"), so that the totals hold everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from blog.models import Endorsement, PolicyProposal, Post
from common.release import current_release
from common.versions import data_version
from partnerships.models import ExpressionOfInterest, MeetingRequest, Opportunity
from stakeholders.models import Country, Sector, Stakeholder, sector_label

from . import linkages as linkage
from .models import Initiative, InitiativePartner

TIMEOUT = 300
DOMAINS = ("registry", "alpcafes", "blog", "initiatives", "partnerships")
#: The catalogue's entry for this project: the about page and the footer take its facts.
PROJECT_SLUG = "alpclusters-2020"
UNASSIGNED = ("", "")


def impact_version() -> str:
    """The versions of everything the impact page reads, as one cache-key part."""
    return data_version(*DOMAINS)


# --- The period --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date | None = None
    end: date | None = None

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None

    @property
    def key(self) -> str:
        return f"{self.start or ''}_{self.end or ''}"

    def since(self) -> datetime | None:
        return _midnight(self.start) if self.start else None

    def until(self) -> datetime | None:
        """The first moment after the period (its last day is included)."""
        return _midnight(self.end + timedelta(days=1)) if self.end else None

    def during(self, field_name: str) -> Q:
        q = Q()
        if self.start:
            q &= Q(**{f"{field_name}__gte": self.since()})
        if self.end:
            q &= Q(**{f"{field_name}__lt": self.until()})
        return q

    def by_end(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__lt": self.until()}) if self.end else Q()


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- The figures -------------------------------------------------------------------------------


@dataclass
class Counts:
    mapped: int = 0
    involved: int = 0
    participations: int = 0
    alpcafes_held: int = 0
    ideas: int = 0
    proposals: int = 0
    endorsements: int = 0
    opportunities: int = 0
    interests: int = 0
    meetings: int = 0
    cross_border_pairs: int = 0

    @property
    def rate(self) -> float | None:
        """The share of the mapped stakeholders who are involved, in per cent."""
        return 100 * self.involved / self.mapped if self.mapped else None

    def add(self, other: Counts, *fields: str) -> None:
        for name in fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


SUMMED = (
    "mapped",
    "involved",
    "participations",
    "ideas",
    "endorsements",
    "opportunities",
    "interests",
)


@dataclass
class SectorCount:
    slug: str
    names: dict[str, str]  # by language (the figures are cached for every language)
    mapped: int
    involved: int

    @property
    def name(self) -> str:
        """The sector's name in the language of the request."""
        return sector_label(self.names)


@dataclass
class Month:
    month: date
    #: Cumulative by the end of the month.
    mapped: int
    involved: int
    alpcafes: int
    #: Held in that month.
    alpcafes_in_month: int


@dataclass
class InitiativeCount:
    slug: str
    name: str
    programme: str
    programme_period: str
    start_date: date
    end_date: date
    website: str
    partners: int
    mapped: int
    involved: int


@dataclass
class Figures:
    period: Period
    cells: dict[tuple[str, str], Counts]
    unassigned: Counts
    totals: Counts
    sectors: list[SectorCount]
    growth: list[Month]
    linkages: linkage.Linkages
    initiatives: list[InitiativeCount]
    computed_at: datetime = field(default_factory=timezone.now)
    #: The data version they were computed from (impact_version()), "" when not cached.
    version: str = ""

    @property
    def cache_key(self) -> str:
        """What the figures are a function of: parts of the page cached with them use it."""
        return f"{self.version}:{self.period.key}"

    def _by(self, index: int, codes) -> dict[str, Counts]:
        rows = {code: Counts() for code in codes}
        for key, counts in self.cells.items():
            rows[key[index]].add(counts, *SUMMED)
        return rows

    @property
    def by_country(self) -> dict[str, Counts]:
        return self._by(0, Country.values)

    @property
    def by_kind(self) -> dict[str, Counts]:
        return self._by(1, Stakeholder.Kind.values)

    @property
    def countries_reached(self) -> int:
        return sum(1 for counts in self.by_country.values() if counts.involved)

    @property
    def countries_mapped(self) -> int:
        return sum(1 for counts in self.by_country.values() if counts.mapped)

    @property
    def sectors_reached(self) -> int:
        return sum(1 for sector in self.sectors if sector.involved)

    @property
    def sectors_mapped(self) -> int:
        return sum(1 for sector in self.sectors if sector.mapped)


def impact_figures(period: Period | None = None) -> Figures:
    """Every figure of the impact page for ``period``, cached until the data changes."""
    period = period or Period()
    version = impact_version()
    # The release too: a new release may read the figures differently.
    key = f"impact:figures:{current_release()}:{version}:{period.key}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures(period)
        figures.version = version
        cache.set(key, figures, TIMEOUT)
    return figures


def compute_figures(period: Period) -> Figures:
    """The figures straight from the database: sixteen queries, none of them per row."""
    cells = {(c, k): Counts() for c in Country.values for k in Stakeholder.Kind.values}
    unassigned = Counts()
    mapped_by_month = _stakeholder_cells(period, cells)
    for counts_of, fill in (
        (_participation_cells, ("participations", "alpcafes_held")),
        (_idea_cells, ("ideas",)),
        (_endorsement_cells, ("endorsements", "proposals")),
        (_opportunity_cells, ("opportunities",)),
        (_interest_cells, ("interests",)),
    ):
        for key, values in counts_of(period).items():
            target = cells.get(key, unassigned)
            for name in fill:
                setattr(target, name, values[name])
    held = _held_alpcafes(period)
    totals = Counts(
        alpcafes_held=sum(1 for starts_at in held if _within(period, starts_at)),
        proposals=PolicyProposal.objects.public().filter(period.during("opened_at")).count(),
    )
    for counts in [*cells.values(), unassigned]:
        totals.add(counts, *SUMMED)
    _partnership_pairs(period, cells, unassigned, totals)
    return Figures(
        period=period,
        cells=cells,
        unassigned=unassigned,
        totals=totals,
        sectors=_sectors(period),
        growth=_growth(period, mapped_by_month, held),
        linkages=_linkages(period),
        initiatives=initiatives_with_counts(),
    )


def _within(period: Period, moment: datetime) -> bool:
    since, until = period.since(), period.until()
    return (since is None or moment >= since) and (until is None or moment < until)


# --- The queries -------------------------------------------------------------------------------


def _population(period: Period, prefix: str = "") -> Q:
    """Published stakeholders entered by the end of the period (``prefix`` leads to them)."""
    return Q(**{f"{prefix}state": Stakeholder.State.PUBLISHED}) & period.by_end(
        f"{prefix}created_at"
    )


def _attendances(period: Period):
    """Attendances at AlpCafés that took place in the period."""
    return Participation.objects.filter(attended_at__isnull=False).filter(
        period.during("alpcafe__starts_at")
    )


def _involved_ids(period: Period):
    return _attendances(period).values("contact__stakeholder_id")


def _cell(prefix: str, period: Period) -> dict:
    """The (country, kind) a row counts under, from its stakeholder; ("", "") outside the
    population — one group, so that distinct counts stay exact."""
    population = _population(period, prefix)
    return {
        "cell_country": Case(
            When(population, then=F(f"{prefix}country")),
            default=Value(""),
            output_field=CharField(),
        ),
        "cell_kind": Case(
            When(population, then=F(f"{prefix}kind")),
            default=Value(""),
            output_field=CharField(),
        ),
    }


def _grouped(queryset, period: Period, prefix: str, **aggregates) -> dict[tuple[str, str], dict]:
    rows = (
        queryset.order_by()
        .annotate(**_cell(prefix, period))
        .values("cell_country", "cell_kind")
        .annotate(**aggregates)
    )
    return {(row.pop("cell_country"), row.pop("cell_kind")): row for row in rows}


def _stakeholder_cells(period: Period, cells: dict[tuple[str, str], Counts]) -> dict[date, int]:
    """Fill in the cells' mapped and involved stakeholders, and return how many were mapped each
    month: one scan of the registry, grouped by country, kind and month (at most 56 rows a
    month)."""
    rows = (
        Stakeholder.objects.filter(_population(period))
        .order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("country", "kind", "month")
        .annotate(
            mapped=Count("pk"),
            involved=Count("pk", filter=Q(pk__in=_involved_ids(period))),
        )
    )
    by_month: dict[date, int] = {}
    for row in rows:
        counts = cells.get((row["country"], row["kind"]))
        if counts is not None:
            counts.mapped += row["mapped"]
            counts.involved += row["involved"]
        month = _month(row["month"])
        by_month[month] = by_month.get(month, 0) + row["mapped"]
    return by_month


def _participation_cells(period: Period) -> dict:
    return _grouped(
        _attendances(period),
        period,
        "contact__stakeholder__",
        participations=Count("pk"),
        alpcafes_held=Count("alpcafe", distinct=True, filter=Q(alpcafe__state=AlpCafe.State.HELD)),
    )


def _idea_cells(period: Period) -> dict:
    ideas = Post.objects.published().ideas().filter(period.during("published_at"))
    return _grouped(ideas, period, "author__contact__stakeholder__", ideas=Count("pk"))


def _endorsement_cells(period: Period) -> dict:
    endorsements = Endorsement.objects.filter(
        proposal__in=PolicyProposal.objects.public().values("pk")
    ).filter(period.during("created_at"))
    return _grouped(
        endorsements,
        period,
        "stakeholder__",
        endorsements=Count("pk"),
        proposals=Count("proposal", distinct=True),
    )


def _opportunity_cells(period: Period) -> dict:
    opportunities = Opportunity.objects.filter(published_at__isnull=False).filter(
        period.during("published_at")
    )
    return _grouped(opportunities, period, "stakeholder__", opportunities=Count("pk"))


def _interest_cells(period: Period) -> dict:
    interests = ExpressionOfInterest.objects.filter(period.during("created_at"))
    return _grouped(interests, period, "sender_stakeholder__", interests=Count("pk"))


def _partnership_pairs(period: Period, cells: dict, unassigned: Counts, totals: Counts) -> None:
    """Meetings held and cross-border pairs, in two queries (one row per meeting held and per
    accepted expression of interest): a row counts each once it takes part in, the totals each
    once."""
    until = period.until()

    def cell(state, country, kind, created_at):
        in_population = state == Stakeholder.State.PUBLISHED and (
            until is None or created_at < until
        )
        return cells.get((country, kind), unassigned) if in_population else unassigned

    side = ("state", "country", "kind", "created_at", "id")
    now = timezone.now()
    meetings = (
        MeetingRequest.objects.filter(slot__isnull=False, slot__ends_at__lt=now)
        .exclude(matchmaking__alpcafe__state=AlpCafe.State.CANCELLED)
        .filter(period.during("slot__starts_at"))
        .values_list(
            *(f"requester__participation__contact__stakeholder__{f}" for f in side),
            *(f"invitee__participation__contact__stakeholder__{f}" for f in side),
        )
    )
    interests = (
        ExpressionOfInterest.objects.filter(status=ExpressionOfInterest.Status.ACCEPTED)
        .filter(period.during("decided_at"))
        .values_list(
            *(f"sender_stakeholder__{f}" for f in side),
            *(f"opportunity__stakeholder__{f}" for f in side),
        )
    )
    pairs: dict[frozenset, tuple] = {}
    for row in meetings:
        one, other = row[:5], row[5:]
        for counts in {id(c): c for c in (cell(*one[:4]), cell(*other[:4]))}.values():
            counts.meetings += 1
        totals.meetings += 1
        if one[4] and other[4] and one[1] != other[1]:
            pairs[frozenset((one[4], other[4]))] = (one, other)
    for one, other in ((row[:5], row[5:]) for row in interests):
        if one[4] and other[4] and one[1] != other[1]:
            pairs[frozenset((one[4], other[4]))] = (one, other)
    for one, other in pairs.values():
        for counts in {id(c): c for c in (cell(*one[:4]), cell(*other[:4]))}.values():
            counts.cross_border_pairs += 1
    totals.cross_border_pairs = len(pairs)


def _held_alpcafes(period: Period) -> list[datetime]:
    """When each AlpCafé held by the end of the period started: one row per AlpCafé, a number
    that grows by one per event (the growth chart needs them all)."""
    return list(
        AlpCafe.objects.filter(state=AlpCafe.State.HELD)
        .filter(period.by_end("starts_at"))
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )


def _sectors(period: Period) -> list[SectorCount]:
    """Mapped and involved stakeholders per sector (a stakeholder counts in each of its sectors):
    the links grouped by sector, then the sectors' names."""
    population = Stakeholder.objects.filter(_population(period)).values("pk")
    counts = {
        row["sector_id"]: row
        for row in Stakeholder.sectors.through.objects.filter(stakeholder_id__in=population)
        .values("sector_id")
        .annotate(
            mapped=Count("pk"),
            involved=Count("pk", filter=Q(stakeholder_id__in=_involved_ids(period))),
        )
        .order_by()
    }
    return [
        SectorCount(
            sector.slug,
            sector.names,
            counts.get(sector.pk, {}).get("mapped", 0),
            counts.get(sector.pk, {}).get("involved", 0),
        )
        for sector in Sector.objects.order_by("name")
    ]


def _month(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def _growth(period: Period, mapped: dict[date, int], held: list[datetime]) -> list[Month]:
    """Month by month since the first stakeholder was mapped, cumulative: mapped, involved (by
    the month of their first AlpCafé) and AlpCafés held."""
    population = Stakeholder.objects.filter(_population(period)).order_by()
    first_attended = (
        Participation.objects.filter(attended_at__isnull=False, contact__stakeholder=OuterRef("pk"))
        .filter(period.by_end("alpcafe__starts_at"))
        .order_by("alpcafe__starts_at")
        .values("alpcafe__starts_at")[:1]
    )
    involved = dict(
        population.filter(pk__in=_involved_ids(Period(end=period.end)))
        .annotate(month=TruncMonth(Subquery(first_attended)))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    held_by_month: dict[date, int] = {}
    for starts_at in held:
        held_by_month[_month(starts_at)] = held_by_month.get(_month(starts_at), 0) + 1
    involved = {_month(m): n for m, n in involved.items() if m is not None}
    months = set(mapped) | set(involved) | set(held_by_month)
    if not months:
        return []
    last = _month(period.end or timezone.localdate())
    current, series, totals = min(months), [], [0, 0, 0]
    while current <= max(last, max(months)):
        totals[0] += mapped.get(current, 0)
        totals[1] += involved.get(current, 0)
        totals[2] += held_by_month.get(current, 0)
        series.append(Month(current, *totals, held_by_month.get(current, 0)))
        current = (current + timedelta(days=32)).replace(day=1)
    return series


def _linkages(period: Period) -> linkage.Linkages:
    attended = _attendances(period).filter(_population(period, "contact__stakeholder__"))
    rows = list(
        attended.order_by()
        .values_list("alpcafe_id", "contact__stakeholder_id", "contact__stakeholder__country")
        .distinct()
    )
    sectors = Stakeholder.sectors.through.objects.filter(
        stakeholder_id__in=attended.values("contact__stakeholder_id")
    ).values_list("stakeholder_id", "sector__slug")
    return linkage.compute(rows, sectors)


def initiatives_with_counts() -> list[InitiativeCount]:
    """Each initiative with how many of its partners are mapped and involved today."""
    published = Q(partners__stakeholder__state=Stakeholder.State.PUBLISHED)
    rows = Initiative.objects.annotate(
        partner_count=Count("partners"),
        mapped=Count("partners", filter=published),
        involved=Count(
            "partners",
            filter=published & Q(partners__stakeholder__in=_involved_ids(Period())),
        ),
    ).order_by("start_date", "name")
    return [
        InitiativeCount(
            i.slug,
            i.name,
            i.programme,
            i.programme_period,
            i.start_date,
            i.end_date,
            i.website,
            i.partner_count,
            i.mapped,
            i.involved,
        )
        for i in rows
    ]


# --- For other pages ---------------------------------------------------------------------------


def initiatives_section(stakeholder) -> tuple[str, dict]:
    """The "earlier initiatives" section of a stakeholder's public page."""
    partnerships = list(
        InitiativePartner.objects.filter(stakeholder=stakeholder)
        .select_related("initiative")
        .order_by("initiative__start_date", "initiative__name")
    )
    return "impact/_stakeholder_initiatives.html", {"partnerships": partnerships}


@dataclass(frozen=True)
class ProjectPartner:
    name: str
    country: str
    is_lead: bool
    url: str


@dataclass(frozen=True)
class ProjectFacts:
    name: str
    programme: str
    programme_period: str
    start_date: date
    end_date: date
    budget_eur: object
    eu_cofunding_percent: object
    website: str
    achievements: str
    partners: tuple[ProjectPartner, ...]


_NONE = "none"


def project_facts() -> ProjectFacts | None:
    """This project's entry in the catalogue with its partners (links to their registry pages
    while published), or None before it is loaded; cached until either changes."""
    key = f"impact:project:{data_version('initiatives', 'registry')}"
    facts = cache.get(key)
    if facts is None:
        facts = _project_facts() or _NONE
        cache.set(key, facts, TIMEOUT)
    return None if facts == _NONE else facts


def _project_facts() -> ProjectFacts | None:
    initiative = Initiative.objects.filter(slug=PROJECT_SLUG).first()
    if initiative is None:
        return None
    partners = tuple(
        ProjectPartner(
            name=p.name,
            country=p.country,
            is_lead=p.is_lead,
            url=p.stakeholder.get_absolute_url()
            if p.stakeholder and p.stakeholder.is_published
            else "",
        )
        for p in initiative.partners.select_related("stakeholder")
    )
    return ProjectFacts(
        name=initiative.name,
        programme=initiative.programme,
        programme_period=initiative.programme_period,
        start_date=initiative.start_date,
        end_date=initiative.end_date,
        budget_eur=initiative.budget_eur,
        eu_cofunding_percent=initiative.eu_cofunding_percent,
        website=initiative.website,
        achievements=initiative.achievements,
        partners=partners,
    )
