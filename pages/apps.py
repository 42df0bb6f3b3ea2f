from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages and audit trail")

    def ready(self):
        # What each request's log line says (receivers of django-structlog's signals).
        from . import logs  # noqa: F401
