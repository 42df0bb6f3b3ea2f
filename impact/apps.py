from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = _("Impact and earlier initiatives")

    def ready(self):
        from common.versions import warm_after_change
        from stakeholders.involvement import register_detail_section

        from . import receivers  # noqa: F401 — partner links follow a merge of stakeholders
        from .selectors import DOMAINS, impact_figures, initiatives_section

        # A stakeholder's page lists the earlier initiatives it took part in.
        register_detail_section(initiatives_section)

        # The figures (the impact page's, and the home page's headline) are ready again before
        # the next visitor after a change.
        warm_after_change(impact_figures, *DOMAINS)
