"""Reads across the apps for the site pages."""

from alpcafes.selectors import alpcafes_upcoming
from blog.selectors import posts_latest
from impact.selectors import impact_figures


def headline_figures() -> dict[str, int]:
    """The home page's figures: the impact page's, cached until any of their data changes."""
    figures = impact_figures()
    return {
        "stakeholders": figures.totals.mapped,
        "countries": figures.countries_mapped,
        "involved": figures.totals.involved,
        "alpcafes_held": figures.totals.alpcafes_held,
    }


def latest_posts(limit: int = 3):
    return posts_latest(limit)


def next_alpcafes(limit: int = 3):
    return list(alpcafes_upcoming()[:limit])
