# Loaded with Django so that @shared_task binds to this app and on-commit queueing works.
from .celery import app as celery_app

__all__ = ["celery_app"]
