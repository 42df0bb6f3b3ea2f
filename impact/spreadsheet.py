"""The programme's indicators as an .xlsx workbook (openpyxl): numbers as numbers, every text cell
as text that never starts a formula."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from common.spreadsheet import safe_cell

from . import reporting
from .selectors import Figures


def _cell(value):
    if isinstance(value, bool) or value is None:
        return safe_cell(value)
    if isinstance(value, int | float):
        return value
    return safe_cell(value)


def _write(sheet, rows) -> None:
    for row in rows:
        sheet.append([_cell(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Stored as text whatever it looks like: a formula is never evaluated.
                cell.data_type = "s"


def _period_text(figures: Figures) -> str:
    period = figures.period
    if period.is_open:
        return _("The whole history of the portal")
    start = date_format(period.start, "DATE_FORMAT") if period.start else "…"
    end = date_format(period.end, "DATE_FORMAT") if period.end else "…"
    return f"{start} – {end}"


def _computed(figures: Figures) -> str:
    return date_format(timezone.localtime(figures.computed_at), "DATETIME_FORMAT")


def indicators_workbook(figures: Figures) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Indicators")[:31]
    _write(sheet, [reporting.INDICATOR_KEYS, reporting.indicator_columns()])
    sheet["A1"].font = Font(italic=True)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    _write(sheet, reporting.indicator_rows(figures))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    for index, width in enumerate([8, 16, 18, 30, 12, 12, 14, 12, 8, 10, 13], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    about = workbook.create_sheet(_("About these figures")[:31])
    _write(
        about,
        [
            [_("AlpClusters: indicators for the programme")],
            [_("Period"), _period_text(figures)],
            [_("Computed"), _computed(figures)],
            [],
            *[[label, text] for label, text in reporting.definitions()],
        ],
    )
    about["A1"].font = Font(bold=True)
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 110
    return workbook
