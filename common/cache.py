"""The cache backend: django-redis, which degrades to "no cache" when Redis cannot be reached
(IGNORE_EXCEPTIONS), with one change for that case.

While Redis is down, django-redis answers ``add()`` with None, read as "not added". allauth's
rate limits take a lock with ``add()`` and, never getting it, refuse every log-in after a wait;
django-ratelimit counts from ``add()`` too. Answering True instead ("added: you are the first")
lets both count from zero: log-in and writing keep working during the outage, unlimited, as
RATELIMIT_FAIL_OPEN says for our own limits. Everything else keeps django-redis's behaviour.
"""

import time

import redis
from django_redis.cache import RedisCache, omit_exception
from redis.backoff import NoBackoff
from redis.retry import Retry


class PortalRedisCache(RedisCache):
    @omit_exception(return_value=True)
    def add(self, *args, **kwargs):
        return self.client.add(*args, **kwargs)


# --- While Redis is unreachable ---------------------------------------------------------------
# Each request makes a few cache calls. Were each to try to connect to a Redis that does not
# answer (a stopped machine times out rather than refusing), every page would wait for those
# timeouts. After a failed connection, the connections of this process give up at once for
# DOWN_FOR seconds, then one tries again.

DOWN_FOR = 5.0
_down_until: dict[tuple[str, int], float] = {}


class BreakerConnection(redis.connection.Connection):
    def connect(self):
        server = (self.host, self.port)
        if time.monotonic() < _down_until.get(server, 0.0):
            raise redis.exceptions.ConnectionError("Redis was unreachable a moment ago")
        try:
            super().connect()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
            _down_until[server] = time.monotonic() + DOWN_FOR
            raise
        _down_until.pop(server, None)


def pool_options() -> dict:
    """django-redis's CONNECTION_POOL_KWARGS: the breaker, and no retries with back-off (the
    request would wait for them; the next request tries anew)."""
    return {"connection_class": BreakerConnection, "retry": Retry(NoBackoff(), 0)}


# --- Clearing the portal's own keys ---------------------------------------------------------------


def clear_own_cache() -> int | None:
    """Deletes the portal's cache entries, its key prefix only (CACHE_KEY_PREFIX, plus the run's
    id in tests), by SCAN, never FLUSHDB: the Celery broker or another test run may share the
    Redis database. Returns how many were deleted (0 for the in-memory cache of make run), None
    when Redis did not answer (django-redis ignores the error)."""
    from django.core.cache import caches

    # django.core.cache.cache is a proxy: the backend itself is caches["default"].
    cache = caches["default"]
    if not hasattr(cache, "delete_pattern"):  # not Redis (the in-memory cache of make run)
        cache.clear()
        return 0
    if not cache.key_prefix:
        raise RuntimeError("Clearing a shared Redis needs a CACHE_KEY_PREFIX of the portal's own.")
    return cache.delete_pattern("*", itersize=1000)
