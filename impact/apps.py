from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact and earlier initiatives")

    def ready(self):
        from stakeholders.involvement import register_detail_section

        from . import receivers  # noqa: F401 — partner links follow a merge of stakeholders
        from .selectors import initiatives_section

        # A stakeholder's page lists the earlier initiatives it took part in.
        register_detail_section(initiatives_section)
