"""Clearing the cache without touching anyone else's keys.

A test run shares the Redis server with other runs and services; ``cache.clear()`` on Django's
Redis backend would flush the whole database. Each run has a key prefix of its own (TEST_RUN_ID in
the settings), and this deletes only the keys under it.
"""

from django.core.cache import caches


def clear_own_cache() -> None:
    # django.core.cache.cache is a proxy: the backend itself is caches["default"].
    cache = caches["default"]
    if not hasattr(cache, "delete_pattern"):  # not Redis (the in-memory cache of make run)
        cache.clear()
        return
    # django-redis puts the key prefix (with the run id) in front of the pattern: only this
    # run's keys are deleted, by SCAN, never FLUSHDB.
    if not cache.key_prefix:
        raise RuntimeError("A test run on a shared Redis needs its own CACHE_KEY_PREFIX.")
    cache.delete_pattern("*", itersize=1000)
