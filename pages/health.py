"""Probes for load balancers and process supervisors.

``/healthz`` is liveness: the process answers requests. It touches no database and no cache, so a
database outage takes machines out of the load balancer (readiness) instead of getting every web
process restarted.

``/readyz`` is readiness: the database, the cache and the Celery broker each answer within a
short timeout. 200 with each check's result, or 503 naming what failed; the body never holds
addresses, names or error messages (those go to the log), only the kind of error.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import structlog
from celery import current_app
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_redis.cache import RedisCache as DjangoRedisCache

logger = structlog.get_logger(__name__)

# Seconds the broker may take to answer before it counts as failed. The cache gives up after its
# CACHE_CONNECT_TIMEOUT / CACHE_TIMEOUT, the database after the connect_timeout of DATABASE_URL
# (5 seconds unless it says otherwise).
CHECK_TIMEOUT = 2.0


def check_database() -> None:
    """A round trip on the connection this process serves requests with."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    """A value written and read back. On Redis through django-redis's own client (its timeouts,
    CACHE_CONNECT_TIMEOUT and CACHE_TIMEOUT): the cache itself ignores Redis errors by design
    (pages render uncached), which would hide them here."""
    cache = caches["default"]
    name = f"readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex.encode()
    if isinstance(cache, DjangoRedisCache):
        client = cache.client.get_client(write=True)
        key = cache.make_key(name)
        client.set(key, value, ex=10)
        read = client.get(key)
        client.delete(key)
    else:
        cache.set(name, value, 10)
        read = cache.get(name)
        cache.delete(name)
    if read != value:
        raise LookupError("the cache did not return the value just written")


def check_broker() -> None:
    """A connection to the broker tasks are sent to, made once (no retries)."""
    timeouts = {"socket_connect_timeout": CHECK_TIMEOUT, "socket_timeout": CHECK_TIMEOUT}
    with current_app.connection_for_write(
        connect_timeout=CHECK_TIMEOUT, transport_options=timeouts
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 — any failure of a dependency means "not ready"
            result = {"status": "error", "error": exc.__class__.__name__}
            logger.warning("readiness_check_failed", check=name, error=str(exc))
        else:
            result = {"status": "ok"}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


@never_cache
@require_safe
def healthz(request):
    """Liveness: 200 while the process answers."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when the database, the cache and the broker answer, else 503."""
    checks = run_checks()
    failed = [name for name, result in checks.items() if result["status"] != "ok"]
    body = {"status": "unavailable" if failed else "ok", "checks": checks}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)
