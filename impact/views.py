"""The impact page, its data as CSV, and the programme's indicators as CSV and spreadsheet: public,
aggregates only (no person is ever named)."""

import csv
import io

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from common.spreadsheet import safe_cell
from stakeholders.permissions import is_organiser

from . import reporting
from .forms import period_form
from .page import ImpactPage
from .selectors import impact_figures
from .spreadsheet import indicators_workbook


def _figures(request):
    form = period_form(request.GET)
    return form, impact_figures(form.period())


def _period_query(form) -> str:
    """The query string that carries a valid period to the downloads ("" for all of it)."""
    if not form.is_bound or not form.is_valid():
        return ""
    values = {name: form.cleaned_data.get(name) for name in ("from", "to")}
    return "&".join(f"{name}={value:%Y-%m-%d}" for name, value in values.items() if value)


@require_safe
def impact_page(request):
    form, figures = _figures(request)
    return render(
        request,
        "impact/page.html",
        {
            "form": form,
            "figures": figures,
            "totals": figures.totals,
            # The project's sentence is about all it achieved, whatever period is chosen.
            "headline": reporting.headline(
                impact_figures() if not figures.period.is_open else figures
            ),
            "period_query": _period_query(form),
            "report": ImpactPage(figures),
            "can_plan": is_organiser(request.user),
        },
    )


def _csv_response(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The byte-order mark makes spreadsheets read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(_plain(value)) for value in row])
    return response


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _filename(stem: str, form, extension: str) -> str:
    period = form.period()
    parts = [stem]
    if period.start:
        parts.append(f"from-{period.start:%Y-%m-%d}")
    if period.end:
        parts.append(f"to-{period.end:%Y-%m-%d}")
    return "-".join(parts) + f".{extension}"


def _bad_period(form) -> HttpResponse | None:
    """Downloads refuse an invalid period (the page shows the same message beside the form)."""
    if form.is_bound and not form.is_valid():
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return HttpResponseBadRequest(
            _("The period is not valid: %(errors)s") % {"errors": " ".join(messages)},
            content_type="text/plain; charset=utf-8",
        )
    return None


@require_safe
def data_csv(request, name):
    """The data of one chart or matrix as CSV."""
    if name not in reporting.DATA_TABLES:
        raise Http404
    form, figures = _figures(request)
    if error := _bad_period(form):
        return error
    table = reporting.DATA_TABLES[name](figures)
    return _csv_response(_filename(f"alpclusters-{name}", form, "csv"), table.keys, table.rows)


@require_safe
def export_csv(request):
    """The programme's indicators per country and kind, for the chosen period."""
    form, figures = _figures(request)
    if error := _bad_period(form):
        return error
    return _csv_response(
        _filename("alpclusters-indicators", form, "csv"),
        reporting.INDICATOR_KEYS,
        reporting.indicator_rows(figures),
    )


@require_safe
def export_xlsx(request):
    """The same indicators as a spreadsheet: a sheet of figures and one saying what they are."""
    form, figures = _figures(request)
    if error := _bad_period(form):
        return error
    buffer = io.BytesIO()
    indicators_workbook(figures).save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = _filename("alpclusters-indicators", form, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
