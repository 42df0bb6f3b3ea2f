"""Every figure against the hand-counted world of conftest.py."""

from datetime import date

import pytest
from django.utils import timezone

from impact.selectors import Counts, Period, compute_figures, impact_figures

pytestmark = pytest.mark.django_db


def test_totals_over_the_whole_history(world):
    figures = compute_figures(Period())
    assert figures.totals == Counts(
        mapped=5,  # A B C D E; U is unpublished
        involved=4,  # A B C E; D only registered; U unpublished; A and B twice, counted once
        participations=9,  # K1: 6 (U's and the loner's included), K2: 1, K4: 2
        alpcafes_held=3,  # K1 K2 K4; K3 cancelled, K5 ahead
        ideas=2,
        proposals=2,  # P1 P2; P3 is a draft
        endorsements=3,
    )
    assert figures.totals.rate == 80.0
    assert figures.countries_mapped == 2 + 1  # AT, IT, FR
    assert figures.countries_reached == 3
    assert (figures.sectors_mapped, figures.sectors_reached) == (2, 2)


def test_each_cell_and_the_unassigned_row(world):
    figures = compute_figures(Period())
    nonzero = {key: counts for key, counts in figures.cells.items() if counts != Counts()}
    assert nonzero == {
        ("AT", "cluster"): Counts(
            mapped=1, involved=1, participations=3, alpcafes_held=2, proposals=2, endorsements=2
        ),
        ("AT", "sme"): Counts(mapped=1, involved=1, participations=2, alpcafes_held=2, ideas=1),
        ("IT", "sme"): Counts(
            mapped=1, involved=1, participations=1, alpcafes_held=1, proposals=1, endorsements=1
        ),
        ("IT", "research"): Counts(mapped=1),
        ("FR", "cluster"): Counts(mapped=1, involved=1, participations=1, alpcafes_held=1),
    }
    # U (unpublished) and the person of no organisation at K1; the loner's idea.
    assert figures.unassigned == Counts(participations=2, alpcafes_held=1, ideas=1)
    assert len(figures.cells) == 7 * 8


def test_breakdowns_by_country_kind_and_sector(world):
    figures = compute_figures(Period())
    assert {c: (n.mapped, n.involved) for c, n in figures.by_country.items() if n.mapped} == {
        "AT": (2, 2),
        "IT": (2, 1),
        "FR": (1, 1),
    }
    assert {k: (n.mapped, n.involved) for k, n in figures.by_kind.items() if n.mapped} == {
        "cluster": (2, 2),
        "sme": (2, 2),
        "research": (1, 0),
    }
    assert [(s.slug, s.mapped, s.involved) for s in figures.sectors] == [
        ("ict", 3, 3),  # B C E
        ("wood", 2, 2),  # A C
    ]


def test_growth_month_by_month(world):
    figures = compute_figures(Period(end=date(2025, 6, 30)))
    assert [
        (m.month, m.mapped, m.involved, m.alpcafes, m.alpcafes_in_month) for m in figures.growth
    ] == [
        (date(2025, 1, 1), 2, 0, 0, 0),  # A B (U unpublished)
        (date(2025, 2, 1), 4, 3, 1, 1),  # C D; K1 involves A B C
        (date(2025, 3, 1), 5, 3, 1, 0),  # E; K3 cancelled
        (date(2025, 4, 1), 5, 4, 2, 1),  # K2 involves E
        (date(2025, 5, 1), 5, 4, 2, 0),
        (date(2025, 6, 1), 5, 4, 3, 1),  # K4: A and B again, nobody new
    ]


def test_growth_runs_to_this_month_without_an_end(world):
    growth = compute_figures(Period()).growth
    assert growth[0].month == date(2025, 1, 1)
    assert growth[-1].month == timezone.localdate().replace(day=1)
    assert (growth[-1].mapped, growth[-1].involved, growth[-1].alpcafes) == (5, 4, 3)


def test_linkages_between_countries_and_sectors(world):
    links = compute_figures(Period()).linkages
    # K1: A B (AT) with C (IT); K2: E alone from FR; K4: A and B again.
    assert {k: (v.alpcafes, v.pairs) for k, v in links.countries.items()} == {
        ("AT", "AT"): (2, 1),  # A–B at K1 and K4: one pair
        ("AT", "IT"): (1, 2),  # A–C, B–C
    }
    assert {k: (v.alpcafes, v.pairs) for k, v in links.sectors.items()} == {
        ("ict", "wood"): (2, 3),  # A–B (K1, K4), A–C, B–C
        ("wood", "wood"): (1, 1),  # A–C
        ("ict", "ict"): (1, 1),  # B–C
    }
    assert (links.attendees, links.met_abroad) == (4, 3)  # E met nobody from abroad
    assert links.share_abroad == 75.0


def test_initiatives_partners_mapped_and_involved_today(world):
    [initiative] = compute_figures(Period()).initiatives
    assert (initiative.name, initiative.partners, initiative.mapped, initiative.involved) == (
        "Alpine Bridges",
        4,  # A, D, U and one outside the registry
        2,  # A, D (U is unpublished)
        1,  # A
    )


def test_a_period_counts_what_happened_in_it_and_who_was_mapped_by_its_end(world):
    figures = compute_figures(Period(date(2025, 3, 1), date(2025, 4, 30)))
    assert figures.totals == Counts(
        mapped=5,  # entered by 30 April
        involved=1,  # E at K2 (10 April)
        participations=1,
        alpcafes_held=1,  # K2; K3 was cancelled
        ideas=1,  # B's, 1 March
        proposals=1,  # P1 opened 5 March
        endorsements=2,  # A and C for P1
    )
    assert figures.cells[("AT", "cluster")].endorsements == 1
    assert figures.cells[("IT", "sme")].proposals == 1
    assert (figures.linkages.attendees, figures.linkages.met_abroad) == (1, 0)


def test_a_period_ending_early_leaves_out_stakeholders_mapped_later(world):
    figures = compute_figures(Period(end=date(2025, 2, 28)))
    assert (figures.totals.mapped, figures.totals.involved) == (4, 3)  # E came in March
    assert figures.totals.alpcafes_held == 1
    assert figures.totals.participations == 6


def test_the_last_day_of_a_period_is_included(world):
    assert compute_figures(Period(date(2025, 4, 10), date(2025, 4, 10))).totals.alpcafes_held == 1
    assert compute_figures(Period(date(2025, 4, 11), date(2025, 6, 19))).totals.alpcafes_held == 0


def test_figures_are_cached_per_period(world, django_assert_num_queries):
    impact_figures(Period())
    with django_assert_num_queries(0):
        assert impact_figures(Period()).totals.mapped == 5
    # Twelve, and four for the partnerships (opportunities, interests, meetings, pairs).
    with django_assert_num_queries(16):
        impact_figures(Period(end=date(2025, 2, 28)))


def test_an_empty_database_gives_zeros_and_no_growth(db):
    figures = compute_figures(Period())
    assert figures.totals == Counts()
    assert figures.totals.rate is None
    assert figures.growth == []
    assert figures.linkages.share_abroad is None
