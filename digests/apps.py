from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = _("Digests")

    def ready(self):
        from . import mail  # noqa: F401 — registers the digest's kinds of mail with the outbox
