"""make backup / make restore: a round trip through the real scripts, pg_dump and pg_restore, on a
scratch PostgreSQL database of this test's own (migrated like production), with media files."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def _server() -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or "",
    }


def _admin(sql: str, params=()) -> None:
    conn = psycopg2.connect(dbname="postgres", **_server())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        conn.close()


def _query(name: str, sql: str) -> list[tuple]:
    conn = psycopg2.connect(dbname=name, **_server())
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


@pytest.fixture
def scratch_database():
    """A database of this test's own on the test server, dropped afterwards (only it)."""
    name = f"alpclusters_backup_{uuid.uuid4().hex[:12]}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        _admin(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        _admin(f'DROP DATABASE IF EXISTS "{name}"')


def _env(database: str, tmp_path: Path) -> dict[str, str]:
    server = _server()
    auth = f"{server['user']}:{server['password']}@" if server["password"] else f"{server['user']}@"
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{auth}{server['host']}:{server['port']}/{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PYTHON": sys.executable,
    }


def _run(env, *args, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        list(args),
        cwd=BASE_DIR,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.django_db
def test_backup_and_restore_bring_back_rows_and_media(scratch_database, tmp_path):
    env = _env(scratch_database, tmp_path)
    _run(env, sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    _query(
        scratch_database,
        "INSERT INTO stakeholders_sector (name, slug) VALUES "
        "('Mechatronics', 'mechatronics'), ('Wood and timber', 'wood-and-timber')",
    )
    cover = tmp_path / "media" / "covers" / "2026" / "alps.png"
    cover.parent.mkdir(parents=True)
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    original_cover = cover.read_bytes()

    backup = Path(_run(env, "scripts/backup.sh").stdout.strip().splitlines()[-1])
    assert backup.parent == tmp_path / "backups"
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "backup.txt",
        "database.dump",
        "media.tar",
    ]
    assert not list((tmp_path / "backups").glob("*.partial"))

    # Lose data: a row changed, a table dropped, a file deleted and another added.
    _query(scratch_database, "UPDATE stakeholders_sector SET name = 'Changed' WHERE id = 1")
    _query(scratch_database, "DROP TABLE stakeholders_sector CASCADE")
    cover.unlink()
    (tmp_path / "media" / "stray.txt").write_text("not in the backup")

    result = _run(env, "scripts/restore.sh", "--yes", str(backup))
    assert "Cache cleared" in result.stdout

    assert _query(scratch_database, "SELECT name FROM stakeholders_sector ORDER BY name") == [
        ("Mechatronics",),
        ("Wood and timber",),
    ]
    # The foreign keys CASCADE dropped are back, and so is the search configuration.
    assert _query(
        scratch_database,
        "SELECT count(*) FROM pg_constraint WHERE conrelid = "
        "'stakeholders_stakeholder_sectors'::regclass AND contype = 'f'",
    ) == [(2,)]
    assert _query(scratch_database, "SELECT to_tsvector('alpclusters', 'Südtirol')::text") == [
        ("'sudtirol':1",)
    ]
    assert cover.read_bytes() == original_cover
    assert not (tmp_path / "media" / "stray.txt").exists()
    # The restored schema is the one this code expects.
    _run(env, sys.executable, "manage.py", "migrate", "--check")


@pytest.mark.django_db
def test_restore_refuses_a_damaged_backup_and_changes_nothing(scratch_database, tmp_path):
    env = _env(scratch_database, tmp_path)
    _query(scratch_database, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)")
    backup = Path(_run(env, "scripts/backup.sh").stdout.strip().splitlines()[-1])
    _query(scratch_database, "INSERT INTO kept VALUES (2)")
    with (backup / "database.dump").open("ab") as dump:
        dump.write(b"tampered")

    result = _run(env, "scripts/restore.sh", "--yes", str(backup), check=False)
    assert result.returncode == 2
    assert "damaged" in result.stderr
    assert _query(scratch_database, "SELECT x FROM kept ORDER BY x") == [(1,), (2,)]


def test_restore_asks_before_replacing_anything(tmp_path):
    """Without --yes and without a terminal to ask on, nothing happens."""
    backup = tmp_path / "backup"
    backup.mkdir()
    for name in ("database.dump", "media.tar", "backup.txt"):
        (backup / name).write_bytes(b"x")
    sums = "sha256sum database.dump media.tar backup.txt >SHA256SUMS"
    _run(os.environ, "sh", "-c", f"cd {backup} && {sums}")
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "DEBUG": "1"}
    env["PYTHON"] = sys.executable
    result = _run(env, "scripts/restore.sh", str(backup), check=False)
    assert result.returncode == 2
    assert "--yes" in result.stderr


def test_backup_refuses_sqlite_clearly(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "1"}
    env |= {"BACKUP_DIR": str(tmp_path / "backups"), "PYTHON": sys.executable}
    result = _run(env, "scripts/backup.sh", check=False)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert "sqlite" in result.stderr
    assert not (tmp_path / "backups").exists()
