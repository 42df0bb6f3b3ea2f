from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholder registry")

    def ready(self):
        from . import mail, receivers  # noqa: F401 — kinds of mail for the outbox; receivers
