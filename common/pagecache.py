"""Whole public pages, cached for visitors who are not logged in, and HTTP caching for browsers
and reverse proxies.

A public page is the same for every anonymous visitor in one language, and changes only when the
data it reads does. Each is declared with the data domains it reads (common/versions.py):

    path("", public_page(views.directory, domains=("registry",)), name="directory")

and is then cached under its full address, the language and a five-minute time slot (pages that
show what is "upcoming" change with the clock too), together with the versions of those domains it
was made from. A request reads the current versions and the kept page in one round trip and
serves the page only if its versions are the current ones: a write to a domain bumps its version,
so the next visitor gets the new page at once; nothing is ever invalidated by hand.

The same key is the page's ETag, and the latest change of its domains its Last-Modified: a
browser or proxy that asks again with If-None-Match gets a 304 before any work is done.
Anonymous pages carry ``Cache-Control: public, max-age=0, s-maxage=60`` (a reverse proxy may
answer for a minute; browsers revalidate); any response to a logged-in member carries
``private, no-store`` (MemberPagesPrivateMiddleware) and is never cached, nor are responses with
messages for the visitor, responses that set a cookie, or pages that would carry a CSP nonce or a
CSRF token (their HTML is one visitor's).
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags

from .release import current_release
from .versions import data_state_with

TIMEOUT = 300
#: Seconds a shared cache (a reverse proxy) may answer for a public page without asking us.
PROXY_MAX_AGE = 60
PUBLIC = {"public": True, "max_age": 0, "s_maxage": PROXY_MAX_AGE}


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # A pending message belongs to this visitor alone (len() reads it without consuming it).
    return len(get_messages(request)) == 0


def _address(request) -> str:
    """What a kept page is kept for: the release, the five-minute slot, the language and the full
    address."""
    slot = int(time.time() // TIMEOUT)
    return f"{current_release()}|{slot}|{translation.get_language()}|{request.get_full_path()}"


def _digest(raw: str) -> str:
    return hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()


def _etag(address: str, versions: str) -> str:
    """The page's ETag: its address and the versions of its data."""
    return _digest(f"{versions}|{address}")


def _page_key(address: str) -> str:
    """Where the page of ``address`` is kept; the value names the versions it was made from."""
    return "page:" + _digest(address)


def _headers(response, etag: str, changed_at: float | None) -> None:
    response["ETag"] = f'"{etag}"'
    if changed_at:
        response["Last-Modified"] = http_date(changed_at)
    patch_cache_control(response, **PUBLIC)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])


def _private_html(response) -> bool:
    """Whether the page carries something of this visitor's own (then it is not shared)."""
    if response.cookies:
        return True  # a CSRF or language cookie was set: the page holds its token
    policy = response.get("Content-Security-Policy", "")
    return "'nonce-" in policy


#: Headers of the view's response that a hit repeats (an export's file name).
KEPT_HEADERS = ("Content-Disposition", "Content-Language")

#: What every page reads: the footer shows the project's facts and links its partners' pages.
EVERY_PAGE = ("initiatives", "registry")


def public_page(view, *, domains: tuple[str, ...] = ()):
    """Serve ``view``'s anonymous responses from the cache while ``domains`` (and the footer's)
    are unchanged."""
    domains = tuple(dict.fromkeys((*EVERY_PAGE, *domains)))

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.page_domains = domains  # what the page's content fragments depend on too
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        # One round trip: the versions the page must match and the page last kept for this
        # address, which is served only if it was made from those same versions.
        address = _address(request)
        key = _page_key(address)
        versions, changed_at, kept_page = data_state_with(domains, key)
        etag = _etag(address, versions)
        if f'"{etag}"' in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            _headers(response, etag, changed_at)
            response["X-Page-Cache"] = "not-modified"
            return response
        if kept_page is not None and kept_page[0] == versions:
            _, content, content_type, kept = kept_page
            response = HttpResponse(content, content_type=content_type)
            for name, value in kept:
                response[name] = value
            _headers(response, etag, changed_at)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        if response.streaming:  # an export: revalidated by its ETag, not kept whole
            _headers(response, etag, changed_at)
            return response
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if _private_html(response):
            return response
        kept = [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)]
        cache.set(key, (versions, response.content, response["Content-Type"], kept), TIMEOUT)
        _headers(response, etag, changed_at)
        return response

    return wrapped


class MemberPagesPrivateMiddleware:
    """No shared cache stores a logged-in member's page, and no browser keeps it: a member's page
    shows their name, their menu and sometimes other people's addresses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
