from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Community blog")

    def ready(self):
        from . import mail, receivers  # noqa: F401 — kinds of mail for the outbox; receivers
