"""Queue Celery tasks once the current transaction commits, never failing the request."""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *, run_inline_if_broker_down: bool = False, **kwargs) -> None:
    """Send ``task`` with ``kwargs`` to the broker after the commit.

    If the broker is unreachable the request still succeeds: an outbox-backed task (the default)
    is left to its periodic sweep, which finds the unsent rows; a task without an outbox row runs
    in this process instead (``run_inline_if_broker_down``) so that nothing is lost.
    """
    transaction.on_commit(partial(_send, task, kwargs, run_inline_if_broker_down))


def _send(task, kwargs: dict, run_inline: bool) -> None:
    try:
        task.apply_async(kwargs=kwargs)
    except OperationalError:
        if run_inline:
            logger.warning("Broker unreachable; running %s in the web process", task.name)
            task.apply(kwargs=kwargs, throw=True)
        else:
            logger.warning("Broker unreachable; %s is left to the outbox sweep", task.name)
