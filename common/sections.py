"""Sections that an app adds to another app's page, without the page's app depending on it.

A lower app's page (a stakeholder's profile, an AlpCafé) names a slot; a higher app registers a
callable for it in its AppConfig.ready(). The callable takes the page's object and returns
(template name, context), or None when it has nothing to show.
"""

from collections import defaultdict

_SECTIONS: dict[str, list] = defaultdict(list)


def register(slot: str, section) -> None:
    if section not in _SECTIONS[slot]:
        _SECTIONS[slot].append(section)


def render(slot: str, obj) -> list[tuple[str, dict]]:
    """The sections for ``obj`` in the order they were registered, those with something to
    show."""
    found = (section(obj) for section in _SECTIONS[slot])
    return [item for item in found if item is not None]
