"""Whole public pages cached for visitors who are not logged in.

Public pages are the same for every anonymous visitor in one language and change only when their
data does: a page is cached under its full address, the language and a version that the app bumps
on every write (e.g. stakeholders.selectors.registry_version), for five minutes. Logged-in members,
pages with messages to show, and responses that set cookies are never cached; public pages carry
no CSRF token for this reason (the language is chosen with a GET form).
"""

from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation

TIMEOUT = 300


def _key(request, version) -> str:
    return f"page:{version()}:{translation.get_language()}:{request.get_full_path()}"


def _cacheable(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    # A pending message belongs to this visitor alone (len() reads it without consuming it).
    return len(get_messages(request)) == 0


def public_page(view, *, version):
    """Serve ``view``'s anonymous responses from the cache while ``version()`` is unchanged."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request, version)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.cookies and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        return response

    return wrapped
