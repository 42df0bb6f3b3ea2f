from django.apps import AppConfig
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AlpcafesConfig(AppConfig):
    name = "alpcafes"
    verbose_name = _("AlpCafés")

    def ready(self):
        from stakeholders.involvement import register_detail_section, register_involved_condition

        from . import mail, privacy  # noqa: F401 — kinds of mail, personal data
        from .selectors import attended_section

        # A stakeholder is involved once one of its contacts attended an AlpCafé.
        register_involved_condition(Q(contacts__participations__attended_at__isnull=False))
        register_detail_section(attended_section)
