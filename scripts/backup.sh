#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database of DATABASE_URL (pg_dump, custom format) and the
# uploaded files under MEDIA_ROOT (tar), into one new directory BACKUP_DIR/<UTC time>/ with a
# SHA256SUMS file and a note of what it holds. Prints the directory. The portal may keep running:
# pg_dump reads one consistent snapshot; files uploaded meanwhile may or may not be in the tar.
#
#   scripts/backup.sh                      (make backup)
#   BACKUP_DIR=/srv/backups scripts/backup.sh
#
# SQLite (the embedded default) is refused: copy var/db.sqlite3 and var/media with the portal
# stopped instead.
set -euo pipefail
cd "$(dirname "$0")/.."
# The production virtualenv (make install-production), else the development one.
PY=${PYTHON:-}
for candidate in .venv-production/bin/python .venv/bin/python; do
  if [ -z "$PY" ] && [ -x "$candidate" ]; then PY=$candidate; fi
done
PY=${PY:-python3}

settings=$("$PY" scripts/portal_env.py)
eval "$settings"

if [ "$DB_ENGINE" != postgresql ]; then
  echo "make backup backs up PostgreSQL, and DATABASE_URL names a $DB_ENGINE database ($DB_NAME)." >&2
  echo "For the embedded SQLite default, stop the portal and copy var/db.sqlite3 and var/media." >&2
  exit 2
fi

backup_root=${BACKUP_DIR:-var/backups}
mkdir -p "$backup_root"
name=$(date -u +%Y-%m-%dT%H%M%SZ)
target="$backup_root/$name"
n=1
while [ -e "$target" ] || [ -e "$target.partial" ]; do
  target="$backup_root/$name-$n"
  n=$((n + 1))
done
# Written under .partial and renamed when complete: a directory without the suffix is whole.
work="$target.partial"
mkdir -m 700 "$work"
trap 'rm -rf "$work"' EXIT

pg_dump --format=custom --file="$work/database.dump" --no-password
if [ -d "$MEDIA_ROOT" ]; then
  tar --create --file="$work/media.tar" --directory="$MEDIA_ROOT" .
else
  tar --create --file="$work/media.tar" --files-from=/dev/null
fi
{
  echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "database: $PGDATABASE on ${PGHOST:-the local socket}:${PGPORT:-5432}"
  echo "media: $MEDIA_ROOT"
  echo "code: $(git rev-parse HEAD 2>/dev/null || echo unknown)"
  echo "pg_dump: $(pg_dump --version)"
} >"$work/backup.txt"
(cd "$work" && sha256sum database.dump media.tar backup.txt >SHA256SUMS)
mv "$work" "$target"
trap - EXIT
echo "$target"
