"""Liveness and readiness: the real database, Redis cache and Redis broker of the test run; the
failures are real too (a port nobody listens on, a server that accepts and never answers), each
in a process of its own started with the variables a deployment would set."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from testing.servers import free_port

BASE_DIR = Path(__file__).resolve().parents[2]

READYZ = """
import json, os, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/readyz")
print(json.dumps({"status": response.status_code, "body": response.json(),
                  "seconds": time.monotonic() - started}))
"""


def test_healthz_answers_without_the_database(client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_answers_200_when_database_cache_and_broker_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert "failed" not in body
    assert "no-store" in response["Cache-Control"]
    # Nothing about where the services live.
    assert "127.0.0.1" not in response.content.decode()
    assert "redis" not in response.content.decode()


def test_readyz_refuses_post(client):
    assert client.post("/readyz").status_code == 405


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _readyz_in_process(**env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", READYZ],
        cwd=BASE_DIR,
        env={**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["database", "cache", "broker"])
def test_readyz_answers_503_naming_a_service_on_a_closed_port(failing):
    port = free_port()
    variable, url = {
        "database": ("DATABASE_URL", f"postgres://postgres@127.0.0.1:{port}/alpclusters"),
        "cache": ("CACHE_URL", f"redis://127.0.0.1:{port}/0"),
        "broker": ("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0"),
    }[failing]
    result = _readyz_in_process(**{variable: url})
    assert result["status"] == 503
    body = result["body"]
    assert body["status"] == "unavailable"
    assert body["failed"] == [failing]
    assert body["checks"][failing]["status"] == "error"
    assert body["checks"][failing]["error"]  # the kind of error, e.g. OperationalError
    for other in {"database", "cache", "broker"} - {failing}:
        assert body["checks"][other]["status"] == "ok"
    assert str(port) not in json.dumps(body)
    assert result["seconds"] < 2


@pytest.mark.django_db
@pytest.mark.parametrize("variable", ["CACHE_URL", "CELERY_BROKER_URL"])
def test_readyz_gives_up_on_a_server_that_never_answers(variable):
    """A server that accepts the connection and then says nothing (a hung Redis)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        result = _readyz_in_process(**{variable: f"redis://127.0.0.1:{port}/0"})
    assert result["status"] == 503
    assert result["body"]["failed"] == [
        {"CACHE_URL": "cache", "CELERY_BROKER_URL": "broker"}[variable]
    ]
    assert result["seconds"] < 4
