"""The parts of the impact page, each built from the figures only when a template first asks for
it: a page whose body comes from the cache (templates/impact/page.html) builds none of them."""

from functools import cached_property

from django.utils.translation import gettext as _

from . import charts, reporting
from .selectors import Figures


class ImpactPage:
    def __init__(self, figures: Figures):
        self.figures = figures

    @cached_property
    def countries(self) -> reporting.Table:
        return reporting.countries_table(self.figures)

    @cached_property
    def kinds(self) -> reporting.Table:
        return reporting.kinds_table(self.figures)

    @cached_property
    def sectors(self) -> reporting.Table:
        return reporting.sectors_table(self.figures)

    @cached_property
    def growth(self) -> reporting.Table:
        return reporting.growth_table(self.figures)

    @cached_property
    def growth_rows(self) -> list[list]:
        """The months in which something changed: the CSV has every month."""
        rows = self.growth.rows
        return [
            row
            for row, before in zip(rows, [None, *rows], strict=False)
            if before is None or row[1:4] != before[1:4]
        ]

    def _bars(self, chart_id: str, table: reporting.Table) -> charts.BarChart:
        rows = [(row[1], [row[2], row[3]]) for row in table.rows]
        return charts.bar_chart(chart_id, rows, [_("Mapped"), _("Involved")])

    @cached_property
    def country_chart(self) -> charts.BarChart:
        return self._bars("chart-countries", self.countries)

    @cached_property
    def kind_chart(self) -> charts.BarChart:
        return self._bars("chart-kinds", self.kinds)

    @cached_property
    def sector_chart(self) -> charts.BarChart:
        return self._bars("chart-sectors", self.sectors)

    @cached_property
    def growth_chart(self) -> charts.LineChart:
        growth = self.figures.growth
        return charts.line_chart(
            "chart-growth",
            [m.month for m in growth],
            [
                (_("Mapped"), [m.mapped for m in growth]),
                (_("Involved"), [m.involved for m in growth]),
            ],
            [m.alpcafes_in_month for m in growth],
        )

    @cached_property
    def coverage(self) -> reporting.Coverage:
        return reporting.coverage(self.figures)

    @cached_property
    def country_matrix(self) -> reporting.Matrix:
        return reporting.country_matrix(self.figures)

    @cached_property
    def sector_matrix(self) -> reporting.Matrix:
        return reporting.sector_matrix(self.figures)

    @cached_property
    def initiatives(self) -> reporting.Table:
        return reporting.initiatives_table(self.figures)

    @cached_property
    def definitions(self) -> list[tuple[str, str]]:
        return reporting.definitions()
