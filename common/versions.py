"""Versions of the data, one counter per domain, kept in the shared cache.

Cached pages and figures put the versions of the data they read into their cache keys; every
write to a domain bumps its counter (after the commit), so whatever was cached from the old data
is never read again and simply expires. One mechanism for every app:

- ``registry``: stakeholders, contacts' listing consents, attendance (what "involved" reads);
- ``alpcafes``: AlpCafés (their state, time and place);
- ``blog``: posts' publication, proposals and endorsements;
- ``initiatives``: the catalogue of earlier initiatives and their partners.

A domain never written yet reads as version 1. When the cache forgets a counter (eviction, a
restart of Redis), it starts again at 1 — any entry cached under that number was written before
the counter was lost, so a page may look five minutes old at worst (the cache entries' timeout).
"""

from django.core.cache import cache

DOMAINS = ("registry", "alpcafes", "blog", "initiatives")


def _key(domain: str) -> str:
    if domain not in DOMAINS:
        raise ValueError(f"Unknown data domain {domain!r}; add it to common.versions.DOMAINS.")
    return f"version:{domain}"


def data_version(*domains: str) -> str:
    """The versions of ``domains`` as one string for a cache key, read in one round trip."""
    keys = [_key(domain) for domain in domains]
    found = cache.get_many(keys)
    missing = {key: 1 for key in keys if key not in found}
    if missing:
        cache.set_many(missing, timeout=None)
    return ".".join(str(found.get(key, 1)) for key in keys)


def data_changed(domain: str) -> None:
    """Make everything cached from ``domain`` stale (call it once the write is committed)."""
    key = _key(domain)
    try:
        cache.incr(key)
    except ValueError:  # never read yet, or forgotten: any new number beats the default 1
        cache.set(key, 2, timeout=None)


def changed_on_commit(*domains: str) -> None:
    """Bump ``domains`` once the current transaction commits (at once outside of one)."""
    from django.db import transaction

    for domain in domains:
        _key(domain)  # an unknown domain fails here, in the writer, not after the commit
        transaction.on_commit(lambda domain=domain: data_changed(domain))


class AdminDeleteChangesVersions:
    """A ModelAdmin mixin: rows deleted in the admin make ``version_domains`` stale, like the
    services' writes do."""

    version_domains: tuple[str, ...] = ()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        changed_on_commit(*self.version_domains)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        changed_on_commit(*self.version_domains)
