"""Reads across the apps for the site pages."""

from django.core.cache import cache

from alpcafes.models import AlpCafe
from alpcafes.selectors import alpcafes_upcoming
from blog.selectors import posts_latest
from stakeholders.models import Stakeholder
from stakeholders.selectors import registry_version

FIGURES_TIMEOUT = 300


def headline_figures() -> dict[str, int]:
    """The home page's figures, cached until the registry changes (or five minutes pass)."""
    key = f"site:figures:{registry_version()}"
    figures = cache.get(key)
    if figures is None:
        published = Stakeholder.objects.published()
        figures = {
            "stakeholders": published.count(),
            "countries": published.values("country").distinct().count(),
            "involved": published.involved().distinct().count(),
            "alpcafes_held": AlpCafe.objects.filter(state=AlpCafe.State.HELD).count(),
        }
        cache.set(key, figures, FIGURES_TIMEOUT)
    return figures


def latest_posts(limit: int = 3):
    return posts_latest(limit)


def next_alpcafes(limit: int = 3):
    return list(alpcafes_upcoming()[:limit])
