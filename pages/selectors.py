"""Reads across the apps for the site pages."""

from alpcafes.selectors import alpcafes_upcoming
from blog.selectors import posts_latest
from common.fragments import store
from impact.selectors import impact_figures, impact_version


def headline_figures() -> dict[str, int]:
    """The home page's figures: the impact page's, kept in this process until any of their data
    changes (four numbers: reading the whole of the impact figures from the cache, to unpickle
    them on every home page, cost more than rendering the page)."""
    key = ("headline-figures", impact_version())
    headline = store.get(key)
    if headline is None:
        figures = impact_figures()
        headline = {
            "stakeholders": figures.totals.mapped,
            "countries": figures.countries_mapped,
            "involved": figures.totals.involved,
            "alpcafes_held": figures.totals.alpcafes_held,
        }
        store.put(key, headline)
    return dict(headline)


def latest_posts(limit: int = 3):
    return posts_latest(limit)


def next_alpcafes(limit: int = 3):
    return list(alpcafes_upcoming()[:limit])
