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

import threading
from collections import OrderedDict

from django.utils import translation

from .release import current_release

SIZE = 20_000


class _Store:
    def __init__(self, size: int):
        self.size = size
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
            self.items[key] = html
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


store = _Store(SIZE)


def key_for(*values) -> tuple:
    return (current_release(), translation.get_language(), *values)
