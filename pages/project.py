"""The facts of the AlpClusters 2020 project, shown in the footer and on the about page."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

NAME = "AlpClusters 2020"
PROGRAMME = _("Alpine Space 2007–2013")
START = date(2013, 8, 31)
END = date(2014, 11, 29)
PARTNERS = 6
BUDGET_EUR = Decimal("376352.00")
EU_COFUNDING_PERCENT = Decimal("64.6")
MAPPED_STAKEHOLDERS = 150
COUNTRIES = [
    _("Austria"),
    _("France"),
    _("Germany"),
    _("Italy"),
    _("Liechtenstein"),
    _("Slovenia"),
    _("Switzerland"),
]
