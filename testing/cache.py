"""Clearing the cache without touching anyone else's keys: each test run has a key prefix of its
own (TEST_RUN_ID in the settings), and common/cache.py deletes only the keys under it."""

from common.cache import clear_own_cache

__all__ = ["clear_own_cache"]
