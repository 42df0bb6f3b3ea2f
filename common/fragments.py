"""Rendered fragments kept in the memory of each web process, keyed by what they show.

A card on a list (a post, a stakeholder, an AlpCafé) or the site's footer is the same HTML for
everyone who sees the same data in the same language. ``{% fragment key… %}`` renders its content
once per key and keeps it: the key is the release, the language and the values the fragment shows
(a model's ``card_key``), so a change to any of them makes a new key — nothing is ever
invalidated by hand, and after one post changes only its own card is rendered again. Old keys
fall out of a bounded least-recently-used store.

The memory of the process rather than Redis: a list of twenty cards would otherwise cost a round
trip and twenty unpicklings, and a fragment is cheap to render once per process.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from functools import partial

from django.http import QueryDict
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from .pagecache import EVERY_PAGE, TIMEOUT
from .release import current_release
from .versions import data_version

SIZE = 20_000
#: Characters of HTML kept at most (about 2 bytes each in memory at worst): a page's whole
#: content is tens of kilobytes, and a crawler walking every combination of filters must not
#: grow a process without bound.
BUDGET = 32_000_000


def _weight(value) -> int:
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, tuple):
        return sum(_weight(part) for part in value)
    return 1_000


class _Store:
    def __init__(self, size: int, budget: int = BUDGET):
        self.size = size
        self.budget = budget
        self.weight = 0
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            html = self.items.get(key)
            if html is not None:
                self.items.move_to_end(key)
            return html

    def put(self, key, html) -> None:
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.weight -= _weight(old)
            self.items[key] = html
            self.weight += _weight(html)
            while len(self.items) > self.size or (
                self.weight > self.budget and len(self.items) > 1
            ):
                _, dropped = self.items.popitem(last=False)
                self.weight -= _weight(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.weight = 0


store = _Store(SIZE)


def key_for(*values) -> tuple:
    return (current_release(), translation.get_language(), *values)


def kept(key: tuple, render):
    """``render()``'s result, made once per ``key`` (with the release and the language) and
    kept: for what is not a template's fragment (a feed's document)."""
    full = key_for(*key)
    value = store.get(full)
    if value is None:
        value = render()
        store.put(full, value)
    return value


# --- A page's main content ----------------------------------------------------------------------
#
# The page cache keeps whole pages per address; when it misses (a new address, a new five-minute
# slot, a member's request) the page's main content can still be the same as someone else's. A
# view gives its template a ``content_key`` and its data as ``lazy_context``; the template wraps
# what is the same for everyone in ``{% fragment content_key %}``: when the fragment is kept, the
# data is never read.


def content_key(
    request, name: str, *, params=(), upcoming: bool = False, extra=(), domains=None
) -> tuple:
    """What a page's shared content depends on: the versions of the data the page reads (the
    domains its page cache reads, already fetched in this request), the values of the parameters
    the page understands (any other, such as a campaign tag, changes nothing it shows), whether
    the visitor is logged in, for pages that show what is upcoming the five-minute slot, and
    ``extra``: whatever else the content shows that differs between visitors (a permission).
    ``domains``: for a view that is not a public page (common/pagecache.py), the data domains
    its content reads."""
    domains = domains or getattr(request, "page_domains", EVERY_PAGE)
    query = tuple(
        (param, tuple(request.GET.getlist(param)))
        for param in sorted(params)
        if param in request.GET
    )
    # As a digest: the values are the visitor's, of any length, and the key stays in memory.
    query = hashlib.blake2b(repr(query).encode(), digest_size=16).hexdigest() if query else ""
    slot = int(time.time() // TIMEOUT) if upcoming else None
    return (name, data_version(*domains), query, request.user.is_authenticated, slot, *extra)


#: What ``current_object`` keeps for an object that does not exist (None means "not kept").
_NONE = object()


def current_object(request, name: str, queryset, *, domains=None, **lookup):
    """The object ``queryset`` finds with ``lookup`` (None if none), as of the versions of the
    data the page reads: kept in the process like the page's content, so that a page whose
    content is kept reads no row for it. A write bumps the versions, and the next request reads
    the row again. Each request gets its own copy (what a view sets on it stays in the request).
    ``name`` tells apart querysets of one model that read different columns; ``domains``, when
    the view is not a public page's, the data domains the object belongs to."""
    domains = domains or getattr(request, "page_domains", EVERY_PAGE)
    key = ("object", name, tuple(sorted(lookup.items())), data_version(*domains))
    found = kept(key, lambda: queryset.filter(**lookup).first() or _NONE)
    return None if found is _NONE else copy.copy(found)


def canonical_query(request, params) -> str:
    """The query string with only the parameters the page understands, the page number left out
    (the pagination links add it): for the page's own links, so that they are the same for
    everyone who sees the same content."""
    query = QueryDict(mutable=True)
    for param in params:
        if param != "page" and param in request.GET:
            query.setlist(param, request.GET.getlist(param))
    return query.urlencode()


def lazy_context(compute, *names: str) -> dict:
    """``compute()``'s dict as template variables that call it only when a template reads one of
    them (once, whichever is first): a page whose content fragment is kept reads no data."""
    computed: dict = {}

    def value(name):
        if not computed:
            computed.update(compute())
        return computed[name]

    return {name: SimpleLazyObject(partial(value, name)) for name in names}


# --- A whole page, with the parts that are one visitor's own --------------------------------------
#
# A member's page is the visitors' page with a few parts of their own: their menu, their
# messages, their buttons and forms (with their CSRF token). A view that gives its template a
# ``page_key`` has the whole page kept as a fragment (templates/base.html); what is the member's
# own is marked ``{% personal %}`` (or is a fragment with no key) and rendered into the kept page
# on every request, as a cache with edge-side includes would. While a kept fragment is rendered,
# each personal part leaves a mark and is remembered with it; the parts are then rendered in the
# context of the outermost kept fragment, on the first request as on every later one — so a
# personal part must read only the page's own variables, not a loop's or a ``with``'s (they
# would be missing both times, which the tests of each page see).

#: What separates a kept fragment from its personal parts: a random string per process, which no
#: content can contain.
MARK = f"\x00{secrets.token_hex(8)}:"
_holes: ContextVar = ContextVar("personal_parts", default=None)


#: The markup of Django's CSRF field (escaped text cannot contain it: its quotes would be
#: entities).
_TOKEN_FIELD = '<input type="hidden" name="csrfmiddlewaretoken" value="'  # noqa: S105 — markup, not a secret


class PersonalPartMisplaced(Exception):
    """One visitor's content (a CSRF token) where it would be kept for everyone."""


def _split(html: str, holes: list) -> tuple | str:
    """A rendered fragment as kept: its text, or its text around the personal parts."""
    pieces = html.split(MARK)
    parts = (pieces[0], *(piece.split("\x00", 1)[1] for piece in pieces[1:]))
    if not holes:
        return html
    order = (int(piece.split("\x00", 1)[0]) for piece in pieces[1:])
    return (parts, tuple(holes[i] for i in order))


def render_kept(key: tuple, render, context) -> str:
    """``render()`` kept under ``key`` (with the release and language), with its personal parts
    rendered in ``context`` each time (or left to the kept fragment it is in)."""
    full = key_for(*key)
    value = store.get(full)
    if value is None:
        holes: list = []
        token = _holes.set(holes)
        try:
            html = render()
        finally:
            _holes.reset(token)
        value = _split(html, holes)
        if _TOKEN_FIELD in ("".join(value[0]) if isinstance(value, tuple) else value):
            raise PersonalPartMisplaced(f"a CSRF token outside {{% personal %}} in {key[0]!r}")
        store.put(full, value)
    if isinstance(value, str):
        return value
    parts, nodelists = value
    out = [parts[0]]
    for nodelist, part in zip(nodelists, parts[1:], strict=True):
        out.append(personal_part(nodelist, context))
        out.append(part)
    return "".join(out)


def personal_part(nodelist, context) -> str:
    """A personal part: rendered now, or marked in the kept fragment being rendered."""
    holes = _holes.get()
    if holes is None:
        return nodelist.render(context)
    holes.append(nodelist)
    return f"{MARK}{len(holes) - 1}\x00"
