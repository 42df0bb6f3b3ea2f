"""Recipients another app proposes for an AlpCafé's invitation review, without this app depending
on it: a date poll preselects the people who said yes or if need be to the chosen date.

An app registers a source under a name in its AppConfig.ready(); the review then reads
``?<name>=<value>``. A source takes the AlpCafé and the value and returns the contacts it proposes
with a sentence saying where they come from, or None when the value names nothing of this AlpCafé
(the review answers 404). The review still applies its own rules: only contacts who accept mail
and are not part of the AlpCafé yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.http import urlencode


@dataclass(frozen=True)
class Preselection:
    contacts: QuerySet
    description: str


_sources: dict[str, Callable] = {}


def register_preselection(name: str, source: Callable) -> None:
    _sources[name] = source


class UnknownPreselection(Exception):
    """A source's parameter was given but names nothing of this AlpCafé."""


def preselection(alpcafe, query) -> tuple[str, Preselection] | None:
    """The query parameter and the preselection it asks for, or None when none is asked for.
    Raises UnknownPreselection for a value its source does not know."""
    for name, source in _sources.items():
        value = query.get(name)
        if value is None:
            continue
        found = source(alpcafe, value)
        if found is None:
            raise UnknownPreselection(name)
        return urlencode({name: value}), found
    return None
