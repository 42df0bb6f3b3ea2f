"""The Celery app: configured from the ``CELERY_*`` Django settings, tasks autodiscovered; workers
and beat log as the web processes do (``LOGGING`` in the settings), a task's lines with its id.
"""

import logging.config
import os

from celery import Celery
from celery.signals import after_task_publish, before_task_publish, setup_logging
from django_structlog.celery.steps import DjangoStructLogInitStep

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")

app = Celery("alpclusters")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class _TaskLogStep(DjangoStructLogInitStep):
    """django-structlog's worker step: binds each task's id (and the request id of whoever queued
    it) to its log lines and logs its start and end with the duration. Its receivers for
    publishing are left out: django-structlog's app connects those in every process already
    (DJANGO_STRUCTLOG_CELERY_ENABLED), and twice would log each task sent twice."""

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        before_task_publish.disconnect(self.receiver.receiver_before_task_publish)
        after_task_publish.disconnect(self.receiver.receiver_after_task_publish)


app.steps["worker"].add(_TaskLogStep)


@setup_logging.connect
def _log_like_django(**kwargs):
    """Replaces Celery's own log format by the portal's (JSON in production)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
