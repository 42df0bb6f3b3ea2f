"""Which release of the portal is running: part of every cached page's key and ETag, so that a
deployment with new templates, code or translations never serves pages cached by the old one.

The RELEASE environment variable names it (a deployment may pass its commit); without it, a
digest of the portal's own source files (code, templates, compiled translations, the static
manifest) — the same on every machine that runs the same files.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

SUFFIXES = {".py", ".html", ".txt", ".mo", ".json", ".css", ".js", ".svg"}
SKIP = {
    ".venv",
    ".venv-production",
    "node_modules",
    ".git",
    "var",
    "__pycache__",
    ".hypothesis",
    ".pytest_cache",
}


def source_digest(base: Path) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for root, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in SKIP)
        for name in sorted(files):
            path = Path(root, name)
            if path.suffix in SUFFIXES:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def current_release() -> str:
    from django.conf import settings

    return settings.RELEASE or source_digest(Path(settings.BASE_DIR))
