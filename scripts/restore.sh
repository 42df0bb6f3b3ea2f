#!/usr/bin/env bash
# Restore a backup made by backup.sh: its database into the PostgreSQL database of DATABASE_URL
# (pg_restore --clean --if-exists --no-owner, in one transaction: all or nothing) and its files
# into MEDIA_ROOT (what is there is replaced), then forget what the portal cached from the data it
# replaced. Stop the web processes, workers and beat first; the database must exist (createdb).
#
#   scripts/restore.sh var/backups/2026-12-02T031500Z          (make restore BACKUP=...)
#   scripts/restore.sh --yes var/backups/2026-12-02T031500Z    (no question asked)
set -euo pipefail
cd "$(dirname "$0")/.."
# The production virtualenv (make install-production), else the development one.
PY=${PYTHON:-}
for candidate in .venv-production/bin/python .venv/bin/python; do
  if [ -z "$PY" ] && [ -x "$candidate" ]; then PY=$candidate; fi
done
PY=${PY:-python3}

yes=""
if [ "${1:-}" = "--yes" ]; then
  yes=1
  shift
fi
backup=${1:-}
if [ -z "$backup" ] || [ ! -d "$backup" ]; then
  echo "usage: scripts/restore.sh [--yes] BACKUP_DIRECTORY   (a directory made by make backup)" >&2
  exit 2
fi
for file in database.dump media.tar SHA256SUMS; do
  if [ ! -f "$backup/$file" ]; then
    echo "$backup is not a complete backup: $file is missing." >&2
    exit 2
  fi
done
if ! (cd "$backup" && sha256sum --check --quiet SHA256SUMS); then
  echo "$backup is damaged: its files do not match SHA256SUMS. Nothing was restored." >&2
  exit 2
fi

settings=$("$PY" scripts/portal_env.py)
eval "$settings"
if [ "$DB_ENGINE" != postgresql ]; then
  echo "make restore restores into PostgreSQL, and DATABASE_URL names a $DB_ENGINE database ($DB_NAME)." >&2
  exit 2
fi

echo "Restoring $backup ($(sed -n 's/^created: //p' "$backup/backup.txt" 2>/dev/null || echo "time unknown"))"
echo "  into database $PGDATABASE on ${PGHOST:-the local socket}:${PGPORT:-5432}"
echo "  and $MEDIA_ROOT (its current files are replaced)."
if [ -z "$yes" ]; then
  if [ ! -t 0 ]; then
    echo "Not asked on a terminal: pass --yes to restore without a question." >&2
    exit 2
  fi
  read -r -p "Type the database name ($PGDATABASE) to go on: " answer
  if [ "$answer" != "$PGDATABASE" ]; then
    echo "Nothing was restored." >&2
    exit 1
  fi
fi

# The files first into a folder of their own: a damaged archive stops here, before any change.
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
tar --extract --file="$backup/media.tar" --directory="$staging"

pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --no-password \
  --dbname="$PGDATABASE" "$backup/database.dump"

mkdir -p "$MEDIA_ROOT"
find "$MEDIA_ROOT" -mindepth 1 -delete
cp -a "$staging/." "$MEDIA_ROOT/"

# Pages and figures cached from the data before the restore must not be served again.
if ! "$PY" manage.py clear_cache; then
  echo "The cache could not be cleared: run 'manage.py clear_cache' once it answers." >&2
fi
echo "Restored. If this code is newer than the backup's (backup.txt), run 'manage.py migrate'."
