"""Clearing the cache without touching anyone else's keys.

A test run shares the Redis server with other runs and services; ``cache.clear()`` on Django's
Redis backend would flush the whole database. Each run has a key prefix of its own (TEST_RUN_ID in
the settings), and this deletes only the keys under it.
"""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def clear_own_cache() -> None:
    # django.core.cache.cache is a proxy: the backend itself is caches["default"].
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(None, write=True)
    pattern = f"{cache.key_prefix}:*"
    batch = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 500:
            client.delete(*batch)
            batch = []
    if batch:
        client.delete(*batch)
