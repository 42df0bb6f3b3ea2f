"""Clearing the cache without touching anyone else's keys.

The Redis database of the cache may be shared: with the Celery broker (one REDIS_URL for both), and
in tests with other runs. ``cache.clear()`` on Django's Redis backend would flush the whole
database, queued tasks included. The portal's keys all start with its key prefix (CACHE_KEY_PREFIX,
plus the run's id in tests), and this deletes only those.
"""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def clear_own_cache() -> int:
    """Deletes the portal's cache entries; returns how many (on Redis; 0 for other backends)."""
    # django.core.cache.cache is a proxy: the backend itself is caches["default"].
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return 0
    client = cache._cache.get_client(None, write=True)
    pattern = f"{cache.key_prefix}:*"
    deleted = 0
    batch = []
    for key in client.scan_iter(match=pattern, count=1000):
        batch.append(key)
        if len(batch) >= 500:
            deleted += client.delete(*batch)
            batch = []
    if batch:
        deleted += client.delete(*batch)
    return deleted
