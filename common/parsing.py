"""The one place that reads ids and dates typed or sent by people: bad input is None, never an
exception deep in the database (Unicode digits, numbers beyond 64 bits, NUL bytes…)."""

import datetime as dt

#: The largest id PostgreSQL's bigint holds.
MAX_ID = 2**63 - 1
#: Dates people may save: wide enough for any plan, narrow enough that no page breaks on them.
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_id(value) -> int | None:
    """A database id from a query or form value: ASCII digits only, within bigint; else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_ids(values) -> list[int]:
    """The valid ids among ``values`` (the others are dropped)."""
    return [number for number in map(parse_id, values) if number is not None]


def sane_date(value: dt.date | dt.datetime | None) -> bool:
    """Whether a date lies in the years the portal accepts (None counts as fine)."""
    return value is None or MIN_YEAR <= value.year <= MAX_YEAR
