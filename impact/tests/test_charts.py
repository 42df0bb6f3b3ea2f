from datetime import date

import pytest

from impact import charts
from impact.linkages import compute


def test_nice_ticks_cover_the_maximum_in_round_steps():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(4) == [0, 1, 2, 3, 4]
    assert charts.nice_ticks(32) == [0, 10, 20, 30, 40]
    assert charts.nice_ticks(150) == [0, 50, 100, 150]
    assert charts.nice_ticks(100150)[-1] >= 100150


def test_bars_are_proportional_to_their_values():
    chart = charts.bar_chart("c", [("Austria", [28, 14]), ("Italy", [7, 0])], ["a", "b"])
    (austria, italy) = chart.rows
    assert austria.bars[0].width == pytest.approx(2 * austria.bars[1].width, abs=0.02)
    assert austria.bars[0].width == pytest.approx(4 * italy.bars[0].width, abs=0.02)
    assert italy.bars[1].width == 0
    assert chart.ticks[-1].label == 30 and chart.ticks[-1].position == chart.plot_right
    assert chart.height == charts.TOP + 2 * charts.ROW_HEIGHT + charts.BOTTOM


def test_lines_step_month_by_month_and_mark_the_alpcafes():
    months = [date(2025, m, 1) for m in range(1, 5)]
    chart = charts.line_chart("g", months, [("mapped", [2, 4, 5, 5])], [0, 1, 0, 2])
    points = [tuple(map(float, p.split(","))) for p in chart.lines[0].points.split()]
    assert len(points) == 1 + 2 * 3  # a step: across, then up, each month
    assert points[0][0] == chart.left and points[-1][0] == chart.right
    assert [m.count for m in chart.markers] == [1, 2]
    assert chart.lines[0].last_value == 5
    assert charts.line_chart("g", [], [], []).lines == []


def test_linkages_count_alpcafes_and_distinct_pairs():
    # AlpCafé 1: s1 (AT), s2 (AT), s3 (IT); AlpCafé 2: s1, s2 again; AlpCafé 3: s4 (FR) alone.
    attendance = [
        (1, 1, "AT"),
        (1, 2, "AT"),
        (1, 3, "IT"),
        (2, 1, "AT"),
        (2, 2, "AT"),
        (3, 4, "FR"),
    ]
    sectors = [(1, "wood"), (2, "ict"), (3, "wood"), (3, "ict")]
    links = compute(attendance, sectors)
    assert {k: (v.alpcafes, v.pairs) for k, v in links.countries.items()} == {
        ("AT", "AT"): (2, 1),
        ("AT", "IT"): (1, 2),
    }
    assert {k: (v.alpcafes, v.pairs) for k, v in links.sectors.items()} == {
        ("ict", "wood"): (2, 3),
        ("wood", "wood"): (1, 1),
        ("ict", "ict"): (1, 1),
    }
    assert (links.attendees, links.met_abroad, links.share_abroad) == (4, 3, 75.0)
