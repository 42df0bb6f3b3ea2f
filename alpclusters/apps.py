from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlpclustersConfig(AppConfig):
    name = "alpclusters"
    verbose_name = _("AlpClusters site")
