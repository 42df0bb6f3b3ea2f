"""Personal data across the apps, for the data rights (GDPR articles 15, 17 and 20).

Each app registers what it holds about a person; the registry's data-rights pages collect it all
without depending on the apps above it. An exporter takes (user or None, contact or None) and
returns JSON-serialisable data; a files callable returns the files the person uploaded as
(name, Django File) pairs.
"""

from collections.abc import Callable

_EXPORTERS: list[tuple[str, Callable]] = []
_FILES: list[Callable] = []


def register(name: str, exporter: Callable, *, files: Callable | None = None) -> None:
    if all(existing != name for existing, _e in _EXPORTERS):
        _EXPORTERS.append((name, exporter))
        if files is not None:
            _FILES.append(files)


def collect(*, user=None, contact=None) -> dict:
    return {name: exporter(user, contact) for name, exporter in _EXPORTERS}


def uploaded_files(user) -> list:
    if user is None:
        return []
    return [item for files in _FILES for item in files(user)]
