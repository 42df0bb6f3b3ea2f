"""Prints the portal's database and media settings as shell assignments, for backup.sh and
restore.sh: the values the portal itself uses (environment, .env, defaults), read through Django.

The database is given as libpq's environment variables (PGHOST, PGDATABASE, PGPASSWORD, ...), so
that no password appears on a command line.
"""

import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

# Connection options of DATABASE_URL (?sslmode=...) that libpq also reads from the environment.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
}

db = settings.DATABASES["default"]
values = {
    "DB_ENGINE": db["ENGINE"].rsplit(".", 1)[-1],
    "DB_NAME": str(db["NAME"]),
    "MEDIA_ROOT": str(settings.MEDIA_ROOT),
}
if values["DB_ENGINE"] == "postgresql":
    values |= {
        "PGDATABASE": db["NAME"],
        "PGHOST": db.get("HOST") or "",
        "PGPORT": str(db.get("PORT") or ""),
        "PGUSER": db.get("USER") or "",
        "PGPASSWORD": db.get("PASSWORD") or "",
    }
    for option, variable in LIBPQ_OPTIONS.items():
        if option in db.get("OPTIONS", {}):
            values[variable] = str(db["OPTIONS"][option])

for name, value in values.items():
    if name.startswith("PG") and not value:
        print(f"unset {name}")
    elif name.startswith("PG"):
        print(f"export {name}={shlex.quote(value)}")
    else:
        print(f"{name}={shlex.quote(value)}")
