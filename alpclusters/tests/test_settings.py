"""The one settings module in both of its modes, each read by a fresh interpreter."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
from django.conf import settings
django.setup()
from alpclusters.celery import app
print(json.dumps({
    "debug": settings.DEBUG,
    "engine": settings.DATABASES["default"]["ENGINE"],
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "eager": app.conf.task_always_eager,
    "broker": app.conf.broker_url,
    "email_backend": settings.EMAIL_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "secret_len": len(settings.SECRET_KEY),
    "time_zone": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ,
}))
"""

CONFIG_NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CACHE_URL",
    "EMAIL_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set for the browser tests only
]


def _run(args, extra_env):
    env = {k: v for k, v in os.environ.items() if k not in CONFIG_NAMES}
    env.update({"DJANGO_SETTINGS_MODULE": "alpclusters.settings", **extra_env})
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "0123456789abcdefghijKLMNOPQRSTUVWXYZ!@#$%",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/alpclusters",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.eu:587",
    "ALLOWED_HOSTS": "portal.example.eu",
}


def test_settings_with_nothing_set_are_the_embedded_default():
    result = _run(["-c", PROBE], {})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.splitlines()[-1])
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["cache"].endswith("LocMemCache")
    assert values["secret_len"] >= 50
    assert values["time_zone"] == "Europe/Rome"
    assert values["use_tz"] is True


def test_settings_with_production_values_use_postgres_redis_and_smtp():
    result = _run(["-c", PROBE], PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.splitlines()[-1])
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] > 0
    assert values["health_checks"] is True
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/0"
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["cache"].endswith("RedisCache")


def test_settings_production_without_required_values_fails_loudly():
    result = _run(["-c", PROBE], {"DEBUG": "0", "DATABASE_URL": PRODUCTION["DATABASE_URL"]})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in ("SECRET_KEY", "EMAIL_URL", "ALLOWED_HOSTS", "REDIS_URL"):
        assert name in result.stderr
    assert "DATABASE_URL" not in result.stderr.splitlines()[-1]


def test_settings_production_passes_check_deploy_cleanly():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
