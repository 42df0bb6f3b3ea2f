"""Versions of the data, one counter per domain, kept in the shared cache.

Cached pages and figures put the versions of the data they read into their cache keys; every
write to a domain bumps its counter (after the commit), so whatever was cached from the old data
is never read again and simply expires. One mechanism for every app:

- ``registry``: stakeholders, contacts' listing consents, attendance (what "involved" reads);
- ``alpcafes``: AlpCafés (their state, time and place);
- ``blog``: posts' publication, proposals and endorsements;
- ``initiatives``: the catalogue of earlier initiatives and their partners;
- ``partnerships``: partnership opportunities, expressions of interest and AlpCafé meetings.

A counter the cache does not hold (never written, evicted, Redis restarted) starts again from
the current time in milliseconds, and a write that finds none sets one the same way: a counter
that was lost can never come back to a number already used (that would take more writes than
milliseconds passed), so neither a cached page nor a browser's ETag from before is taken for
current. Beside each counter, the time of the domain's last change gives pages their
Last-Modified.
"""

import time
from contextvars import ContextVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started

DOMAINS = ("registry", "alpcafes", "blog", "initiatives", "partnerships")


def _key(domain: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"Unknown data domain {domain!r}; add it to common.versions.DOMAINS.")
    return f"version:{domain}"


def _at_key(domain: str) -> str:
    return f"version-at:{domain}"


# Within one request the versions are read once: the page cache, the footer and the figures all
# ask. Reset when a request starts (and by any change); outside requests (tasks) nothing is kept.
_request_memo: ContextVar[dict | None] = ContextVar("data_state_memo", default=None)


def _start_request(**kwargs) -> None:
    _request_memo.set({})


def _end_request(**kwargs) -> None:
    _request_memo.set(None)


request_started.connect(_start_request, dispatch_uid="common.versions.start_request")
request_finished.connect(_end_request, dispatch_uid="common.versions.end_request")


def data_state(*domains: str) -> tuple[str, float | None]:
    """The versions of ``domains`` as one string for a cache key, and the time of the latest
    change among them (a Unix time; None when unknown), read in one round trip."""
    versions, changed_at, _ = data_state_with(domains)
    return versions, changed_at


def data_state_with(domains: tuple[str, ...], extra_key: str | None = None):
    """``data_state(*domains)`` and the cached value under ``extra_key`` (None when absent), read
    in the same round trip: the page cache asks for a page and the versions it must match at
    once. Each domain's state is kept for the rest of the request."""
    memo = _request_memo.get()
    known = memo if memo is not None else {}
    wanted = [domain for domain in domains if domain not in known]
    extra = None
    if wanted or extra_key is not None:
        found, extra = _read_state(tuple(wanted), extra_key)
        known = {**known, **found}
        if memo is not None:
            memo.update(found)
    states = [known[domain] for domain in domains]
    times = [at for _, at in states]
    changed_at = max(times) if times and None not in times else None
    return ".".join(str(version) for version, _ in states), changed_at, extra


def _read_state(domains: tuple[str, ...], extra_key: str | None):
    """{domain: (version, changed_at)} for ``domains``, and the value under ``extra_key``."""
    keys = [_key(domain) for domain in domains]
    at_keys = [_at_key(domain) for domain in domains]
    found = cache.get_many(keys + at_keys + ([extra_key] if extra_key else []))
    extra = found.pop(extra_key, None) if extra_key else None
    missing = {key: _fresh() for key in keys if key not in found}
    if missing:
        # A counter the cache did not hold: its domain is taken as changed now. add(), not
        # set(): two processes meeting a missing counter keep the first one's value.
        now = time.time()
        for domain in domains:
            if _key(domain) in missing:
                cache.add(_key(domain), missing[_key(domain)], timeout=None)
                cache.add(_at_key(domain), now, timeout=None)
        found.update(cache.get_many(list(missing) + at_keys))
        extra = None  # the page was cached under versions that are gone
    # found.get: a cache that is down answers nothing, and the page is simply not cached.
    return {
        domain: (found.get(key, missing.get(key)), found.get(at_key))
        for domain, key, at_key in zip(domains, keys, at_keys, strict=True)
    }, extra


def _fresh() -> int:
    return time.time_ns() // 1_000_000


def data_version(*domains: str) -> str:
    """The versions of ``domains`` as one string for a cache key, read in one round trip."""
    return data_state(*domains)[0]


def data_changed(domain: str) -> None:
    """Make everything cached from ``domain`` stale (call it once the write is committed)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()
    key = _key(domain)
    try:
        cache.incr(key)
    except ValueError:  # never read yet, or forgotten: a number never used before
        cache.set(key, _fresh(), timeout=None)
    cache.set(_at_key(domain), time.time(), timeout=None)


def changed_on_commit(*domains: str) -> None:
    """Bump ``domains`` once the current transaction commits (at once outside of one), then have
    what is costly to compute from them computed again ahead of the next visitor."""
    from django.db import transaction

    for domain in domains:
        _key(domain)  # an unknown domain fails here, in the writer, not after the commit
        transaction.on_commit(lambda domain=domain: changed_and_warm(domain))


def changed_and_warm(domain: str) -> None:
    """``data_changed`` for a service's committed write, and the warming of what is costly to
    read from ``domain`` (below)."""
    data_changed(domain)
    if _warmers.get(domain) and _scheduler is not None:
        _scheduler(domain)


# --- Warming ahead of the next visitor -----------------------------------------------------------
#
# Some reads cost a hundred milliseconds on a large registry (the directory's counts over every
# stakeholder, the impact figures) and are cached per version: after a write, the first visitor
# would wait for them. Apps register such a read for the domains it depends on; after a service's
# write the site's scheduler (pages app: a Celery task, debounced) calls it for the new version.

_warmers: dict[str, list] = {}
_scheduler = None


def warm_after_change(function, *domains: str) -> None:
    """Call ``function()`` (which computes and caches something) after each change to
    ``domains``."""
    for domain in domains:
        _key(domain)
        if function not in _warmers.setdefault(domain, []):
            _warmers[domain].append(function)


def warmers_for(domains) -> list:
    found: list = []
    for domain in domains:
        found += [function for function in _warmers.get(domain, ()) if function not in found]
    return found


def set_warm_scheduler(schedule) -> None:
    """``schedule(domain)`` arranges for ``warmers_for([domain])`` to run soon."""
    global _scheduler  # set once at start-up by the app that owns the task
    _scheduler = schedule


class AdminChangesVersions:
    """A ModelAdmin mixin: rows added, changed or deleted in the admin make ``version_domains``
    stale, as the services' writes do (cached pages show the change at once)."""

    version_domains: tuple[str, ...] = ()

    def save_related(self, request, form, formsets, change):
        # Called after the object and its inlines are saved, for an addition as for a change.
        super().save_related(request, form, formsets, change)
        changed_on_commit(*self.version_domains)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        changed_on_commit(*self.version_domains)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        changed_on_commit(*self.version_domains)
