"""Initiatives from a CSV file shaped like the programme's project database records: read and
validate every row (the dry run), then import all or nothing.

``parse()`` changes nothing: it reports each row with its errors, whether it creates an initiative
or updates the one with the same name and programme, and which partners it links to the
registry's stakeholders (by name, and country when given). ``import_initiatives()`` writes every
row of a valid result in one transaction. The admin parses the upload again before importing.

Columns (header names are case-insensitive; the programme database's own names are understood
too): name, programme, programme_period, start_date, end_date, budget_eur, eu_cofunding_percent,
website, lead_partner, partners, achievements. Partners are separated by semicolons, each written
“Name (CC)” with an optional two-letter country code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.csvimport import error_messages, overflow_error, read_rows
from stakeholders.models import Stakeholder

from . import services
from .models import Initiative
from .services import PartnerData

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
COLUMNS = [
    "name",
    "programme",
    "programme_period",
    "start_date",
    "end_date",
    "budget_eur",
    "eu_cofunding_percent",
    "website",
    "lead_partner",
    "partners",
    "achievements",
]
REQUIRED_COLUMNS = ["name", "programme", "start_date", "end_date"]
# The names a programme's project database export gives these columns.
ALIASES = {
    "project name": "name",
    "project": "name",
    "programme name": "programme",
    "program": "programme",
    "programming period": "programme_period",
    "programme period": "programme_period",
    "period": "programme_period",
    "start date": "start_date",
    "project start date": "start_date",
    "end date": "end_date",
    "project end date": "end_date",
    "total budget": "budget_eur",
    "total budget (eur)": "budget_eur",
    "budget": "budget_eur",
    "eu co-financing rate": "eu_cofunding_percent",
    "eu co-funding rate": "eu_cofunding_percent",
    "co-financing rate": "eu_cofunding_percent",
    "eu co-financing rate (%)": "eu_cofunding_percent",
    "project website": "website",
    "lead partner": "lead_partner",
    "partners": "partners",
    "project partners": "partners",
    "achievements": "achievements",
    "main achievements": "achievements",
    "results": "achievements",
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]
PARTNER = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<country>[A-Za-z]{2})\))?$")


@dataclass
class PartnerPreview:
    name: str
    country: str
    is_lead: bool
    stakeholder: Stakeholder | None = None


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    partners: list[PartnerPreview] = field(default_factory=list)
    existing: Initiative | None = None
    data: dict | None = None

    @property
    def unlinked(self) -> list[PartnerPreview]:
        return [p for p in self.partners if p.stakeholder is None]


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def invalid_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and not self.invalid_rows

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for row in self.rows if row.existing is not None)


def _date(value: str) -> str:
    """ISO dates, and the day-first dates of European spreadsheets, as ISO for the form."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value


def _amount(value: str) -> str:
    """“€376,352.00”, “376.352,00”, “376 352” → “376352.00”; anything else as it is."""
    text = re.sub(r"[€\s\u00a0\u202f]|EUR", "", value, flags=re.IGNORECASE)
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        # One comma before exactly three digits is a thousands separator, else a decimal comma.
        thousands = re.fullmatch(r"\d{1,3}(,\d{3})+", text)
        text = text.replace(",", "" if thousands else ".")
    try:
        Decimal(text)
    except InvalidOperation:
        return value
    return text


def _percent(value: str) -> str:
    return value.replace("%", "").replace(",", ".").strip()


class InitiativeRowForm(forms.ModelForm):
    """One record's facts; the model's own validation runs too (its constraints say when the
    dates or the rate are impossible)."""

    website = forms.URLField(
        label=gettext_lazy("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Initiative
        fields = [
            "name",
            "programme",
            "programme_period",
            "start_date",
            "end_date",
            "budget_eur",
            "eu_cofunding_percent",
            "website",
            "achievements",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_date", "end_date"):
            self.fields[name].input_formats = ["%Y-%m-%d"]
            self.fields[name].error_messages["invalid"] = _(
                "Enter a date as 2013-08-31, 31/08/2013 or 31.08.2013."
            )


def _partners(values: dict[str, str]) -> tuple[list[PartnerPreview], list[str]]:
    """The lead partner, then the others in their order; the lead written again among the
    partners (as databases often do) is kept once."""
    entries = [(values["lead_partner"], True)]
    entries += [(text, False) for text in re.split(r"[;\n]", values["partners"])]
    partners: dict[str, PartnerPreview] = {}
    errors = []
    for text, is_lead in entries:
        match = PARTNER.match(text.strip())
        if match is None:
            continue
        name, country = match["name"].strip(), (match["country"] or "").upper()
        if len(name) > 200:
            errors.append(_("The partner name “%(name)s…” is too long.") % {"name": name[:40]})
            continue
        partners.setdefault(name.casefold(), PartnerPreview(name, country, is_lead))
    return list(partners.values()), errors


def _link_partners(result: ImportResult) -> None:
    """Find each partner among the registry's stakeholders: same name (case-insensitive) and, when
    the record gives one, same country. Two candidates are an error: which one is meant?"""
    names = {p.name for row in result.rows for p in row.partners}
    if not names:
        return
    candidates: dict[str, list[Stakeholder]] = {}
    # SQLite lowers ASCII letters only: the exact names find “Übersee” there too.
    found = Stakeholder.objects.annotate(lower_name=Lower("name")).filter(
        Q(lower_name__in={name.lower() for name in names}) | Q(name__in=names)
    )
    for stakeholder in found.exclude(state=Stakeholder.State.REJECTED):
        candidates.setdefault(stakeholder.name.casefold(), []).append(stakeholder)
    for row in result.rows:
        linked: dict[int, str] = {}
        for partner in row.partners:
            matches = [
                s
                for s in candidates.get(partner.name.casefold(), [])
                if not partner.country or s.country == partner.country
            ]
            if len(matches) > 1:
                row.errors.append(
                    _(
                        "Partner “%(name)s” matches %(count)d stakeholders of the registry: "
                        "add its country, e.g. “%(name)s (%(country)s)”."
                    )
                    % {"name": partner.name, "count": len(matches), "country": matches[0].country}
                )
            elif matches:
                stakeholder = matches[0]
                if stakeholder.pk in linked:
                    row.errors.append(
                        _("Partners “%(first)s” and “%(second)s” are the same stakeholder.")
                        % {"first": linked[stakeholder.pk], "second": partner.name}
                    )
                linked[stakeholder.pk] = partner.name
                partner.stakeholder = stakeholder
                partner.country = partner.country or stakeholder.country


def parse(data: bytes) -> ImportResult:
    """Validate a CSV file without changing anything."""
    result = ImportResult()
    table = read_rows(
        data,
        columns=COLUMNS,
        required=REQUIRED_COLUMNS,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        aliases=ALIASES,
    )
    result.errors, result.ignored_columns = table.errors, table.ignored_columns
    if result.errors:
        return result
    seen: dict[tuple[str, str], int] = {}
    forms_by_row = {}
    for number, values, overflow in table.rows:
        row = Row(number=number, values=values)
        result.rows.append(row)
        if overflow:
            row.errors.append(overflow_error())
        form = InitiativeRowForm(
            {
                **values,
                "start_date": _date(values["start_date"]),
                "end_date": _date(values["end_date"]),
                "budget_eur": _amount(values["budget_eur"]),
                "eu_cofunding_percent": _percent(values["eu_cofunding_percent"]),
            }
        )
        row.errors.extend(error_messages(form))
        row.partners, partner_errors = _partners(values)
        row.errors.extend(partner_errors)
        key = (values["name"].casefold(), values["programme"].casefold())
        if values["name"] and key in seen:
            row.errors.append(
                _("Row %(row)d has the same name and programme.") % {"row": seen[key]}
            )
        seen.setdefault(key, number)
        forms_by_row[number] = form
    _link_partners(result)
    _find_existing(result)
    for row in result.rows:
        if not row.errors:
            form = forms_by_row[row.number]
            row.data = {name: form.cleaned_data[name] for name in InitiativeRowForm.Meta.fields}
    return result


def _find_existing(result: ImportResult) -> None:
    """The initiative each row would update: the one with the same name and programme."""
    names = {row.values["name"].lower() for row in result.rows}
    existing = {
        (i.name.lower(), i.programme.lower()): i
        for i in Initiative.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=names)
    }
    for row in result.rows:
        row.existing = existing.get((row.values["name"].lower(), row.values["programme"].lower()))


@transaction.atomic
def import_initiatives(result: ImportResult) -> list[Initiative]:
    """Create or update every row of a valid result, with its partners, in one transaction.

    Raises ValueError when the result has any error; a ValidationError from the services (a row
    that became invalid since the preview) rolls back every row written before it.
    """
    if not result.is_valid:
        raise ValueError("Only a result without errors can be imported.")
    imported = []
    for row in result.rows:
        partners = [PartnerData(p.name, p.country, p.is_lead, p.stakeholder) for p in row.partners]
        initiative, _created = services.initiative_import(facts=row.data, partners=partners)
        imported.append(initiative)
    return imported
