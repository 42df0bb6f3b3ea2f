from celery import shared_task

from . import services


@shared_task
def retention_purge_task() -> dict:
    """Run by beat every night."""
    return services.retention_purge()
