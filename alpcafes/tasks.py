"""Thin tasks, run by beat: they call the services that select and queue reminders."""

from celery import shared_task

from . import services


@shared_task
def queue_reminders_task() -> int:
    return services.reminders_queue()


@shared_task
def queue_outcome_reminders_task() -> int:
    return services.outcome_reminders_queue()
