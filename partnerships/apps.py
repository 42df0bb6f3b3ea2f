from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from common import sections
        from stakeholders.involvement import register_detail_section

        from . import mail, privacy  # noqa: F401 — kinds of mail, personal data
        from .selectors import alpcafe_section, stakeholder_section

        # A stakeholder's page lists its open partnership opportunities; an AlpCafé's page says
        # when it has 1:1 meetings.
        register_detail_section(stakeholder_section)
        sections.register("alpcafes.detail", alpcafe_section)
