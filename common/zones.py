"""Time zones as the reader reads them: the abbreviation that is right for the date (CET in
winter, CEST in summer) in the active language (MEZ/MESZ, HNEC/HAEC, CET/CEST, SEČ/SPEČ)."""

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ZONE_ABBREVIATIONS = {
    "CET": (pgettext_lazy("time zone", "CET"), _("Central European Time")),
    "CEST": (pgettext_lazy("time zone", "CEST"), _("Central European Summer Time")),
}


def zone_abbreviation(local: datetime) -> tuple[str, str]:
    """(abbreviation, full name) of the zone at this moment, in the active language."""
    name = local.tzname() or ""
    short, full = ZONE_ABBREVIATIONS.get(name, (name, name))
    return str(short), str(full)
