"""The facts of the AlpClusters 2020 project, shown in the footer and on the about page.

They come from the project's entry in the catalogue of earlier initiatives (impact), which also
names its partners; until that entry exists (a fresh database, before the demo data or the
import) the values below stand in.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impact.selectors import ProjectPartner, project_facts
from stakeholders.models import Country

FALLBACK_NAME = "AlpClusters 2020"
FALLBACK_PROGRAMME = gettext_lazy("Alpine Space 2007–2013")
FALLBACK_START = date(2013, 8, 31)
FALLBACK_END = date(2014, 11, 29)
FALLBACK_PARTNERS = 6
FALLBACK_BUDGET_EUR = Decimal("376352.00")
FALLBACK_EU_COFUNDING_PERCENT = Decimal("64.6")


@dataclass(frozen=True)
class Project:
    name: str
    programme: str
    start: date
    end: date
    partner_count: int
    budget_eur: Decimal | None
    eu_cofunding_percent: Decimal | None
    partners: tuple[ProjectPartner, ...] = ()
    achievements: str = ""
    website: str = ""

    @property
    def countries(self) -> list[str]:
        """The Alpine Space countries, the area the project mapped, in the reader's language."""
        return sorted((str(name) for name in Country.labels), key=_without_accents)


def _without_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def current() -> Project:
    """The project's facts in the active language (cached with the catalogue)."""
    facts = project_facts()
    if facts is None:
        return Project(
            name=FALLBACK_NAME,
            programme=str(FALLBACK_PROGRAMME),
            start=FALLBACK_START,
            end=FALLBACK_END,
            partner_count=FALLBACK_PARTNERS,
            budget_eur=FALLBACK_BUDGET_EUR,
            eu_cofunding_percent=FALLBACK_EU_COFUNDING_PERCENT,
        )
    programme = " ".join(p for p in (_(facts.programme), facts.programme_period) if p)
    return Project(
        name=facts.name,
        programme=programme,
        start=facts.start_date,
        end=facts.end_date,
        partner_count=len(facts.partners),
        budget_eur=facts.budget_eur,
        eu_cofunding_percent=facts.eu_cofunding_percent,
        partners=facts.partners,
        achievements=facts.achievements,
        website=facts.website,
    )
