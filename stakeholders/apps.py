from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholder registry")

    def ready(self):
        # Kinds of mail for the outbox, signal receivers, the personal data the registry holds.
        from . import mail, privacy, receivers  # noqa: F401
