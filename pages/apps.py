from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages and audit trail")

    def ready(self):
        # What each request's log line says (receivers of django-structlog's signals).
        from common.versions import set_warm_scheduler

        from . import logs  # noqa: F401
        from .tasks import schedule_warm

        # After a write, the costly reads registered by the apps are computed again in a worker.
        set_warm_scheduler(schedule_warm)
