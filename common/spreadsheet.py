"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV injection)."""

from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value
