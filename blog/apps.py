from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Community blog")

    def ready(self):
        from common import sections

        from . import mail, privacy, receivers  # noqa: F401 — mail kinds, personal data, receivers
        from .selectors import alpcafe_reports_section

        # An AlpCafé's page links to the reports written about it.
        sections.register("alpcafes.detail", alpcafe_reports_section)
