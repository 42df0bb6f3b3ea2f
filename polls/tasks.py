"""Thin tasks, run by beat: they call the services that close due polls and queue reminders."""

from celery import shared_task

from . import services


@shared_task
def poll_housekeeping_task() -> dict[str, int]:
    """Close the polls whose time is up, then remind those who have not answered the open ones."""
    return {
        "closed": services.polls_close_due(),
        "reminded": services.poll_reminders_queue(),
    }
