from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = _("Community blog")

    def ready(self):
        from . import receivers  # noqa: F401 — connects the signal receivers
