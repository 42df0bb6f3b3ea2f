"""Thin tasks, run by beat: they call the services."""

from celery import shared_task

from . import services


@shared_task
def opportunity_reminders_task() -> int:
    """Remind the owners of opportunities that expire within two weeks (once per expiry date)."""
    return services.opportunity_reminders_queue()
