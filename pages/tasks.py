from celery import shared_task
from django.core.cache import cache
from kombu.exceptions import OperationalError

from common import versions

from . import services

#: A write schedules at most one warming per domain at a time; the rest of a burst joins it.
WARM_DELAY = 1
WARM_FLAG_TIMEOUT = 60


def _flag(domain: str) -> str:
    return f"warming:{domain}"


def schedule_warm(domain: str) -> None:
    """Warm ``domain``'s costly reads in a worker a second from now, unless that is already
    planned (a burst of writes warms once). A broker that is down is no error: the next visitor
    computes them."""
    if not cache.add(_flag(domain), 1, timeout=WARM_FLAG_TIMEOUT):
        return
    try:
        warm_caches_task.apply_async(kwargs={"domains": [domain]}, countdown=WARM_DELAY)
    except OperationalError:
        cache.delete(_flag(domain))


@shared_task(ignore_result=True)
def warm_caches_task(domains: list[str]) -> int:
    """Compute again, for the current versions, what is costly to read after a change."""
    cache.delete_many([_flag(domain) for domain in domains])  # a later write plans another
    functions = versions.warmers_for(domains)
    for function in functions:
        function()
    return len(functions)


@shared_task
def retention_purge_task() -> dict:
    """Run by beat every night."""
    return services.retention_purge()
