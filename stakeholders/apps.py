from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Stakeholder registry")

    def ready(self):
        from common.versions import warm_after_change

        # Kinds of mail for the outbox, signal receivers, the personal data the registry holds.
        from . import mail, privacy, receivers  # noqa: F401
        from .selectors import warm_directory_counts

        # The directory's counts over the whole registry are ready again before the next visitor
        # after a change.
        warm_after_change(warm_directory_counts, "registry")
