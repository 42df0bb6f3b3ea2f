"""Earlier cooperation projects ("initiatives") and their partners, linked to the registry.

The impact figures themselves are never stored: they are computed from the other apps' rows
(selectors.py) and cached per version of the data they read.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Stakeholder

# Programme names as the programmes write them, marked for translation: shown translated where a
# catalogue has them, as written otherwise.
PROGRAMME_NAMES = [
    gettext_noop("Alpine Space"),
    gettext_noop("Interreg Alpine Space"),
    gettext_noop("Interreg Italy–Austria"),
    gettext_noop("Interreg Italy–Switzerland"),
    gettext_noop("Interreg Italy–Slovenia"),
    gettext_noop("Interreg Central Europe"),
    gettext_noop("Horizon 2020"),
]


class Initiative(models.Model):
    """A cooperation project supported before (or beside) this one, as the programme's project
    database records it: its facts, its partners and what it achieved."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    programme = models.CharField(
        _("programme"), max_length=100, help_text=_("For example “Alpine Space”.")
    )
    programme_period = models.CharField(
        _("programming period"),
        max_length=20,
        blank=True,
        help_text=_("For example “2007–2013”."),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    budget_eur = models.DecimalField(
        _("total budget (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    eu_cofunding_percent = models.DecimalField(
        _("EU co-funding rate (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    website = models.URLField(_("website"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start_date", "name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
                violation_error_message=_("An initiative cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(eu_cofunding_percent__isnull=True)
                | models.Q(eu_cofunding_percent__gte=0, eu_cofunding_percent__lte=100),
                name="initiative_cofunding_is_a_percentage",
                violation_error_message=_("The EU co-funding rate lies between 0 and 100 %."),
            ),
            models.CheckConstraint(
                condition=models.Q(budget_eur__isnull=True) | models.Q(budget_eur__gte=0),
                name="initiative_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def programme_label(self) -> str:
        """The programme and its period in the reader's language: “Alpenraum 2007–2013”."""
        return " ".join(p for p in (gettext(self.programme), self.programme_period) if p)


class InitiativePartner(models.Model):
    """A partner of an initiative as the programme's record names it, linked to the registry's
    stakeholder when it is (or has become) one."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("initiative"),
    )
    stakeholder = models.ForeignKey(
        Stakeholder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative_partnerships",
        verbose_name=_("stakeholder in the registry"),
    )
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("A two-letter country code, e.g. AT."))],
    )
    is_lead = models.BooleanField(_("lead partner"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["initiative", "-is_lead", "position", "name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                "initiative", Lower("name"), name="initiative_partner_name_unique"
            ),
            models.UniqueConstraint(
                fields=["initiative", "stakeholder"],
                condition=models.Q(stakeholder__isnull=False),
                name="initiative_partner_stakeholder_unique",
                violation_error_message=_("This stakeholder is already a partner of it."),
            ),
            models.UniqueConstraint(
                fields=["initiative"],
                condition=models.Q(is_lead=True),
                name="initiative_one_lead_partner",
                violation_error_message=_("An initiative has one lead partner."),
            ),
        ]

    def __str__(self):
        return self.name
