from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollsConfig(AppConfig):
    name = "polls"
    verbose_name = _("Date polls")

    def ready(self):
        from alpcafes.preselections import register_preselection

        from . import mail, privacy  # noqa: F401 — kinds of mail, personal data
        from .selectors import poll_preselection

        # The invitation review of an AlpCafé takes the people who said yes or if need be to
        # the chosen date ("?poll=<id>"), without alpcafes knowing this app.
        register_preselection("poll", poll_preselection)
