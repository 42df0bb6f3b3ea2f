"""Stakeholder import from a CSV file: read, validate every row with a form, create all or nothing.

``parse()`` is the dry run: it changes nothing and reports each row with its errors and the
stakeholders already in the registry it may duplicate. ``import_stakeholders()`` creates every row
of a valid result in one transaction. The admin parses the uploaded bytes again before importing,
so nothing shown in a preview is trusted on confirm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.csvimport import error_messages, overflow_error, read_rows

from . import selectors, services
from .models import Country, Sector, Stakeholder

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
COLUMNS = [
    "name",
    "kind",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "website",
    "description",
    "sectors",
    "is_partner",
    "state",
]
REQUIRED_COLUMNS = ["name", "kind", "country"]
# The similarity search costs two queries a row; past this many rows the preview only reports
# stakeholders with exactly the same name and country, found in one query.
SIMILARITY_MAX_ROWS = 300

TRUE_VALUES = {"yes", "true", "1"}
FALSE_VALUES = {"no", "false", "0", ""}
IMPORT_STATES = [Stakeholder.State.PUBLISHED, Stakeholder.State.PENDING]
COORDINATE_STEP = Decimal("0.00001")


@dataclass
class Row:
    """One line of the file: its number as a spreadsheet shows it (the header is row 1)."""

    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    duplicates: list[Stakeholder] = field(default_factory=list)
    data: dict | None = None


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def invalid_rows(self) -> list[Row]:
        return [row for row in self.rows if row.errors]

    @property
    def duplicate_rows(self) -> list[Row]:
        return [row for row in self.rows if row.duplicates]

    @property
    def is_valid(self) -> bool:
        return not self.errors and bool(self.rows) and not self.invalid_rows


def _choice_lookup(choices) -> dict[str, str]:
    """Codes and labels (English and the active language), case-insensitive, to codes."""
    lookup = {}
    for code, label in choices:
        lookup[code.casefold()] = code
        lookup[str(label).casefold()] = code
        with translation.override("en"):
            lookup[str(label).casefold()] = code
    return lookup


def _coordinate(value: str) -> str:
    """Accept a decimal comma (spreadsheets in de/fr/it/sl write one) and round to the five
    decimals the registry stores (about a metre) instead of refusing a GPS reading."""
    value = value.replace(",", ".")
    try:
        return str(Decimal(value).quantize(COORDINATE_STEP))
    except InvalidOperation:
        # Not a number, or not a finite one of a sensible size: the form says what is wrong.
        return value


class StakeholderRowForm(forms.ModelForm):
    """One row of the file; the model's own validation runs too (full_clean of a ModelForm)."""

    kind = forms.CharField(label=gettext_lazy("kind"))
    country = forms.CharField(label=gettext_lazy("country"))
    website = forms.URLField(
        label=gettext_lazy("website"), required=False, max_length=200, assume_scheme="https"
    )
    sectors = forms.CharField(label=gettext_lazy("sectors"), required=False)
    is_partner = forms.CharField(label=gettext_lazy("project partner"), required=False)
    state = forms.CharField(label=gettext_lazy("publication state"), required=False)

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "country",
            "region",
            "city",
            "latitude",
            "longitude",
            "website",
            "description",
            "is_partner",
            "state",
        ]

    def __init__(self, *args, sectors_by_name: dict[str, Sector], **kwargs):
        super().__init__(*args, **kwargs)
        self.sectors_by_name = sectors_by_name

    def clean_kind(self):
        value = self.cleaned_data["kind"]
        code = _choice_lookup(Stakeholder.Kind.choices).get(value.casefold())
        if code is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a kind; use one of: %(choices)s."),
                params={"value": value, "choices": ", ".join(Stakeholder.Kind.values)},
            )
        return code

    def clean_country(self):
        value = self.cleaned_data["country"]
        code = _choice_lookup(Country.choices).get(value.casefold())
        if code is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a country of the Alpine Space; use one of: %(choices)s."),
                params={"value": value, "choices": ", ".join(Country.values)},
            )
        return code

    def clean_latitude(self):
        value = self.cleaned_data["latitude"]
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError(_("A latitude lies between -90 and 90."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data["longitude"]
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError(_("A longitude lies between -180 and 180."))
        return value

    def clean_sectors(self):
        names = [name.strip() for name in self.cleaned_data["sectors"].split(";")]
        names = [name for name in names if name]
        unknown = [name for name in names if name.casefold() not in self.sectors_by_name]
        if unknown:
            raise forms.ValidationError(
                _("Unknown sector(s): %(names)s."), params={"names": ", ".join(unknown)}
            )
        return list({self.sectors_by_name[name.casefold()] for name in names})

    def clean_is_partner(self):
        value = self.cleaned_data["is_partner"].casefold()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise forms.ValidationError(
            _("“%(value)s” is not yes or no (yes/no, true/false, 1/0 or empty)."),
            params={"value": self.cleaned_data["is_partner"]},
        )

    def clean_state(self):
        value = self.cleaned_data["state"].casefold()
        if not value:
            return Stakeholder.State.PUBLISHED
        if value not in IMPORT_STATES:
            raise forms.ValidationError(
                _("“%(value)s” is not a state for an import; use published or pending."),
                params={"value": self.cleaned_data["state"]},
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if self.has_error("latitude") or self.has_error("longitude"):
            return cleaned
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return cleaned

    def create_kwargs(self) -> dict:
        """Arguments for services.stakeholder_create."""
        return {name: self.cleaned_data[name] for name in [*self.Meta.fields, "sectors"]}


def parse(data: bytes) -> ImportResult:
    """Validate a CSV file without changing anything.

    The header names the columns (any order, case-insensitive); unknown columns are ignored and
    reported. Rows that are entirely empty are skipped.
    """
    result = ImportResult()
    table = read_rows(
        data, columns=COLUMNS, required=REQUIRED_COLUMNS, max_bytes=MAX_BYTES, max_rows=MAX_ROWS
    )
    result.errors, result.ignored_columns = table.errors, table.ignored_columns
    if result.errors:
        return result

    sectors_by_name = {sector.name.casefold(): sector for sector in Sector.objects.all()}
    seen: dict[tuple[str, str], int] = {}
    for number, values, overflow in table.rows:
        row = Row(number=number, values=values)
        result.rows.append(row)
        if overflow:
            row.errors.append(overflow_error())
        form_data = {
            **values,
            "latitude": _coordinate(values["latitude"]),
            "longitude": _coordinate(values["longitude"]),
        }
        form = StakeholderRowForm(form_data, sectors_by_name=sectors_by_name)
        row.errors.extend(error_messages(form))
        country = form.cleaned_data.get("country") or values["country"].upper()
        key = (values["name"].casefold(), country)
        if values["name"] and key in seen:
            row.errors.append(_("Row %(row)d has the same name and country.") % {"row": seen[key]})
        seen.setdefault(key, number)
        if not row.errors:
            row.data = form.create_kwargs()

    _find_duplicates(result)
    return result


def _find_duplicates(result: ImportResult) -> None:
    """Attach to each valid row the stakeholders of the registry it may duplicate."""
    valid = [row for row in result.rows if row.data is not None]
    if not valid:
        return
    same_name: dict[tuple[str, str], list[Stakeholder]] = {}
    existing = Stakeholder.objects.annotate(lower_name=Lower("name")).filter(
        lower_name__in={row.data["name"].lower() for row in valid}
    )
    for stakeholder in existing:
        same_name.setdefault((stakeholder.lower_name, stakeholder.country), []).append(stakeholder)
    similar = len(valid) <= SIMILARITY_MAX_ROWS
    for row in valid:
        found = {
            s.pk: s for s in same_name.get((row.data["name"].lower(), row.data["country"]), [])
        }
        if similar:
            candidate = Stakeholder(
                name=row.data["name"], country=row.data["country"], website=row.data["website"]
            )
            for other in selectors.stakeholder_likely_duplicates(candidate):
                found.setdefault(other.pk, other)
        row.duplicates = list(found.values())


@transaction.atomic
def import_stakeholders(result: ImportResult) -> list[Stakeholder]:
    """Create every row of a valid result, origin "imported", in one transaction.

    Raises ValueError when the result has any error; a ValidationError from the service (a row
    that became invalid since the preview) rolls back every row created before it.
    """
    if not result.is_valid:
        raise ValueError("Only a result without errors can be imported.")
    return [
        services.stakeholder_create(origin=Stakeholder.Origin.IMPORTED, **row.data)
        for row in result.rows
    ]
