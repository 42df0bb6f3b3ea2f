"""The Celery app: configured from the ``CELERY_*`` Django settings, tasks autodiscovered; workers
and beat log as the web processes do (``LOGGING`` in the settings), a task's lines with its id.
"""

import logging.config
import os

from celery import Celery
from celery.signals import setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")

app = Celery("alpclusters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Binds each task's id (and the request id of whoever queued it) to its log lines, and logs its
# start and end with the duration.
app.steps["worker"].add(DjangoStructLogInitStep)


@setup_logging.connect
def _log_like_django(**kwargs):
    """Replaces Celery's own log format by the portal's (JSON in production)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
