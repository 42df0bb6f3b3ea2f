"""A bounded number of aggregate queries: the same at 150 stakeholders and at 100,000."""

import pytest
from django.db import connection

from impact.selectors import Period, compute_figures
from stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db

# Twelve, and four for the partnerships (opportunities, interests, meetings held, pairs).
QUERIES = 16

# 100,000 rows in one statement (PostgreSQL makes them), spread over countries and kinds.
TOP_UP = """
INSERT INTO stakeholders_stakeholder
    (name, slug, kind, country, region, city, website, description, is_partner, state,
     rejection_reason, origin, created_at, updated_at)
SELECT 'Generated ' || i, 'generated-' || i,
       (ARRAY['cluster', 'sme', 'research'])[1 + i %% 3],
       (ARRAY['AT', 'IT', 'FR', 'SI', 'DE', 'CH', 'LI'])[1 + i %% 7],
       '', '', '', '', false, 'published', '', 'imported',
       now() - (i %% 700) * interval '1 day', now()
  FROM generate_series(%s, %s) AS i
"""


def _top_up(total: int) -> None:
    have = Stakeholder.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(TOP_UP, [have, total - 1])


def test_the_figures_take_the_same_queries_at_150_and_100000_stakeholders(
    world, django_assert_num_queries
):
    _top_up(150)
    with django_assert_num_queries(QUERIES):
        small = compute_figures(Period())
    _top_up(100_000)
    with django_assert_num_queries(QUERIES):
        large = compute_figures(Period())
    assert small.totals.mapped == 150 - 1  # the world's unpublished one is among the 150
    assert large.totals.mapped == 100_000 - 1
    assert (small.totals.involved, large.totals.involved) == (4, 4)
    assert len(large.growth) > 20  # two years of generated months
    with django_assert_num_queries(QUERIES):
        compute_figures(Period(start=large.growth[0].month))
