"""Structured logs: each request's line with its id, the user's id (never an address), method,
path (secrets masked), status and duration; a task's lines with the task id and the request id of
whoever queued it. In production (DEBUG off) every line is JSON: checked in real processes started
with production settings, a web request through Django's handler and a real Celery worker."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import structlog
from django.conf import settings
from django.db import connection

from pages.logs import MASK
from stakeholders.tests.factories import UserFactory
from testing import CeleryWorker

BASE_DIR = Path(__file__).resolve().parents[2]
REQUEST_LOGGER = "django_structlog.middlewares.request"


def _json_formatter() -> logging.Formatter:
    """The production formatter, as the settings configure it."""
    config = dict(settings.LOGGING["formatters"]["json"])
    return config.pop("()")(**config)


def _request_lines(caplog) -> list[dict]:
    formatter = _json_formatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name == REQUEST_LOGGER
    ]


def _finished(caplog) -> dict:
    lines = [line for line in _request_lines(caplog) if line["event"] == "request_finished"]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.django_db
def test_request_line_carries_the_proxys_request_id_and_returns_it(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/about/", headers={"X-Request-ID": "lb-7f3a.42"})
    assert response["X-Request-ID"] == "lb-7f3a.42"
    line = _finished(caplog)
    assert line["request_id"] == "lb-7f3a.42"
    assert line["method"] == "GET"
    assert line["path"] == "/about/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["level"] == "info"
    assert "timestamp" in line


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", [None, "", "two words", "x" * 129, "id\nforged line"])
def test_request_id_is_generated_when_missing_or_not_sane(client, caplog, incoming):
    caplog.set_level(logging.INFO)
    headers = {} if incoming is None else {"X-Request-ID": incoming}
    response = client.get("/about/", headers=headers)
    generated = response["X-Request-ID"]
    assert str(uuid.UUID(generated)) == generated
    assert _finished(caplog)["request_id"] == generated


@pytest.mark.django_db
def test_request_line_names_the_user_by_id_never_by_address(client, caplog):
    caplog.set_level(logging.INFO)
    user = UserFactory(email="greta.gruber@example.org", first_name="Greta")
    client.force_login(user)
    client.get("/about/")
    line = _finished(caplog)
    assert line["user_id"] == user.pk
    rendered = caplog.text + json.dumps(_request_lines(caplog))
    assert "greta.gruber" not in rendered
    assert "example.org" not in rendered
    assert "Greta" not in rendered


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/mail/preferences/secret-token-123/?next=secret-query",
        "/alpcafes/rsvp/secret-token-123/",
        "/alpcafes/rsvp/secret-token-123",  # redirected to the address with a slash
        "/accounts/confirm-email/secret-token-123/",
    ],
)
def test_request_line_masks_secrets_in_the_path_and_drops_the_query(client, caplog, url):
    caplog.set_level(logging.INFO)
    client.get(url)
    line = _finished(caplog)
    assert MASK in line["path"]
    assert "secret" not in json.dumps(_request_lines(caplog))
    assert "secret" not in caplog.text


@pytest.mark.django_db
def test_request_line_of_a_refused_post_has_the_status(client, caplog):
    caplog.set_level(logging.INFO)
    client.post("/about/")
    line = _finished(caplog)
    assert (line["method"], line["status"], line["level"]) == ("POST", 405, "warning")


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "EMAIL_URL": "consolemail://",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("LOG_FORMAT", None)  # the production default
    return env


PRODUCTION_REQUEST = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")
django.setup()
from django.test import Client
from stakeholders.models import User
client = Client()
client.force_login(User.objects.get(pk=int(sys.argv[1])))
response = client.get("/healthz", headers={"X-Request-ID": "req-from-lb-1"}, secure=True)
print(response.status_code, response["X-Request-ID"])
"""


@pytest.mark.django_db(transaction=True)
def test_production_logs_are_json_lines_with_request_and_user_id():
    user = UserFactory(email="anna.alpine@example.org")
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_REQUEST, str(user.pk)],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "req-from-lb-1"]
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert len(finished) == 1, result.stderr
    line = finished[0]
    assert line["request_id"] == "req-from-lb-1"
    assert line["user_id"] == user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
    assert "anna.alpine" not in result.stderr
    assert "ip" not in line


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_production_task_logs_are_json_with_task_id_and_the_request_id():
    from alpclusters.celery import app
    from outbox.tasks import sweep_outbox_task

    worker = CeleryWorker(env=_production_env())
    old_queue, old_eager = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = worker.queue, False
    worker.start(app)
    try:
        with structlog.contextvars.bound_contextvars(request_id="req-that-queued-it"):
            task_id = sweep_outbox_task.delay().id
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and '"task_succeeded"' not in worker.log():
            time.sleep(0.2)
    finally:
        worker.stop()
        app.conf.task_default_queue, app.conf.task_always_eager = old_queue, old_eager
    records = [json.loads(line) for line in worker.log().splitlines() if line.startswith("{")]
    events = {record["event"]: record for record in records if record.get("task_id") == task_id}
    assert {"task_started", "task_succeeded"} <= set(events), worker.log()
    assert events["task_succeeded"]["request_id"] == "req-that-queued-it"
    assert events["task_succeeded"]["duration_ms"] >= 0
    # The worker's own lines (Celery's, not only ours) are JSON too.
    assert any(record["logger"].startswith("celery") for record in records), worker.log()
